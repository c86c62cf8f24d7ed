import { Migration } from '@mikro-orm/migrations';

export class Migration20261127163833_m20261127163832_after_sales extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`after_sale_case\` (\`case_no\` text not null, \`workflow_id\` text not null, \`type\` text not null, \`stage\` text not null default 'registered', \`version\` integer not null default 0, \`shop_code\` text not null, \`order_id\` text not null, \`platform_order_no\` text not null, \`buyer_nick\` text not null, \`platform_refund_id\` text not null default '', \`reason\` text not null default '', \`item_count\` integer not null default 0, \`requested_fen\` integer not null default 0, \`refund_fen\` integer not null default 0, \`return_waybill_no\` text not null default '', \`deadline\` datetime null, \`alert\` text not null default '', \`child_order_ids\` text not null default '', \`snapshot\` json null, \`register_action_id\` text null, \`created_by\` text not null default '', \`created_at\` datetime not null, \`updated_at\` datetime not null, \`closed_at\` datetime null, \`done_at\` datetime null, primary key (\`case_no\`));`);
    this.addSql(`create unique index \`after_sale_case_workflow_id_unique\` on \`after_sale_case\` (\`workflow_id\`);`);
    this.addSql(`create unique index \`after_sale_case_register_action_id_unique\` on \`after_sale_case\` (\`register_action_id\`);`);
    this.addSql(`create index \`after_sale_case_stage_updated_at_index\` on \`after_sale_case\` (\`stage\`, \`updated_at\`);`);
    this.addSql(`create index \`after_sale_case_order_id_index\` on \`after_sale_case\` (\`order_id\`);`);
    this.addSql(`create index \`after_sale_case_shop_code_platform_order_no_index\` on \`after_sale_case\` (\`shop_code\`, \`platform_order_no\`);`);
    this.addSql(`create index \`after_sale_case_return_waybill_no_index\` on \`after_sale_case\` (\`return_waybill_no\`);`);

    this.addSql(`create table \`money_entry\` (\`id\` integer not null primary key autoincrement, \`entry_key\` text not null, \`kind\` text not null, \`direction\` integer not null, \`amount_fen\` integer not null, \`channel\` text not null, \`account\` text not null default '', \`reference\` text not null default '', \`shop_code\` text not null, \`case_no\` text not null default '', \`order_id\` text not null default '', \`confirmed_by\` text not null, \`note\` text not null default '', \`at\` datetime not null);`);
    this.addSql(`create unique index \`money_entry_entry_key_unique\` on \`money_entry\` (\`entry_key\`);`);
    this.addSql(`create index \`money_entry_at_index\` on \`money_entry\` (\`at\`);`);
    this.addSql(`create index \`money_entry_case_no_index\` on \`money_entry\` (\`case_no\`);`);
    this.addSql(`create index \`money_entry_account_at_index\` on \`money_entry\` (\`account\`, \`at\`);`);

    this.addSql(`create table \`platform_refund\` (\`id\` integer not null primary key autoincrement, \`shop_code\` text not null, \`refund_id\` text not null, \`tid\` text not null, \`oid\` text not null default '', \`status\` text not null, \`dispute_type\` text not null default '', \`refund_phase\` text not null default '', \`good_status\` text not null default '', \`has_good_return\` integer not null default false, \`refund_fee_fen\` integer not null default 0, \`return_company\` text not null default '', \`return_waybill_no\` text not null default '', \`refund_version\` text not null default '', \`deadline\` datetime null, \`modified_at\` datetime not null, \`raw\` mediumtext not null, \`case_no\` text not null default '', \`order_id\` text not null default '', \`received_at\` datetime not null, \`updated_at\` datetime not null);`);
    this.addSql(`create index \`platform_refund_shop_code_tid_index\` on \`platform_refund\` (\`shop_code\`, \`tid\`);`);
    this.addSql(`create index \`platform_refund_status_deadline_index\` on \`platform_refund\` (\`status\`, \`deadline\`);`);
    this.addSql(`create unique index \`platform_refund_shop_code_refund_id_unique\` on \`platform_refund\` (\`shop_code\`, \`refund_id\`);`);

    this.addSql(`create table \`unmatched_parcel\` (\`id\` integer not null primary key autoincrement, \`waybill_no\` text not null, \`company\` text not null default '', \`warehouse_code\` text not null, \`note\` text not null default '', \`received_by\` text not null, \`received_at\` datetime not null, \`matched_case_no\` text not null default '', \`matched_by\` text not null default '', \`matched_at\` datetime null);`);
    this.addSql(`create unique index \`unmatched_parcel_waybill_no_unique\` on \`unmatched_parcel\` (\`waybill_no\`);`);
    this.addSql(`create index \`unmatched_parcel_matched_case_no_received_at_index\` on \`unmatched_parcel\` (\`matched_case_no\`, \`received_at\`);`);

    this.addSql(`alter table \`orders\` add column \`intercept_case_no\` text not null default '';`);

    this.addSql(`alter table \`shop\` add column \`refund_cursor\` datetime null;`);
    this.addSql(`alter table \`shop\` add column \`return_remind_days\` integer not null default 7;`);
    this.addSql(`alter table \`shop\` add column \`return_close_days\` integer not null default 15;`);

    this.addSql(`drop index \`stock_ledger_idempotency_key_sku_code_warehouse_code_unique\`;`);

    this.addSql(`alter table \`stock_ledger\` add column \`quality\` text not null default 'good';`);
    this.addSql(`create unique index \`stock_ledger_idempotency_key_sku_code_warehouse_code_quality_unique\` on \`stock_ledger\` (\`idempotency_key\`, \`sku_code\`, \`warehouse_code\`, \`quality\`);`);

    this.addSql(`drop index \`stock_level_sku_code_warehouse_code_unique\`;`);

    this.addSql(`alter table \`stock_level\` add column \`quality\` text not null default 'good';`);
    this.addSql(`create unique index \`stock_level_sku_code_warehouse_code_quality_unique\` on \`stock_level\` (\`sku_code\`, \`warehouse_code\`, \`quality\`);`);
  }

}
