import { Migration } from '@mikro-orm/migrations';

/** 货品对应: platform SKUs of each shop (pulled or met on an order line) and the SKU or bundle each ships as. */
export class Migration20261127195452_m20261127195451_sku_mapping extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`platform_sku_mapping\` (\`id\` integer not null primary key autoincrement, \`shop_code\` text not null, \`platform_key\` text not null, \`num_iid\` text not null default '', \`sku_id\` text not null default '', \`outer_id\` text not null default '', \`title\` text not null default '', \`spec\` text not null default '', \`price_fen\` integer not null default 0, \`sku_code\` text not null default '', \`mapped_by\` text not null default '', \`mapped_at\` datetime null, \`pulled_at\` datetime null, \`updated_at\` datetime not null);`);
    this.addSql(`create index \`platform_sku_mapping_shop_code_outer_id_index\` on \`platform_sku_mapping\` (\`shop_code\`, \`outer_id\`);`);
    this.addSql(`create index \`platform_sku_mapping_sku_code_index\` on \`platform_sku_mapping\` (\`sku_code\`);`);
    this.addSql(`create unique index \`platform_sku_mapping_shop_code_platform_key_unique\` on \`platform_sku_mapping\` (\`shop_code\`, \`platform_key\`);`);
  }

  override async down(): Promise<void> {

  }

}
