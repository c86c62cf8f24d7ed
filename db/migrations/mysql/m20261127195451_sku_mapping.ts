import { Migration } from '@mikro-orm/migrations';

/** 货品对应: platform SKUs of each shop (pulled or met on an order line) and the SKU or bundle each ships as. */
export class Migration20261127195452_m20261127195451_sku_mapping extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`platform_sku_mapping\` (\`id\` int unsigned not null auto_increment primary key, \`shop_code\` varchar(40) not null, \`platform_key\` varchar(130) not null, \`num_iid\` varchar(30) not null default '', \`sku_id\` varchar(30) not null default '', \`outer_id\` varchar(60) not null default '', \`title\` varchar(200) not null default '', \`spec\` varchar(200) not null default '', \`price_fen\` int not null default 0, \`sku_code\` varchar(60) not null default '', \`mapped_by\` varchar(60) not null default '', \`mapped_at\` datetime null, \`pulled_at\` datetime null, \`updated_at\` datetime not null) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`platform_sku_mapping\` add index \`platform_sku_mapping_shop_code_outer_id_index\`(\`shop_code\`, \`outer_id\`);`);
    this.addSql(`alter table \`platform_sku_mapping\` add index \`platform_sku_mapping_sku_code_index\`(\`sku_code\`);`);
    this.addSql(`alter table \`platform_sku_mapping\` add unique \`platform_sku_mapping_shop_code_platform_key_unique\`(\`shop_code\`, \`platform_key\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`platform_sku_mapping\`;`);
  }

}
