import { Migration } from '@mikro-orm/migrations';

export class Migration20261127141114_m20261127141113_login_attempts extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`login_attempt\` (\`id\` integer not null primary key autoincrement, \`account_key\` text not null, \`client_address\` text not null, \`attempted_at\` datetime not null);`);
    this.addSql(`create index \`login_attempt_attempted_at_index\` on \`login_attempt\` (\`attempted_at\`);`);
    this.addSql(`create index \`login_attempt_account_key_client_address_attempted_at_index\` on \`login_attempt\` (\`account_key\`, \`client_address\`, \`attempted_at\`);`);
  }

}
