/**
 * The last units of a SKU under a rush: 50 orders reserving at the same moment for the last 10 units get exactly 10
 * reservations, nothing goes below zero, and the level still equals the sum of its ledger — on whichever database
 * DATABASE_URL names (MariaDB) or SQLite.
 */
import { createStockActivities } from '../activities/stock';
import { Sku, StockLedgerEntry, StockLevel, Warehouse } from '../db/entities';
import { createTestDb, type TestDb } from './helpers/test-db';

let testDb: TestDb;
const SKU = 'LAST-10';

beforeAll(async () => {
  testDb = await createTestDb();
  const em = testDb.db.em();
  em.create(Warehouse, { code: 'MAIN', name: '本地仓库', kind: 'normal', isDefault: true });
  em.create(Warehouse, { code: 'PRE', name: '预售仓', kind: 'normal', allowNegative: true });
  em.create(Sku, { productId: 1, code: SKU, barcode: '6900000099990', name: '最后十件' });
  const at = new Date();
  for (const wh of ['MAIN', 'PRE']) {
    em.create(StockLevel, { skuCode: SKU, warehouseCode: wh, onHand: 10, reserved: 0, updatedAt: at });
    em.create(StockLedgerEntry, { idempotencyKey: `opening:${wh}:${SKU}`, kind: 'opening', skuCode: SKU, warehouseCode: wh, onHandDelta: 10, onHandAfter: 10, refType: 'opening', refId: wh, actor: 'test', note: '期初', at });
  }
  await em.flush();
});
afterAll(() => testDb?.drop());

async function rush(warehouseCode: string) {
  const stock = createStockActivities({ db: testDb.db });
  return Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      stock.reserveStock({ key: `order:rush:${warehouseCode}:${i}:reserve:1`, orderId: `order:rush:${warehouseCode}:${i}`, warehouseCode, lines: [{ skuCode: SKU, qty: 1 }], actor: 'system' }),
    ),
  );
}

async function books(warehouseCode: string) {
  const em = testDb.db.em();
  const level = await em.findOneOrFail(StockLevel, { skuCode: SKU, warehouseCode, quality: 'good' });
  const rows = await em.find(StockLedgerEntry, { skuCode: SKU, warehouseCode });
  return {
    onHand: level.onHand,
    reserved: level.reserved,
    ledgerOnHand: rows.reduce((n, r) => n + r.onHandDelta, 0),
    ledgerReserved: rows.reduce((n, r) => n + r.reservedDelta, 0),
    reservations: rows.filter((r) => r.kind === 'reserve').length,
  };
}

describe('50 concurrent reservations for the last 10 units', () => {
  it('reserve exactly 10, refuse 40 naming the shortage, and never take available below zero', async () => {
    const results = await rush('MAIN');
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    const refused = results.filter((r) => !r.ok);
    expect(refused).toHaveLength(40);
    expect(refused.map((r) => r.shortages[0]?.skuCode)).toEqual(Array(40).fill(SKU));
    // Each refusal names what is really left (none), not what its transaction's snapshot saw.
    expect(refused.map((r) => r.shortages[0]?.available)).toEqual(Array(40).fill(0));
    expect(await books('MAIN')).toEqual({ onHand: 10, reserved: 10, ledgerOnHand: 10, ledgerReserved: 10, reservations: 10 });
  });

  it('reserve all 50 in a warehouse that allows negative stock (presale), each once', async () => {
    const results = await rush('PRE');
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await books('PRE')).toEqual({ onHand: 10, reserved: 50, ledgerOnHand: 10, ledgerReserved: 50, reservations: 50 });
    // The same 50 sent again (retries after a worker restart) move nothing.
    await rush('PRE');
    expect(await books('PRE')).toMatchObject({ reserved: 50, reservations: 50 });
  });
});
