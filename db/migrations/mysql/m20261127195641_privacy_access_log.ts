import { Migration } from '@mikro-orm/migrations';

/** The personal-data access log, the per-token API rate-limit window and the retention settings (issue 9 §2). */
export class Migration20261127195642_m20261127195641_privacy_access_log extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`api_request\` (\`id\` int unsigned not null auto_increment primary key, \`token_key\` varchar(32) not null, \`at\` datetime not null) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`api_request\` add index \`api_request_at_index\`(\`at\`);`);
    this.addSql(`alter table \`api_request\` add index \`api_request_token_key_at_index\`(\`token_key\`, \`at\`);`);
    this.addSql(`create table \`pii_access_log\` (\`id\` int unsigned not null auto_increment primary key, \`username\` varchar(60) not null, \`action\` varchar(10) not null, \`via\` varchar(10) not null, \`order_ids\` text not null default (''), \`description\` varchar(500) not null default '', \`row_count\` int not null default 0, \`client_address\` varchar(64) not null default '', \`at\` datetime not null) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`pii_access_log\` add index \`pii_access_log_at_index\`(\`at\`);`);
    this.addSql(`alter table \`pii_access_log\` add index \`pii_access_log_username_at_index\`(\`username\`, \`at\`);`);
    this.addSql(`create table \`retention_setting\` (\`id\` int unsigned not null, \`print_pdf_days\` int not null default 30, \`platform_order_days\` int not null default 90, \`access_log_days\` int not null default 365, \`updated_by\` varchar(60) not null default '', \`updated_at\` datetime not null, primary key (\`id\`)) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`api_request\`;`);
    this.addSql(`drop table if exists \`pii_access_log\`;`);
    this.addSql(`drop table if exists \`retention_setting\`;`);
  }

}
