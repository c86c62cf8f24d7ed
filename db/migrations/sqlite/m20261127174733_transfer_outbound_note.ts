import { Migration } from '@mikro-orm/migrations';

/** The outbound note (出库单) PDF a transfer last printed, served by its page. */
export class Migration20261127174734_m20261127174733_transfer_outbound_note extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`stock_transfer\` add column \`note_pdf\` longblob null;`);
    this.addSql(`alter table \`stock_transfer\` add column \`note_pages\` integer not null default 0;`);
  }

}
