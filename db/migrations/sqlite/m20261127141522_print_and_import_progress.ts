import { Migration } from '@mikro-orm/migrations';

export class Migration20261127141522_m20261127141522_print_and_import_progress extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`import_batch_order\` (\`import_id\` integer not null, \`seq\` integer not null, \`draft\` json not null, \`raw\` mediumtext not null, primary key (\`import_id\`, \`seq\`));`);

    this.addSql(`alter table \`import_batch\` add column \`action_id\` text null;`);
    this.addSql(`alter table \`import_batch\` add column \`status\` text not null default 'done';`);
    this.addSql(`alter table \`import_batch\` add column \`item_row_count\` integer not null default 0;`);
    this.addSql(`alter table \`import_batch\` add column \`order_count\` integer not null default 0;`);
    this.addSql(`alter table \`import_batch\` add column \`submitted_count\` integer not null default 0;`);
    this.addSql(`alter table \`import_batch\` add column \`last_error\` text not null default '';`);
    this.addSql(`alter table \`import_batch\` add column \`finished_at\` datetime null;`);
    this.addSql(`create unique index \`import_batch_created_by_action_id_unique\` on \`import_batch\` (\`created_by\`, \`action_id\`);`);

    this.addSql(`alter table \`print_batch\` add column \`status\` text not null default 'printed';`);
    this.addSql(`alter table \`print_batch\` add column \`error\` text not null default '';`);
  }

}
