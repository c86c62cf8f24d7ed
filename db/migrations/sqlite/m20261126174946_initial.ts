import { Migration } from '@mikro-orm/migrations';

export class Migration20261126174946_m20261126174946_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`api_token\` (\`id\` integer not null primary key autoincrement, \`user_id\` integer not null, \`name\` text not null, \`token_hash\` text not null, \`prefix\` text not null, \`created_at\` datetime not null, \`last_used_at\` datetime null, \`revoked_at\` datetime null);`);
    this.addSql(`create index \`api_token_user_id_index\` on \`api_token\` (\`user_id\`);`);
    this.addSql(`create unique index \`api_token_token_hash_unique\` on \`api_token\` (\`token_hash\`);`);

    this.addSql(`create table \`audit_event\` (\`id\` integer not null primary key autoincrement, \`event_key\` text not null, \`entity_type\` text not null, \`entity_id\` text not null, \`action\` text not null, \`actor\` text not null, \`actor_name\` text not null default '', \`reason\` text not null default '', \`before\` json null, \`after\` json null, \`at\` datetime not null);`);
    this.addSql(`create unique index \`audit_event_event_key_unique\` on \`audit_event\` (\`event_key\`);`);
    this.addSql(`create index \`audit_event_entity_type_entity_id_at_index\` on \`audit_event\` (\`entity_type\`, \`entity_id\`, \`at\`);`);
    this.addSql(`create index \`audit_event_actor_at_index\` on \`audit_event\` (\`actor\`, \`at\`);`);

    this.addSql(`create table \`bundle_component\` (\`id\` integer not null primary key autoincrement, \`bundle_sku_code\` text not null, \`component_sku_code\` text not null, \`qty\` integer not null);`);
    this.addSql(`create unique index \`bundle_component_bundle_sku_code_component_sku_code_unique\` on \`bundle_component\` (\`bundle_sku_code\`, \`component_sku_code\`);`);

    this.addSql(`create table \`courier\` (\`id\` integer not null primary key autoincrement, \`code\` text not null, \`name\` text not null, \`provider\` text not null, \`settings\` json not null, \`regions_not_served\` json not null, \`template\` text not null default 'waybill-100x180', \`is_default\` integer not null default false, \`active\` integer not null default true);`);
    this.addSql(`create unique index \`courier_code_unique\` on \`courier\` (\`code\`);`);

    this.addSql(`create table \`import_batch\` (\`id\` integer not null primary key autoincrement, \`shop_code\` text not null, \`file_name\` text not null, \`file_hash\` text not null, \`created_by\` text not null, \`created_at\` datetime not null, \`row_count\` integer not null default 0, \`accepted_count\` integer not null default 0, \`duplicate_count\` integer not null default 0, \`signalled_count\` integer not null default 0, \`skipped_count\` integer not null default 0, \`error_count\` integer not null default 0, \`errors\` json not null);`);
    this.addSql(`create index \`import_batch_file_hash_index\` on \`import_batch\` (\`file_hash\`);`);

    this.addSql(`create table \`orders\` (\`id\` text not null, \`version\` integer not null default 0, \`status\` text not null, \`review_reasons\` text not null default '', \`shop_code\` text not null, \`platform_order_no\` text not null, \`platform_status\` text not null default '', \`refund_status\` text not null default '', \`source\` text not null default 'pull', \`buyer_nick\` text not null default '', \`receiver_name\` text not null default '', \`receiver_mobile\` text not null default '', \`receiver_phone\` text not null default '', \`province\` text not null default '', \`city\` text not null default '', \`district\` text not null default '', \`address\` text not null default '', \`zip\` text not null default '', \`buyer_message\` text not null default '', \`seller_memo\` text not null default '', \`goods_fen\` integer not null default 0, \`post_fen\` integer not null default 0, \`paid_fen\` integer not null default 0, \`item_count\` integer not null default 0, \`main_sku\` text not null default '', \`courier_code\` text not null default '', \`warehouse_code\` text not null default '', \`waybill_no\` text not null default '', \`paid_at\` datetime null, \`platform_created_at\` datetime null, \`ship_by\` datetime null, \`reviewed_by\` text not null default '', \`reviewed_at\` datetime null, \`print_count\` integer not null default 0, \`printed_at\` datetime null, \`shipped_by\` text not null default '', \`shipped_at\` datetime null, \`weight_grams\` integer not null default 0, \`postage_fen\` integer not null default 0, \`sync_status\` text not null default 'none', \`sync_attempts\` integer not null default 0, \`sync_last_error\` text not null default '', \`sync_next_at\` datetime null, \`synced_at\` datetime null, \`alert\` text not null default '', \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`orders_waybill_no_index\` on \`orders\` (\`waybill_no\`);`);
    this.addSql(`create index \`orders_status_paid_at_index\` on \`orders\` (\`status\`, \`paid_at\`);`);
    this.addSql(`create index \`orders_shop_code_status_index\` on \`orders\` (\`shop_code\`, \`status\`);`);
    this.addSql(`create index \`orders_status_province_index\` on \`orders\` (\`status\`, \`province\`);`);
    this.addSql(`create index \`orders_sync_status_index\` on \`orders\` (\`sync_status\`);`);
    this.addSql(`create index \`orders_receiver_mobile_index\` on \`orders\` (\`receiver_mobile\`);`);
    this.addSql(`create index \`orders_buyer_nick_index\` on \`orders\` (\`buyer_nick\`);`);
    this.addSql(`create index \`orders_platform_order_no_index\` on \`orders\` (\`platform_order_no\`);`);
    this.addSql(`create index \`orders_created_at_index\` on \`orders\` (\`created_at\`);`);

    this.addSql(`create table \`order_line\` (\`id\` integer not null primary key autoincrement, \`order_id\` text not null, \`line_no\` integer not null, \`oid\` text not null default '', \`sku_code\` text not null default '', \`barcode\` text not null default '', \`title\` text not null default '', \`spec\` text not null default '', \`qty\` integer not null default 0, \`price_fen\` integer not null default 0, \`amount_fen\` integer not null default 0, \`is_gift\` integer not null default false);`);
    this.addSql(`create index \`order_line_sku_code_index\` on \`order_line\` (\`sku_code\`);`);
    this.addSql(`create unique index \`order_line_order_id_line_no_unique\` on \`order_line\` (\`order_id\`, \`line_no\`);`);

    this.addSql(`create table \`platform_order\` (\`id\` integer not null primary key autoincrement, \`shop_code\` text not null, \`platform_order_no\` text not null, \`platform_status\` text not null, \`modified_at\` datetime not null, \`raw\` mediumtext not null, \`source\` text not null default 'pull', \`submitted\` integer not null default false, \`received_at\` datetime not null, \`updated_at\` datetime not null);`);
    this.addSql(`create unique index \`platform_order_shop_code_platform_order_no_unique\` on \`platform_order\` (\`shop_code\`, \`platform_order_no\`);`);

    this.addSql(`create table \`print_batch\` (\`id\` text not null, \`kinds\` text not null, \`order_ids\` json not null, \`page_count\` integer not null default 0, \`reprint\` integer not null default false, \`created_by\` text not null, \`created_at\` datetime not null, \`render_ms\` integer not null default 0, \`pdf\` longblob null, primary key (\`id\`));`);
    this.addSql(`create index \`print_batch_created_at_index\` on \`print_batch\` (\`created_at\`);`);

    this.addSql(`create table \`product\` (\`id\` integer not null primary key autoincrement, \`code\` text not null, \`name\` text not null, \`active\` integer not null default true);`);
    this.addSql(`create unique index \`product_code_unique\` on \`product\` (\`code\`);`);

    this.addSql(`create table \`session\` (\`id\` text not null, \`user_id\` integer not null, \`csrf_token\` text not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, \`ip\` text not null default '', \`user_agent\` text not null default '', primary key (\`id\`));`);
    this.addSql(`create index \`session_user_id_index\` on \`session\` (\`user_id\`);`);
    this.addSql(`create index \`session_expires_at_index\` on \`session\` (\`expires_at\`);`);

    this.addSql(`create table \`shop\` (\`id\` integer not null primary key autoincrement, \`code\` text not null, \`platform\` text not null, \`name\` text not null, \`api_url\` text not null, \`app_key\` text not null, \`app_secret\` text not null, \`session_key\` text not null, \`sign_method\` text not null default 'md5', \`pull_interval_seconds\` integer not null default 60, \`ship_by_hours\` integer not null default 48, \`pull_cursor\` datetime null, \`last_pull_at\` datetime null, \`last_pull_error\` text null, \`active\` integer not null default true, \`created_at\` datetime not null);`);
    this.addSql(`create unique index \`shop_code_unique\` on \`shop\` (\`code\`);`);

    this.addSql(`create table \`sku\` (\`id\` integer not null primary key autoincrement, \`product_id\` integer not null, \`code\` text not null, \`barcode\` text not null, \`name\` text not null, \`spec\` text not null default '', \`weight_grams\` integer not null default 0, \`cost_fen\` integer not null default 0, \`price_fen\` integer not null default 0, \`is_bundle\` integer not null default false, \`active\` integer not null default true);`);
    this.addSql(`create index \`sku_product_id_index\` on \`sku\` (\`product_id\`);`);
    this.addSql(`create unique index \`sku_code_unique\` on \`sku\` (\`code\`);`);
    this.addSql(`create index \`sku_barcode_index\` on \`sku\` (\`barcode\`);`);

    this.addSql(`create table \`stock_ledger\` (\`id\` integer not null primary key autoincrement, \`idempotency_key\` text not null, \`kind\` text not null, \`sku_code\` text not null, \`warehouse_code\` text not null, \`on_hand_delta\` integer not null default 0, \`reserved_delta\` integer not null default 0, \`on_hand_after\` integer not null default 0, \`reserved_after\` integer not null default 0, \`ref_type\` text not null default '', \`ref_id\` text not null default '', \`actor\` text not null default '', \`note\` text not null default '', \`at\` datetime not null);`);
    this.addSql(`create index \`stock_ledger_sku_code_warehouse_code_index\` on \`stock_ledger\` (\`sku_code\`, \`warehouse_code\`);`);
    this.addSql(`create index \`stock_ledger_ref_type_ref_id_index\` on \`stock_ledger\` (\`ref_type\`, \`ref_id\`);`);
    this.addSql(`create unique index \`stock_ledger_idempotency_key_sku_code_warehouse_code_unique\` on \`stock_ledger\` (\`idempotency_key\`, \`sku_code\`, \`warehouse_code\`);`);

    this.addSql(`create table \`stock_level\` (\`id\` integer not null primary key autoincrement, \`sku_code\` text not null, \`warehouse_code\` text not null, \`on_hand\` integer not null default 0, \`reserved\` integer not null default 0, \`updated_at\` datetime not null);`);
    this.addSql(`create index \`stock_level_warehouse_code_index\` on \`stock_level\` (\`warehouse_code\`);`);
    this.addSql(`create unique index \`stock_level_sku_code_warehouse_code_unique\` on \`stock_level\` (\`sku_code\`, \`warehouse_code\`);`);

    this.addSql(`create table \`app_user\` (\`id\` integer not null primary key autoincrement, \`username\` text not null, \`display_name\` text not null, \`password_hash\` text not null, \`roles\` json not null, \`active\` integer not null default true, \`locale\` text not null default 'zh-CN', \`created_at\` datetime not null, \`last_login_at\` datetime null);`);
    this.addSql(`create unique index \`app_user_username_unique\` on \`app_user\` (\`username\`);`);

    this.addSql(`create table \`warehouse\` (\`id\` integer not null primary key autoincrement, \`code\` text not null, \`name\` text not null, \`kind\` text not null, \`allow_negative\` integer not null default false, \`is_default\` integer not null default false, \`active\` integer not null default true);`);
    this.addSql(`create unique index \`warehouse_code_unique\` on \`warehouse\` (\`code\`);`);

    this.addSql(`create table \`waybill\` (\`id\` integer not null primary key autoincrement, \`order_id\` text not null, \`courier_code\` text not null, \`number\` text not null, \`status\` text not null default 'reserved', \`print_count\` integer not null default 0, \`reservation_key\` text not null, \`reserved_at\` datetime not null, \`printed_at\` datetime null, \`cancelled_at\` datetime null);`);
    this.addSql(`create index \`waybill_order_id_index\` on \`waybill\` (\`order_id\`);`);
    this.addSql(`create unique index \`waybill_courier_code_number_unique\` on \`waybill\` (\`courier_code\`, \`number\`);`);
    this.addSql(`create unique index \`waybill_reservation_key_unique\` on \`waybill\` (\`reservation_key\`);`);

    this.addSql(`create table \`waybill_pool_number\` (\`id\` integer not null primary key autoincrement, \`courier_code\` text not null, \`number\` text not null, \`status\` text not null default 'free', \`order_id\` text null, \`reserved_at\` datetime null);`);
    this.addSql(`create index \`waybill_pool_number_order_id_index\` on \`waybill_pool_number\` (\`order_id\`);`);
    this.addSql(`create index \`waybill_pool_number_courier_code_status_index\` on \`waybill_pool_number\` (\`courier_code\`, \`status\`);`);
    this.addSql(`create unique index \`waybill_pool_number_courier_code_number_unique\` on \`waybill_pool_number\` (\`courier_code\`, \`number\`);`);
  }

}
