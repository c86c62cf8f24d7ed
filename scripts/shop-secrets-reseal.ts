/**
 * `npx tsx scripts/shop-secrets-reseal.ts`: seals every shop secret still in clear or under a previous key with the
 * current key (GUANJIA_SECRET_KEY or the key file), so after a rotation GUANJIA_SECRET_KEY_PREVIOUS can be dropped.
 * Safe to run while the system runs: a value is rewritten only if it still holds what was read.
 */
import { initORM } from '../db/orm';
import { resealShopSecrets } from '../db/settings/shop-secrets';
import { secretBox } from '../db/shop-secret-box';

async function main(): Promise<void> {
  const db = await initORM();
  try {
    const connection = db.em().getConnection();
    const n = await resealShopSecrets((sql, params) => connection.execute<Array<Record<string, unknown>>>(sql, params as never[]));
    console.log(`[reseal] ${n} shop secret(s) sealed under key ${secretBox().keyId}`);
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error('[reseal] failed:', err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
