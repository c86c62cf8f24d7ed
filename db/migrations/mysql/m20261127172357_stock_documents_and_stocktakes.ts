import { Migration } from '@mikro-orm/migrations';

/** 入库单/出库单 and 盘点 count sheets, the read models of their workflows. */
export class Migration20261127172401_m20261127172357_stock_documents_and_stocktakes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`stock_document\` (\`doc_no\` varchar(40) not null, \`workflow_id\` varchar(80) not null, \`direction\` varchar(4) not null, \`reason\` varchar(20) not null, \`stage\` varchar(16) not null default 'draft', \`version\` int not null default 0, \`warehouse_code\` varchar(40) not null, \`quality\` varchar(12) not null default 'good', \`memo\` varchar(255) not null default '', \`item_count\` int not null default 0, \`snapshot\` json null, \`create_action_id\` varchar(64) null, \`created_by\` varchar(60) not null default '', \`created_at\` datetime not null, \`updated_at\` datetime not null, \`approved_at\` datetime null, primary key (\`doc_no\`)) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`stock_document\` add unique \`stock_document_workflow_id_unique\`(\`workflow_id\`);`);
    this.addSql(`alter table \`stock_document\` add unique \`stock_document_create_action_id_unique\`(\`create_action_id\`);`);
    this.addSql(`alter table \`stock_document\` add index \`stock_document_stage_created_at_index\`(\`stage\`, \`created_at\`);`);

    this.addSql(`create table \`stocktake\` (\`stocktake_no\` varchar(40) not null, \`workflow_id\` varchar(80) not null, \`stage\` varchar(20) not null default 'counting', \`version\` int not null default 0, \`warehouse_code\` varchar(40) not null, \`quality\` varchar(12) not null default 'good', \`snapshot\` json null, \`create_action_id\` varchar(64) null, \`created_by\` varchar(60) not null default '', \`created_at\` datetime not null, \`updated_at\` datetime not null, \`approved_at\` datetime null, primary key (\`stocktake_no\`)) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`stocktake\` add unique \`stocktake_workflow_id_unique\`(\`workflow_id\`);`);
    this.addSql(`alter table \`stocktake\` add unique \`stocktake_create_action_id_unique\`(\`create_action_id\`);`);
    this.addSql(`alter table \`stocktake\` add index \`stocktake_stage_created_at_index\`(\`stage\`, \`created_at\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`stock_document\`;`);

    this.addSql(`drop table if exists \`stocktake\`;`);
  }

}
