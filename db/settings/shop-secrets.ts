/**
 * Opens a shop's stored credentials for a call to its platform, and seals the values an older version stored in
 * clear. Only activities (through activities/shop-api.ts) and 测试连接 open them; nothing else ever needs them.
 */
import type { Shop } from '../entities';
import { secretBox, type SecretBox } from '../shop-secret-box';

export interface ShopCredentials {
  apiUrl: string;
  appKey: string;
  appSecret: string;
  sessionKey: string;
  signMethod: string;
}

export function openShopCredentials(shop: Pick<Shop, 'apiUrl' | 'appKey' | 'appSecret' | 'sessionKey' | 'signMethod'>, box: SecretBox = secretBox()): ShopCredentials {
  return { apiUrl: shop.apiUrl, appKey: shop.appKey, appSecret: box.open(shop.appSecret), sessionKey: box.open(shop.sessionKey), signMethod: shop.signMethod };
}

/** Runs one SQL statement with parameters and returns its rows: a migration's `execute`, or a connection's. */
export type ExecuteSql = (sql: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>;

/**
 * Seals every secret stored in clear or under a previous key (the `shop_secrets` migration runs it once; run again
 * after a key rotation). Each row is written only if it still holds what was read, so two processes doing it at once
 * cannot seal a value twice. The key is read only when there is something to seal, so a new database needs none.
 */
export async function resealShopSecrets(execute: ExecuteSql, box?: () => SecretBox): Promise<number> {
  const rows = await execute('select id, app_secret, session_key from shop');
  let sealed = 0;
  let opened: SecretBox | undefined;
  const get = () => (opened ??= (box ?? secretBox)());
  for (const row of rows) {
    const id = Number(row.id);
    for (const column of ['app_secret', 'session_key'] as const) {
      const stored = String(row[column] ?? '');
      if (stored === '' || !get().needsReseal(stored)) continue;
      const resealed = get().seal(get().open(stored));
      await execute(`update shop set ${column} = ? where id = ? and ${column} = ?`, [resealed, id, stored]);
      sealed += 1;
    }
  }
  return sealed;
}
