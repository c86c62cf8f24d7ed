import { Order, OrderLine, StockLedgerEntry, StockLevel, type StockMovementKind } from '../db/entities';
import type { OrderStatus } from '../domain/order-status';
import { seedDemoData } from '../db/seeders/demo-data';
import { DEMO_CATALOGUE } from '../db/seeders/demo-catalogue';
import { createTestDb, type TestDb } from '../test/helpers/test-db';
import { createStockActivities } from './stock';
import { verifyStock } from './stock-verify';

let t: TestDb;
let stock: ReturnType<typeof createStockActivities>;
const COMPONENT_SKUS = DEMO_CATALOGUE.filter((s) => !s.components).length;

beforeEach(async () => {
  t = await createTestDb();
  await seedDemoData(t.db, {
    shopCode: 'tb-verify', sandboxUrl: 'http://127.0.0.1:9/router/rest', appKey: 'k', appSecret: 's', sessionKey: 'x',
    pullIntervalSeconds: 60, hashPassword: async (p) => `test$${p}`,
  });
  stock = createStockActivities({ db: t.db });
});
afterEach(async () => {
  await t.drop();
});

/** An order in the read model with these lines, as the workflow would have saved it. */
async function order(no: string, status: OrderStatus, lines: Array<[sku: string, qty: number]>): Promise<{ id: string; move: { key: string; orderId: string; warehouseCode: string; lines: Array<{ skuCode: string; qty: number }>; actor: string } }> {
  const id = `order:tb-verify:${no}`;
  const em = t.db.em();
  em.create(Order, { id, status, shopCode: 'tb-verify', platformOrderNo: no, warehouseCode: 'MAIN', buyerMessage: '', sellerMemo: '', createdAt: new Date(), updatedAt: new Date() });
  lines.forEach(([skuCode, qty], i) => em.create(OrderLine, { orderId: id, lineNo: i + 1, skuCode, qty }));
  await em.flush();
  return { id, move: { key: `${id}:reserve:1`, orderId: id, warehouseCode: 'MAIN', lines: lines.map(([skuCode, qty]) => ({ skuCode, qty })), actor: 'test' } };
}

async function sql(text: string, params: unknown[] = []): Promise<void> {
  await t.db.em().getConnection().execute(text, params, 'run');
}

/** A movement booked by hand, as a stock count (盘点) or a faulty program would: a ledger row and the level together. */
async function book(key: string, kind: StockMovementKind, skuCode: string, onHandDelta: number, reservedDelta: number): Promise<void> {
  await t.db.em().insert(StockLedgerEntry, { idempotencyKey: key, kind, skuCode, warehouseCode: 'MAIN', onHandDelta, reservedDelta, refType: 'test', at: new Date() });
  await sql('UPDATE stock_level SET on_hand = on_hand + ?, reserved = reserved + ? WHERE sku_code = ? AND warehouse_code = ?', [onHandDelta, reservedDelta, skuCode, 'MAIN']);
}

describe('verifyStock', () => {
  it('finds a freshly seeded shop balanced: every opening balance is a ledger row', async () => {
    const r = await verifyStock(t.db);
    expect(r.breaks).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.figures).toEqual({ levels: COMPONENT_SKUS, ledgerRows: COMPONENT_SKUS, onHand: 5000 * COMPONENT_SKUS, reserved: 0, openOrders: 0, shippedOrders: 0 });
  });

  it('balances an order that holds stock, a bundle shipped and an order cancelled after its reservation', async () => {
    const open = await order('1', 'printed', [['BWB500-01', 2]]);
    const shipped = await order('2', 'done', [['TZ-GIFT-01', 1]]);
    const cancelled = await order('3', 'cancelled', [['WZ-01', 4]]);
    await stock.reserveStock(open.move);
    await stock.reserveStock(shipped.move);
    await stock.deductStock({ ...shipped.move, key: `${shipped.id}:deduct:1` });
    await stock.reserveStock(cancelled.move);
    await stock.releaseStock({ ...cancelled.move, key: `${cancelled.id}:release:1` });
    const r = await verifyStock(t.db);
    expect(r.breaks).toEqual([]);
    expect(r.figures).toMatchObject({ reserved: 2, onHand: 5000 * COMPONENT_SKUS - 3, openOrders: 1, shippedOrders: 1 });
  });

  it('names a level that no longer equals the sum of its ledger', async () => {
    await sql("UPDATE stock_level SET on_hand = on_hand + 1 WHERE sku_code = 'WZ-01'");
    const r = await verifyStock(t.db);
    expect(r.ok).toBe(false);
    expect(r.breaks).toEqual([expect.objectContaining({ check: 'level_vs_ledger', skuCode: 'WZ-01', warehouseCode: 'MAIN', expected: 5000, actual: 5001 })]);
  });

  it('names a reservation no open order holds, and an approved order whose stock was never reserved', async () => {
    const stray = await order('4', 'review', [['SBJ-01', 1]]);
    await stock.reserveStock(stray.move);
    await order('5', 'ready_to_print', [['BWB500-01', 3]]);
    const r = await verifyStock(t.db);
    const found = r.breaks.map((b) => [b.check, b.orderId ?? '', b.skuCode, b.expected, b.actual]);
    expect(found).toEqual(expect.arrayContaining([
      ['reserved_vs_open_orders', '', 'SBJ-01', 0, 1],
      ['reserved_vs_open_orders', '', 'BWB500-01', 3, 0],
      ['order_ledger', stray.id, 'SBJ-01', 0, 1],
      ['order_ledger', 'order:tb-verify:5', 'BWB500-01', 3, 0],
    ]));
    expect(r.breaks).toHaveLength(4);
  });

  it('names stock below zero in a warehouse that does not allow it, and not in one that does', async () => {
    const em = t.db.em();
    await book('count:test:1', 'adjust', 'WZ-01', -5001, 0);
    const r = await verifyStock(t.db);
    expect(r.breaks.filter((b) => b.check === 'negative').map((b) => b.message)).toEqual(['WZ-01 @ MAIN: onHand is -1', 'WZ-01 @ MAIN: available is -1']);
    await sql("UPDATE warehouse SET allow_negative = ? WHERE code = 'MAIN'", [true]);
    expect((await verifyStock(t.db)).breaks.filter((b) => b.check === 'negative')).toEqual([]);
    expect(await em.count(StockLevel, { onHand: { $lt: 0 } })).toBe(1);
  });

  it('names an idempotency key that moved stock in two kinds of movement', async () => {
    const a = await order('6', 'printed', [['BWB500-01', 1]]);
    await stock.reserveStock(a.move);
    await book(a.move.key, 'deduct', 'WZ-01', -1, 0);
    const r = await verifyStock(t.db);
    expect(r.breaks).toEqual(expect.arrayContaining([expect.objectContaining({ check: 'key_twice', idempotencyKey: a.move.key })]));
  });
});
