import { Migration } from '@mikro-orm/migrations';

/** Stock transfers (调拨单) and their lines, the read model of the transfer workflow. */
export class Migration20261127165942_m20261127165938_stock_transfers extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`stock_transfer\` (\`transfer_no\` text not null, \`workflow_id\` text not null, \`stage\` text not null default 'created', \`version\` integer not null default 0, \`from_warehouse_code\` text not null, \`to_warehouse_code\` text not null, \`quality\` text not null default 'good', \`cost_basis\` text not null, \`memo\` text not null default '', \`item_count\` integer not null default 0, \`snapshot\` json null, \`create_action_id\` text null, \`alert\` text not null default '', \`created_by\` text not null default '', \`created_at\` datetime not null, \`updated_at\` datetime not null, \`outbound_at\` datetime null, \`inbound_at\` datetime null, \`done_at\` datetime null, primary key (\`transfer_no\`));`);
    this.addSql(`create unique index \`stock_transfer_workflow_id_unique\` on \`stock_transfer\` (\`workflow_id\`);`);
    this.addSql(`create unique index \`stock_transfer_create_action_id_unique\` on \`stock_transfer\` (\`create_action_id\`);`);
    this.addSql(`create index \`stock_transfer_stage_updated_at_index\` on \`stock_transfer\` (\`stage\`, \`updated_at\`);`);
    this.addSql(`create index \`stock_transfer_to_warehouse_code_stage_index\` on \`stock_transfer\` (\`to_warehouse_code\`, \`stage\`);`);

    this.addSql(`create table \`stock_transfer_line\` (\`id\` integer not null primary key autoincrement, \`transfer_no\` text not null, \`sku_code\` text not null, \`qty\` integer not null, \`cost_fen\` integer not null default 0, \`received_qty\` integer null);`);
    this.addSql(`create index \`stock_transfer_line_sku_code_index\` on \`stock_transfer_line\` (\`sku_code\`);`);
    this.addSql(`create unique index \`stock_transfer_line_transfer_no_sku_code_unique\` on \`stock_transfer_line\` (\`transfer_no\`, \`sku_code\`);`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `stock_transfer_line`;');
    this.addSql('drop table if exists `stock_transfer`;');
  }

}
