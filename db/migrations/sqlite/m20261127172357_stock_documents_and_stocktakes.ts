import { Migration } from '@mikro-orm/migrations';

/** 入库单/出库单 and 盘点 count sheets, the read models of their workflows. */
export class Migration20261127172402_m20261127172357_stock_documents_and_stocktakes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`stock_document\` (\`doc_no\` text not null, \`workflow_id\` text not null, \`direction\` text not null, \`reason\` text not null, \`stage\` text not null default 'draft', \`version\` integer not null default 0, \`warehouse_code\` text not null, \`quality\` text not null default 'good', \`memo\` text not null default '', \`item_count\` integer not null default 0, \`snapshot\` json null, \`create_action_id\` text null, \`created_by\` text not null default '', \`created_at\` datetime not null, \`updated_at\` datetime not null, \`approved_at\` datetime null, primary key (\`doc_no\`));`);
    this.addSql(`create unique index \`stock_document_workflow_id_unique\` on \`stock_document\` (\`workflow_id\`);`);
    this.addSql(`create unique index \`stock_document_create_action_id_unique\` on \`stock_document\` (\`create_action_id\`);`);
    this.addSql(`create index \`stock_document_stage_created_at_index\` on \`stock_document\` (\`stage\`, \`created_at\`);`);

    this.addSql(`create table \`stocktake\` (\`stocktake_no\` text not null, \`workflow_id\` text not null, \`stage\` text not null default 'counting', \`version\` integer not null default 0, \`warehouse_code\` text not null, \`quality\` text not null default 'good', \`snapshot\` json null, \`create_action_id\` text null, \`created_by\` text not null default '', \`created_at\` datetime not null, \`updated_at\` datetime not null, \`approved_at\` datetime null, primary key (\`stocktake_no\`));`);
    this.addSql(`create unique index \`stocktake_workflow_id_unique\` on \`stocktake\` (\`workflow_id\`);`);
    this.addSql(`create unique index \`stocktake_create_action_id_unique\` on \`stocktake\` (\`create_action_id\`);`);
    this.addSql(`create index \`stocktake_stage_created_at_index\` on \`stocktake\` (\`stage\`, \`created_at\`);`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `stocktake`;');
    this.addSql('drop table if exists `stock_document`;');
  }

}
