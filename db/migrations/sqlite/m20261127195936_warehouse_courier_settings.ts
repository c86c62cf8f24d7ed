import { Migration } from '@mikro-orm/migrations';

/** 设置 → 仓库、快递、号段: the warehouse's sender address, a courier's reuse of cancelled numbers and low-roll warning, and the record of each number-roll import. */
export class Migration20261127195943_m20261127195936_warehouse_courier_settings extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`number_roll_import\` (\`id\` integer not null primary key autoincrement, \`courier_code\` text not null, \`kind\` text not null, \`source\` text not null default '', \`requested\` integer not null, \`added\` integer not null, \`duplicates\` integer not null, \`already_present\` integer not null, \`duplicate_samples\` json not null, \`created_by\` text not null, \`created_at\` datetime not null);`);
    this.addSql(`create index \`number_roll_import_courier_code_created_at_index\` on \`number_roll_import\` (\`courier_code\`, \`created_at\`);`);

    this.addSql(`alter table \`courier\` add column \`reuse_cancelled\` integer not null default true;`);
    this.addSql(`alter table \`courier\` add column \`low_roll_threshold\` integer not null default 200;`);

    this.addSql(`alter table \`warehouse\` add column \`contact_name\` text not null default '';`);
    this.addSql(`alter table \`warehouse\` add column \`contact_phone\` text not null default '';`);
    this.addSql(`alter table \`warehouse\` add column \`province\` text not null default '';`);
    this.addSql(`alter table \`warehouse\` add column \`city\` text not null default '';`);
    this.addSql(`alter table \`warehouse\` add column \`district\` text not null default '';`);
    this.addSql(`alter table \`warehouse\` add column \`detail\` text not null default '';`);
  }

}
