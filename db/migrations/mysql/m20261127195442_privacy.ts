import { Migration } from '@mikro-orm/migrations';

/** 隐私面单: a per-courier switch that prints the buyer's phone masked on its labels. */
export class Migration20261127195442_m20261127195442_privacy extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`courier\` add \`privacy_waybill\` tinyint(1) not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`courier\` drop column \`privacy_waybill\`;`);
  }

}
