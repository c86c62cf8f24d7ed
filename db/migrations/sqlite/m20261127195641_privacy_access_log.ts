import { Migration } from '@mikro-orm/migrations';

/** The personal-data access log, the per-token API rate-limit window and the retention settings (issue 9 §2). */
export class Migration20261127195642_m20261127195641_privacy_access_log extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`api_request\` (\`id\` integer not null primary key autoincrement, \`token_key\` text not null, \`at\` datetime not null);`);
    this.addSql(`create index \`api_request_at_index\` on \`api_request\` (\`at\`);`);
    this.addSql(`create index \`api_request_token_key_at_index\` on \`api_request\` (\`token_key\`, \`at\`);`);
    this.addSql(`create table \`pii_access_log\` (\`id\` integer not null primary key autoincrement, \`username\` text not null, \`action\` text not null, \`via\` text not null, \`order_ids\` text not null default '', \`description\` text not null default '', \`row_count\` integer not null default 0, \`client_address\` text not null default '', \`at\` datetime not null);`);
    this.addSql(`create index \`pii_access_log_at_index\` on \`pii_access_log\` (\`at\`);`);
    this.addSql(`create index \`pii_access_log_username_at_index\` on \`pii_access_log\` (\`username\`, \`at\`);`);
    this.addSql(`create table \`retention_setting\` (\`id\` integer not null, \`print_pdf_days\` integer not null default 30, \`platform_order_days\` integer not null default 90, \`access_log_days\` integer not null default 365, \`updated_by\` text not null default '', \`updated_at\` datetime not null, primary key (\`id\`));`);
  }

}
