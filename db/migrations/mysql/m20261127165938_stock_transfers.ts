import { Migration } from '@mikro-orm/migrations';

/** Stock transfers (调拨单) and their lines, the read model of the transfer workflow. */
export class Migration20261127165941_m20261127165938_stock_transfers extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`stock_transfer\` (\`transfer_no\` varchar(40) not null, \`workflow_id\` varchar(80) not null, \`stage\` varchar(24) not null default 'created', \`version\` int not null default 0, \`from_warehouse_code\` varchar(40) not null, \`to_warehouse_code\` varchar(40) not null, \`quality\` varchar(12) not null default 'good', \`cost_basis\` varchar(16) not null, \`memo\` varchar(255) not null default '', \`item_count\` int not null default 0, \`snapshot\` json null, \`create_action_id\` varchar(64) null, \`alert\` varchar(255) not null default '', \`created_by\` varchar(60) not null default '', \`created_at\` datetime not null, \`updated_at\` datetime not null, \`outbound_at\` datetime null, \`inbound_at\` datetime null, \`done_at\` datetime null, primary key (\`transfer_no\`)) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`stock_transfer\` add unique \`stock_transfer_workflow_id_unique\`(\`workflow_id\`);`);
    this.addSql(`alter table \`stock_transfer\` add unique \`stock_transfer_create_action_id_unique\`(\`create_action_id\`);`);
    this.addSql(`alter table \`stock_transfer\` add index \`stock_transfer_stage_updated_at_index\`(\`stage\`, \`updated_at\`);`);
    this.addSql(`alter table \`stock_transfer\` add index \`stock_transfer_to_warehouse_code_stage_index\`(\`to_warehouse_code\`, \`stage\`);`);

    this.addSql(`create table \`stock_transfer_line\` (\`id\` int unsigned not null auto_increment primary key, \`transfer_no\` varchar(40) not null, \`sku_code\` varchar(60) not null, \`qty\` int not null, \`cost_fen\` int not null default 0, \`received_qty\` int null) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`stock_transfer_line\` add index \`stock_transfer_line_sku_code_index\`(\`sku_code\`);`);
    this.addSql(`alter table \`stock_transfer_line\` add unique \`stock_transfer_line_transfer_no_sku_code_unique\`(\`transfer_no\`, \`sku_code\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`stock_transfer\`;`);
    this.addSql(`drop table if exists \`stock_transfer_line\`;`);
  }

}
