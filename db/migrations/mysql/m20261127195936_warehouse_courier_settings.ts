import { Migration } from '@mikro-orm/migrations';

/** 设置 → 仓库、快递、号段: the warehouse's sender address, a courier's reuse of cancelled numbers and low-roll warning, and the record of each number-roll import. */
export class Migration20261127195943_m20261127195936_warehouse_courier_settings extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`number_roll_import\` (\`id\` int unsigned not null auto_increment primary key, \`courier_code\` varchar(20) not null, \`kind\` varchar(10) not null, \`source\` varchar(200) not null default '', \`requested\` int not null, \`added\` int not null, \`duplicates\` int not null, \`already_present\` int not null, \`duplicate_samples\` json not null, \`created_by\` varchar(60) not null, \`created_at\` datetime not null) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`number_roll_import\` add index \`number_roll_import_courier_code_created_at_index\`(\`courier_code\`, \`created_at\`);`);
    this.addSql(`alter table \`courier\` add \`reuse_cancelled\` tinyint(1) not null default true, add \`low_roll_threshold\` int not null default 200;`);
    this.addSql(`alter table \`warehouse\` add \`contact_name\` varchar(60) not null default '', add \`contact_phone\` varchar(40) not null default '', add \`province\` varchar(40) not null default '', add \`city\` varchar(40) not null default '', add \`district\` varchar(40) not null default '', add \`detail\` varchar(255) not null default '';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`number_roll_import\`;`);
    this.addSql(`alter table \`courier\` drop column \`reuse_cancelled\`, drop column \`low_roll_threshold\`;`);
    this.addSql(`alter table \`warehouse\` drop column \`contact_name\`, drop column \`contact_phone\`, drop column \`province\`, drop column \`city\`, drop column \`district\`, drop column \`detail\`;`);
  }

}
