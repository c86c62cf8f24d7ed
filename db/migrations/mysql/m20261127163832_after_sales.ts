import { Migration } from '@mikro-orm/migrations';

/** After-sales: platform refunds, cases, money entries, unmatched return parcels; stock gains its quality (good/defective). */
export class Migration20261127163832_m20261127163832_after_sales extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`after_sale_case\` (\`case_no\` varchar(60) not null, \`workflow_id\` varchar(120) not null, \`type\` varchar(20) not null, \`stage\` varchar(30) not null default 'registered', \`version\` int not null default 0, \`shop_code\` varchar(40) not null, \`order_id\` varchar(120) not null, \`platform_order_no\` varchar(64) not null, \`buyer_nick\` varchar(100) not null, \`platform_refund_id\` varchar(40) not null default '', \`reason\` varchar(100) not null default '', \`item_count\` int not null default 0, \`requested_fen\` int not null default 0, \`refund_fen\` int not null default 0, \`return_waybill_no\` varchar(60) not null default '', \`deadline\` datetime null, \`alert\` varchar(255) not null default '', \`child_order_ids\` varchar(500) not null default '', \`snapshot\` json null, \`register_action_id\` varchar(64) null, \`created_by\` varchar(60) not null default '', \`created_at\` datetime not null, \`updated_at\` datetime not null, \`closed_at\` datetime null, \`done_at\` datetime null, primary key (\`case_no\`)) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`after_sale_case\` add unique \`after_sale_case_workflow_id_unique\`(\`workflow_id\`);`);
    this.addSql(`alter table \`after_sale_case\` add unique \`after_sale_case_register_action_id_unique\`(\`register_action_id\`);`);
    this.addSql(`alter table \`after_sale_case\` add index \`after_sale_case_stage_updated_at_index\`(\`stage\`, \`updated_at\`);`);
    this.addSql(`alter table \`after_sale_case\` add index \`after_sale_case_order_id_index\`(\`order_id\`);`);
    this.addSql(`alter table \`after_sale_case\` add index \`after_sale_case_shop_code_platform_order_no_index\`(\`shop_code\`, \`platform_order_no\`);`);
    this.addSql(`alter table \`after_sale_case\` add index \`after_sale_case_return_waybill_no_index\`(\`return_waybill_no\`);`);
    this.addSql(`create table \`money_entry\` (\`id\` int unsigned not null auto_increment primary key, \`entry_key\` varchar(191) not null, \`kind\` varchar(20) not null, \`direction\` int not null, \`amount_fen\` int not null, \`channel\` varchar(20) not null, \`account\` varchar(100) not null default '', \`reference\` varchar(100) not null default '', \`shop_code\` varchar(40) not null, \`case_no\` varchar(60) not null default '', \`order_id\` varchar(120) not null default '', \`confirmed_by\` varchar(60) not null, \`note\` varchar(255) not null default '', \`at\` datetime not null) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`money_entry\` add unique \`money_entry_entry_key_unique\`(\`entry_key\`);`);
    this.addSql(`alter table \`money_entry\` add index \`money_entry_at_index\`(\`at\`);`);
    this.addSql(`alter table \`money_entry\` add index \`money_entry_case_no_index\`(\`case_no\`);`);
    this.addSql(`alter table \`money_entry\` add index \`money_entry_account_at_index\`(\`account\`, \`at\`);`);
    this.addSql(`create table \`platform_refund\` (\`id\` int unsigned not null auto_increment primary key, \`shop_code\` varchar(40) not null, \`refund_id\` varchar(40) not null, \`tid\` varchar(64) not null, \`oid\` varchar(64) not null default '', \`status\` varchar(40) not null, \`dispute_type\` varchar(40) not null default '', \`refund_phase\` varchar(20) not null default '', \`good_status\` varchar(40) not null default '', \`has_good_return\` tinyint(1) not null default false, \`refund_fee_fen\` int not null default 0, \`return_company\` varchar(60) not null default '', \`return_waybill_no\` varchar(60) not null default '', \`refund_version\` varchar(40) not null default '', \`deadline\` datetime null, \`modified_at\` datetime not null, \`raw\` mediumtext not null, \`case_no\` varchar(60) not null default '', \`order_id\` varchar(120) not null default '', \`received_at\` datetime not null, \`updated_at\` datetime not null) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`platform_refund\` add index \`platform_refund_shop_code_tid_index\`(\`shop_code\`, \`tid\`);`);
    this.addSql(`alter table \`platform_refund\` add index \`platform_refund_status_deadline_index\`(\`status\`, \`deadline\`);`);
    this.addSql(`alter table \`platform_refund\` add unique \`platform_refund_shop_code_refund_id_unique\`(\`shop_code\`, \`refund_id\`);`);
    this.addSql(`create table \`unmatched_parcel\` (\`id\` int unsigned not null auto_increment primary key, \`waybill_no\` varchar(60) not null, \`company\` varchar(60) not null default '', \`warehouse_code\` varchar(40) not null, \`note\` varchar(255) not null default '', \`received_by\` varchar(60) not null, \`received_at\` datetime not null, \`matched_case_no\` varchar(60) not null default '', \`matched_by\` varchar(60) not null default '', \`matched_at\` datetime null) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`unmatched_parcel\` add unique \`unmatched_parcel_waybill_no_unique\`(\`waybill_no\`);`);
    this.addSql(`alter table \`unmatched_parcel\` add index \`unmatched_parcel_matched_case_no_received_at_index\`(\`matched_case_no\`, \`received_at\`);`);
    this.addSql(`alter table \`orders\` add \`intercept_case_no\` varchar(60) not null default '';`);
    this.addSql(`alter table \`shop\` add \`refund_cursor\` datetime null, add \`return_remind_days\` int not null default 7, add \`return_close_days\` int not null default 15;`);
    this.addSql(`alter table \`stock_ledger\` drop index \`stock_ledger_idempotency_key_sku_code_warehouse_code_unique\`;`);
    this.addSql(`alter table \`stock_ledger\` add \`quality\` varchar(12) not null default 'good';`);
    this.addSql(`alter table \`stock_ledger\` add unique \`stock_ledger_idempotency_key_sku_code_warehouse_co_7085f_unique\`(\`idempotency_key\`, \`sku_code\`, \`warehouse_code\`, \`quality\`);`);
    this.addSql(`alter table \`stock_level\` drop index \`stock_level_sku_code_warehouse_code_unique\`;`);
    this.addSql(`alter table \`stock_level\` add \`quality\` varchar(12) not null default 'good';`);
    this.addSql(`alter table \`stock_level\` add unique \`stock_level_sku_code_warehouse_code_quality_unique\`(\`sku_code\`, \`warehouse_code\`, \`quality\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`after_sale_case\`;`);
    this.addSql(`drop table if exists \`money_entry\`;`);
    this.addSql(`drop table if exists \`platform_refund\`;`);
    this.addSql(`drop table if exists \`unmatched_parcel\`;`);
    this.addSql(`alter table \`orders\` drop column \`intercept_case_no\`;`);
    this.addSql(`alter table \`shop\` drop column \`refund_cursor\`, drop column \`return_remind_days\`, drop column \`return_close_days\`;`);
    this.addSql(`alter table \`stock_ledger\` drop index \`stock_ledger_idempotency_key_sku_code_warehouse_co_7085f_unique\`;`);
    this.addSql(`alter table \`stock_ledger\` drop column \`quality\`;`);
    this.addSql(`alter table \`stock_ledger\` add unique \`stock_ledger_idempotency_key_sku_code_warehouse_code_unique\`(\`idempotency_key\`, \`sku_code\`, \`warehouse_code\`);`);
    this.addSql(`alter table \`stock_level\` drop index \`stock_level_sku_code_warehouse_code_quality_unique\`;`);
    this.addSql(`alter table \`stock_level\` drop column \`quality\`;`);
    this.addSql(`alter table \`stock_level\` add unique \`stock_level_sku_code_warehouse_code_unique\`(\`sku_code\`, \`warehouse_code\`);`);
  }

}
