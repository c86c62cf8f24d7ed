import { Migration } from '@mikro-orm/migrations';

export class Migration20261126174946_m20261126174946_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`api_token\` (\`id\` int unsigned not null auto_increment primary key, \`user_id\` int not null, \`name\` varchar(100) not null, \`token_hash\` varchar(64) not null, \`prefix\` varchar(16) not null, \`created_at\` datetime not null, \`last_used_at\` datetime null, \`revoked_at\` datetime null) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`api_token\` add index \`api_token_user_id_index\`(\`user_id\`);`);
    this.addSql(`alter table \`api_token\` add unique \`api_token_token_hash_unique\`(\`token_hash\`);`);

    this.addSql(`create table \`audit_event\` (\`id\` int unsigned not null auto_increment primary key, \`event_key\` varchar(191) not null, \`entity_type\` varchar(20) not null, \`entity_id\` varchar(120) not null, \`action\` varchar(40) not null, \`actor\` varchar(60) not null, \`actor_name\` varchar(100) not null default '', \`reason\` varchar(500) not null default '', \`before\` json null, \`after\` json null, \`at\` datetime not null) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`audit_event\` add unique \`audit_event_event_key_unique\`(\`event_key\`);`);
    this.addSql(`alter table \`audit_event\` add index \`audit_event_entity_type_entity_id_at_index\`(\`entity_type\`, \`entity_id\`, \`at\`);`);
    this.addSql(`alter table \`audit_event\` add index \`audit_event_actor_at_index\`(\`actor\`, \`at\`);`);

    this.addSql(`create table \`bundle_component\` (\`id\` int unsigned not null auto_increment primary key, \`bundle_sku_code\` varchar(60) not null, \`component_sku_code\` varchar(60) not null, \`qty\` int not null) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`bundle_component\` add unique \`bundle_component_bundle_sku_code_component_sku_code_unique\`(\`bundle_sku_code\`, \`component_sku_code\`);`);

    this.addSql(`create table \`courier\` (\`id\` int unsigned not null auto_increment primary key, \`code\` varchar(20) not null, \`name\` varchar(60) not null, \`provider\` varchar(20) not null, \`settings\` json not null, \`regions_not_served\` json not null, \`template\` varchar(40) not null default 'waybill-100x180', \`is_default\` tinyint(1) not null default false, \`active\` tinyint(1) not null default true) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`courier\` add unique \`courier_code_unique\`(\`code\`);`);

    this.addSql(`create table \`import_batch\` (\`id\` int unsigned not null auto_increment primary key, \`shop_code\` varchar(40) not null, \`file_name\` varchar(255) not null, \`file_hash\` varchar(64) not null, \`created_by\` varchar(60) not null, \`created_at\` datetime not null, \`row_count\` int not null default 0, \`accepted_count\` int not null default 0, \`duplicate_count\` int not null default 0, \`signalled_count\` int not null default 0, \`skipped_count\` int not null default 0, \`error_count\` int not null default 0, \`errors\` json not null) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`import_batch\` add index \`import_batch_file_hash_index\`(\`file_hash\`);`);

    this.addSql(`create table \`orders\` (\`id\` varchar(120) not null, \`version\` int not null default 0, \`status\` varchar(20) not null, \`review_reasons\` varchar(500) not null default '', \`shop_code\` varchar(40) not null, \`platform_order_no\` varchar(64) not null, \`platform_status\` varchar(40) not null default '', \`refund_status\` varchar(40) not null default '', \`source\` varchar(10) not null default 'pull', \`buyer_nick\` varchar(100) not null default '', \`receiver_name\` varchar(100) not null default '', \`receiver_mobile\` varchar(40) not null default '', \`receiver_phone\` varchar(40) not null default '', \`province\` varchar(40) not null default '', \`city\` varchar(60) not null default '', \`district\` varchar(60) not null default '', \`address\` varchar(500) not null default '', \`zip\` varchar(10) not null default '', \`buyer_message\` text not null default (''), \`seller_memo\` text not null default (''), \`goods_fen\` int not null default 0, \`post_fen\` int not null default 0, \`paid_fen\` int not null default 0, \`item_count\` int not null default 0, \`main_sku\` varchar(60) not null default '', \`courier_code\` varchar(20) not null default '', \`warehouse_code\` varchar(40) not null default '', \`waybill_no\` varchar(40) not null default '', \`paid_at\` datetime null, \`platform_created_at\` datetime null, \`ship_by\` datetime null, \`reviewed_by\` varchar(60) not null default '', \`reviewed_at\` datetime null, \`print_count\` int not null default 0, \`printed_at\` datetime null, \`shipped_by\` varchar(60) not null default '', \`shipped_at\` datetime null, \`weight_grams\` int not null default 0, \`postage_fen\` int not null default 0, \`sync_status\` varchar(10) not null default 'none', \`sync_attempts\` int not null default 0, \`sync_last_error\` varchar(500) not null default '', \`sync_next_at\` datetime null, \`synced_at\` datetime null, \`alert\` varchar(255) not null default '', \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`)) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`orders\` add index \`orders_waybill_no_index\`(\`waybill_no\`);`);
    this.addSql(`alter table \`orders\` add index \`orders_status_paid_at_index\`(\`status\`, \`paid_at\`);`);
    this.addSql(`alter table \`orders\` add index \`orders_shop_code_status_index\`(\`shop_code\`, \`status\`);`);
    this.addSql(`alter table \`orders\` add index \`orders_status_province_index\`(\`status\`, \`province\`);`);
    this.addSql(`alter table \`orders\` add index \`orders_sync_status_index\`(\`sync_status\`);`);
    this.addSql(`alter table \`orders\` add index \`orders_receiver_mobile_index\`(\`receiver_mobile\`);`);
    this.addSql(`alter table \`orders\` add index \`orders_buyer_nick_index\`(\`buyer_nick\`);`);
    this.addSql(`alter table \`orders\` add index \`orders_platform_order_no_index\`(\`platform_order_no\`);`);
    this.addSql(`alter table \`orders\` add index \`orders_created_at_index\`(\`created_at\`);`);

    this.addSql(`create table \`order_line\` (\`id\` int unsigned not null auto_increment primary key, \`order_id\` varchar(120) not null, \`line_no\` int not null, \`oid\` varchar(64) not null default '', \`sku_code\` varchar(60) not null default '', \`barcode\` varchar(60) not null default '', \`title\` varchar(255) not null default '', \`spec\` varchar(255) not null default '', \`qty\` int not null default 0, \`price_fen\` int not null default 0, \`amount_fen\` int not null default 0, \`is_gift\` tinyint(1) not null default false) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`order_line\` add index \`order_line_sku_code_index\`(\`sku_code\`);`);
    this.addSql(`alter table \`order_line\` add unique \`order_line_order_id_line_no_unique\`(\`order_id\`, \`line_no\`);`);

    this.addSql(`create table \`platform_order\` (\`id\` int unsigned not null auto_increment primary key, \`shop_code\` varchar(40) not null, \`platform_order_no\` varchar(64) not null, \`platform_status\` varchar(40) not null, \`modified_at\` datetime not null, \`raw\` mediumtext not null, \`source\` varchar(10) not null default 'pull', \`submitted\` tinyint(1) not null default false, \`received_at\` datetime not null, \`updated_at\` datetime not null) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`platform_order\` add unique \`platform_order_shop_code_platform_order_no_unique\`(\`shop_code\`, \`platform_order_no\`);`);

    this.addSql(`create table \`print_batch\` (\`id\` varchar(60) not null, \`kinds\` varchar(40) not null, \`order_ids\` json not null, \`page_count\` int not null default 0, \`reprint\` tinyint(1) not null default false, \`created_by\` varchar(60) not null, \`created_at\` datetime not null, \`render_ms\` int not null default 0, \`pdf\` longblob null, primary key (\`id\`)) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`print_batch\` add index \`print_batch_created_at_index\`(\`created_at\`);`);

    this.addSql(`create table \`product\` (\`id\` int unsigned not null auto_increment primary key, \`code\` varchar(60) not null, \`name\` varchar(200) not null, \`active\` tinyint(1) not null default true) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`product\` add unique \`product_code_unique\`(\`code\`);`);

    this.addSql(`create table \`session\` (\`id\` varchar(64) not null, \`user_id\` int not null, \`csrf_token\` varchar(64) not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, \`ip\` varchar(64) not null default '', \`user_agent\` varchar(255) not null default '', primary key (\`id\`)) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`session\` add index \`session_user_id_index\`(\`user_id\`);`);
    this.addSql(`alter table \`session\` add index \`session_expires_at_index\`(\`expires_at\`);`);

    this.addSql(`create table \`shop\` (\`id\` int unsigned not null auto_increment primary key, \`code\` varchar(40) not null, \`platform\` varchar(20) not null, \`name\` varchar(100) not null, \`api_url\` varchar(255) not null, \`app_key\` varchar(100) not null, \`app_secret\` varchar(200) not null, \`session_key\` varchar(200) not null, \`sign_method\` varchar(20) not null default 'md5', \`pull_interval_seconds\` int not null default 60, \`ship_by_hours\` int not null default 48, \`pull_cursor\` datetime null, \`last_pull_at\` datetime null, \`last_pull_error\` text null, \`active\` tinyint(1) not null default true, \`created_at\` datetime not null) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`shop\` add unique \`shop_code_unique\`(\`code\`);`);

    this.addSql(`create table \`sku\` (\`id\` int unsigned not null auto_increment primary key, \`product_id\` int not null, \`code\` varchar(60) not null, \`barcode\` varchar(60) not null, \`name\` varchar(200) not null, \`spec\` varchar(200) not null default '', \`weight_grams\` int not null default 0, \`cost_fen\` int not null default 0, \`price_fen\` int not null default 0, \`is_bundle\` tinyint(1) not null default false, \`active\` tinyint(1) not null default true) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`sku\` add index \`sku_product_id_index\`(\`product_id\`);`);
    this.addSql(`alter table \`sku\` add unique \`sku_code_unique\`(\`code\`);`);
    this.addSql(`alter table \`sku\` add index \`sku_barcode_index\`(\`barcode\`);`);

    this.addSql(`create table \`stock_ledger\` (\`id\` int unsigned not null auto_increment primary key, \`idempotency_key\` varchar(191) not null, \`kind\` varchar(20) not null, \`sku_code\` varchar(60) not null, \`warehouse_code\` varchar(40) not null, \`on_hand_delta\` int not null default 0, \`reserved_delta\` int not null default 0, \`on_hand_after\` int not null default 0, \`reserved_after\` int not null default 0, \`ref_type\` varchar(20) not null default '', \`ref_id\` varchar(120) not null default '', \`actor\` varchar(60) not null default '', \`note\` varchar(255) not null default '', \`at\` datetime not null) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`stock_ledger\` add index \`stock_ledger_sku_code_warehouse_code_index\`(\`sku_code\`, \`warehouse_code\`);`);
    this.addSql(`alter table \`stock_ledger\` add index \`stock_ledger_ref_type_ref_id_index\`(\`ref_type\`, \`ref_id\`);`);
    this.addSql(`alter table \`stock_ledger\` add unique \`stock_ledger_idempotency_key_sku_code_warehouse_code_unique\`(\`idempotency_key\`, \`sku_code\`, \`warehouse_code\`);`);

    this.addSql(`create table \`stock_level\` (\`id\` int unsigned not null auto_increment primary key, \`sku_code\` varchar(60) not null, \`warehouse_code\` varchar(40) not null, \`on_hand\` int not null default 0, \`reserved\` int not null default 0, \`updated_at\` datetime not null) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`stock_level\` add index \`stock_level_warehouse_code_index\`(\`warehouse_code\`);`);
    this.addSql(`alter table \`stock_level\` add unique \`stock_level_sku_code_warehouse_code_unique\`(\`sku_code\`, \`warehouse_code\`);`);

    this.addSql(`create table \`app_user\` (\`id\` int unsigned not null auto_increment primary key, \`username\` varchar(60) not null, \`display_name\` varchar(100) not null, \`password_hash\` varchar(255) not null, \`roles\` json not null, \`active\` tinyint(1) not null default true, \`locale\` varchar(10) not null default 'zh-CN', \`created_at\` datetime not null, \`last_login_at\` datetime null) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`app_user\` add unique \`app_user_username_unique\`(\`username\`);`);

    this.addSql(`create table \`warehouse\` (\`id\` int unsigned not null auto_increment primary key, \`code\` varchar(40) not null, \`name\` varchar(100) not null, \`kind\` varchar(20) not null, \`allow_negative\` tinyint(1) not null default false, \`is_default\` tinyint(1) not null default false, \`active\` tinyint(1) not null default true) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`warehouse\` add unique \`warehouse_code_unique\`(\`code\`);`);

    this.addSql(`create table \`waybill\` (\`id\` int unsigned not null auto_increment primary key, \`order_id\` varchar(120) not null, \`courier_code\` varchar(20) not null, \`number\` varchar(40) not null, \`status\` varchar(12) not null default 'reserved', \`print_count\` int not null default 0, \`reservation_key\` varchar(191) not null, \`reserved_at\` datetime not null, \`printed_at\` datetime null, \`cancelled_at\` datetime null) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`waybill\` add index \`waybill_order_id_index\`(\`order_id\`);`);
    this.addSql(`alter table \`waybill\` add unique \`waybill_courier_code_number_unique\`(\`courier_code\`, \`number\`);`);
    this.addSql(`alter table \`waybill\` add unique \`waybill_reservation_key_unique\`(\`reservation_key\`);`);

    this.addSql(`create table \`waybill_pool_number\` (\`id\` int unsigned not null auto_increment primary key, \`courier_code\` varchar(20) not null, \`number\` varchar(40) not null, \`status\` varchar(10) not null default 'free', \`order_id\` varchar(120) null, \`reserved_at\` datetime null) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`waybill_pool_number\` add index \`waybill_pool_number_order_id_index\`(\`order_id\`);`);
    this.addSql(`alter table \`waybill_pool_number\` add index \`waybill_pool_number_courier_code_status_index\`(\`courier_code\`, \`status\`);`);
    this.addSql(`alter table \`waybill_pool_number\` add unique \`waybill_pool_number_courier_code_number_unique\`(\`courier_code\`, \`number\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`api_token\`;`);

    this.addSql(`drop table if exists \`audit_event\`;`);

    this.addSql(`drop table if exists \`bundle_component\`;`);

    this.addSql(`drop table if exists \`courier\`;`);

    this.addSql(`drop table if exists \`import_batch\`;`);

    this.addSql(`drop table if exists \`orders\`;`);

    this.addSql(`drop table if exists \`order_line\`;`);

    this.addSql(`drop table if exists \`platform_order\`;`);

    this.addSql(`drop table if exists \`print_batch\`;`);

    this.addSql(`drop table if exists \`product\`;`);

    this.addSql(`drop table if exists \`session\`;`);

    this.addSql(`drop table if exists \`shop\`;`);

    this.addSql(`drop table if exists \`sku\`;`);

    this.addSql(`drop table if exists \`stock_ledger\`;`);

    this.addSql(`drop table if exists \`stock_level\`;`);

    this.addSql(`drop table if exists \`app_user\`;`);

    this.addSql(`drop table if exists \`warehouse\`;`);

    this.addSql(`drop table if exists \`waybill\`;`);

    this.addSql(`drop table if exists \`waybill_pool_number\`;`);
  }

}
