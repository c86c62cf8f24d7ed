import { Migration } from '@mikro-orm/migrations';

/** 隐私面单: a per-courier switch that prints the buyer's phone masked on its labels. */
export class Migration20261127195443_m20261127195442_privacy extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`courier\` add column \`privacy_waybill\` integer not null default false;`);
  }

}
