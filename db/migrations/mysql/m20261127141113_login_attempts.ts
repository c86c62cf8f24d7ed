import { Migration } from '@mikro-orm/migrations';

export class Migration20261127141114_m20261127141113_login_attempts extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`login_attempt\` (\`id\` int unsigned not null auto_increment primary key, \`account_key\` varchar(100) not null, \`client_address\` varchar(64) not null, \`attempted_at\` datetime not null) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`login_attempt\` add index \`login_attempt_attempted_at_index\`(\`attempted_at\`);`);
    this.addSql(`alter table \`login_attempt\` add index \`login_attempt_account_key_client_address_attempted_at_index\`(\`account_key\`, \`client_address\`, \`attempted_at\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`login_attempt\`;`);
  }

}
