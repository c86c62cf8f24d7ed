import { Migration } from '@mikro-orm/migrations';
import { resealShopSecrets } from '../../settings/shop-secrets';

/**
 * Shop secrets sealed at rest: room for the sealed form, 授权已过期 on the shop, and every app secret and session key
 * an older version stored in clear sealed under the current key (db/shop-secret-box.ts). Run statement by statement
 * so the secrets are sealed after the columns are wide enough for them.
 */
export class Migration20261127195501_m20261127195500_shop_secrets extends Migration {

  override async up(): Promise<void> {
    await this.execute(`alter table \`shop\` add \`auth_expired_at\` datetime null;`);
    await this.execute(`alter table \`shop\` modify \`app_secret\` varchar(500) not null, modify \`session_key\` varchar(500) not null;`);
    await resealShopSecrets(async (sql, params) => (await this.execute(sql, params)) as Array<Record<string, unknown>>);
  }

}
