import { Migration } from '@mikro-orm/migrations';

export class Migration20261127141522_m20261127141522_print_and_import_progress extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`import_batch_order\` (\`import_id\` int unsigned not null, \`seq\` int unsigned not null, \`draft\` json not null, \`raw\` mediumtext not null, primary key (\`import_id\`, \`seq\`)) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);

    this.addSql(`alter table \`import_batch\` add \`action_id\` varchar(64) null, add \`status\` varchar(12) not null default 'done', add \`item_row_count\` int not null default 0, add \`order_count\` int not null default 0, add \`submitted_count\` int not null default 0, add \`last_error\` varchar(500) not null default '', add \`finished_at\` datetime null;`);
    this.addSql(`alter table \`import_batch\` add unique \`import_batch_created_by_action_id_unique\`(\`created_by\`, \`action_id\`);`);

    this.addSql(`alter table \`print_batch\` add \`status\` varchar(10) not null default 'printed', add \`error\` varchar(500) not null default '';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`import_batch_order\`;`);

    this.addSql(`alter table \`import_batch\` drop index \`import_batch_created_by_action_id_unique\`;`);
    this.addSql(`alter table \`import_batch\` drop column \`action_id\`, drop column \`status\`, drop column \`item_row_count\`, drop column \`order_count\`, drop column \`submitted_count\`, drop column \`last_error\`, drop column \`finished_at\`;`);

    this.addSql(`alter table \`print_batch\` drop column \`status\`, drop column \`error\`;`);
  }

}
