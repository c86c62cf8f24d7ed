/**
 * `npm run stock:verify`: checks the stock books of the database DATABASE_URL points at (levels against
 * the ledger, reservations against open orders, nothing negative where not allowed, no key applied
 * twice), prints the figures and every break, and exits 1 when anything does not add up.
 */
import fs from 'node:fs';
import { verifyStock, type StockVerification } from '../activities/stock-verify';
import { databaseSettingsFromEnv } from '../db/config';
import { initORM } from '../db/orm';

const SHOWN_BREAKS = 50;

export function formatStockVerification(r: StockVerification): string {
  const f = r.figures;
  const lines = [
    `stock levels ${f.levels}, ledger rows ${f.ledgerRows}, on hand ${f.onHand}, reserved ${f.reserved}`,
    `orders holding stock ${f.openOrders}, orders shipped ${f.shippedOrders}`,
    ...(f.transfers ? [`transfers ${f.transfers}, units in transit ${f.inTransit ?? 0}`] : []),
    r.ok ? 'stock books balance: 0 breaks' : `stock books DO NOT balance: ${r.breaks.length} break(s)`,
    ...r.breaks.slice(0, SHOWN_BREAKS).map((b) => `  [${b.check}] ${b.message}`),
  ];
  if (r.breaks.length > SHOWN_BREAKS) lines.push(`  … and ${r.breaks.length - SHOWN_BREAKS} more`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const settings = databaseSettingsFromEnv();
  // Opening a SQLite path that does not exist would create an empty database; a check must change nothing.
  if (settings.dialect === 'sqlite' && !fs.existsSync(settings.url)) throw new Error(`no database at ${settings.url} (set DATABASE_URL)`);
  // Nor its schema: no migrations from a check.
  const db = await initORM({ settings, migrate: false });
  try {
    const result = await verifyStock(db).catch((err: unknown) => {
      const missing = /no such table|doesn't exist/i.test(String(err));
      throw missing ? new Error('this database has no Guanjia stock tables: start Guanjia on it once (it migrates), or check DATABASE_URL', { cause: err }) : err;
    });
    console.log(`database: ${db.settings.dialect} ${db.settings.dialect === 'sqlite' ? db.settings.url : new URL(db.settings.url).pathname.slice(1)}`);
    console.log(formatStockVerification(result));
    process.exitCode = result.ok ? 0 : 1;
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`stock:verify failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  });
}
