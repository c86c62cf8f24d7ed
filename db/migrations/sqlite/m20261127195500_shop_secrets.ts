import { Migration } from '@mikro-orm/migrations';
import { resealShopSecrets } from '../../settings/shop-secrets';

/**
 * Shop secrets sealed at rest: 授权已过期 on the shop, and every app secret and session key an older version stored
 * in clear sealed under the current key (db/shop-secret-box.ts). SQLite text columns need no widening.
 */
export class Migration20261127195501_m20261127195500_shop_secrets extends Migration {

  override async up(): Promise<void> {
    await this.execute(`alter table \`shop\` add column \`auth_expired_at\` datetime null;`);
    await resealShopSecrets(async (sql, params) => (await this.execute(sql, params)) as Array<Record<string, unknown>>);
  }

}
