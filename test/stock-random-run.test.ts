/**
 * A randomized run of the warehouse's day on the real Temporal server and database — orders reserved and shipped,
 * transfers completed, short-counted or reversed, stock-ins and stock-outs, stocktakes counted while orders move — after
 * which the stock check finds every level equal to its ledger, reservations equal to what open orders hold, every
 * transfer's ledger matching its stage and nothing negative.
 */
import { randomUUID } from 'node:crypto';
import { verifyStock } from '../activities/stock-verify';
import { createStockDocument, createStocktake } from '../api/stock/create-stock-document';
import { Sku, StockLevel } from '../db/entities';
import { createSeededRandom } from '../integrations/sandbox/seeded-random';
import { approveStockDocUpdate, approveStocktakeUpdate, countUpdate, stockDocStateQuery, stocktakeStateQuery, submitCountUpdate } from '../workflows/stock-document-messages';
import { orderDriver } from './helpers/order-driver';
import { orderSteps } from './helpers/order-steps';
import { eventually, startStack, type Stack } from './helpers/stack';
import { transferActors, transferDriver } from './helpers/transfer-driver';

let stack: Stack;
const SEED = Number(process.env.STOCK_RUN_SEED ?? 20261127);
const STEPS = Number(process.env.STOCK_RUN_STEPS ?? 16);

beforeAll(async () => {
  stack = await startStack({ seed: 107 });
});
afterAll(() => stack?.close());

it(`leaves the stock books adding up after ${STEPS} random orders, transfers, stock documents and stocktakes (seed ${SEED})`, async () => {
  const rng = createSeededRandom(SEED);
  const skus = (await stack.db.em().find(Sku, { isBundle: false })).map((s) => s.code);
  const transfers = transferDriver(stack);
  const orders = orderDriver(stack);
  const steps = orderSteps(stack);
  const deps = { db: stack.db, temporal: stack.client, taskQueue: stack.taskQueue };
  const available = async (sku: string) => {
    const l = await stack.db.em().fork().findOne(StockLevel, { skuCode: sku, warehouseCode: 'MAIN', quality: 'good' });
    return l ? l.onHand - l.reserved : 0;
  };
  const done: string[] = [];

  for (let i = 0; i < STEPS; i++) {
    const what = rng.pick(['order', 'shipped', 'transfer', 'stockIn', 'stockOut', 'stocktake'] as const);
    const sku = rng.pick(skus);
    if (what === 'order') {
      const { id } = await steps.newOrder();
      await steps.approve(id);
    } else if (what === 'shipped') {
      await orders.shippedOrder();
    } else if (what === 'transfer') {
      const qty = rng.int(1, 5);
      const no = await transfers.create([{ code: sku, qty }]);
      const out = await transfers.outbound(no);
      if (out.ok) {
        const ending = rng.pick(['in', 'short', 'reverse'] as const);
        if (ending === 'in') await transfers.inbound(no, [{ skuCode: sku, qty }]);
        else if (ending === 'short') {
          await transfers.inbound(no, [{ skuCode: sku, qty: qty - 1 }]);
          await transfers.difference(no, 'approve', transferActors.warehouse2);
        } else {
          await transfers.reverse(no, 'request', transferActors.warehouse, '随机冲销');
          await transfers.reverse(no, 'approve', transferActors.admin);
        }
      }
    } else if (what === 'stockIn' || what === 'stockOut') {
      const direction = what === 'stockIn' ? 'in' : 'out';
      const qty = direction === 'in' ? rng.int(1, 20) : Math.min(rng.int(1, 5), Math.max(1, await available(sku)));
      const r = await createStockDocument(deps, transferActors.warehouse, { actionId: randomUUID(), direction, reason: direction === 'in' ? 'purchase' : 'loss', warehouseCode: 'MAIN', quality: 'good', memo: '', lines: [{ code: sku, qty }] });
      if (!r.ok) throw new Error(r.message);
      const h = stack.client.workflow.getHandle(`stockdoc:${r.no}`);
      await h.executeUpdate(approveStockDocUpdate, { args: [{ actor: transferActors.warehouse, expectedVersion: (await h.query(stockDocStateQuery)).version }] });
    } else {
      const r = await createStocktake(deps, transferActors.warehouse, { actionId: randomUUID(), warehouseCode: 'MAIN', quality: 'good', memo: '' });
      if (!r.ok) throw new Error(r.message);
      const h = stack.client.workflow.getHandle(`stocktake:${r.no}`);
      const v = async () => (await h.query(stocktakeStateQuery)).version;
      await eventually(async () => (await h.query(stocktakeStateQuery)).ledgerWatermark > 0, 'the count to begin');
      const counted = Math.max(0, (await available(sku)) + rng.int(-2, 2));
      // An order reserved while counting: the sheet compares with the books at its start, not with this.
      if (rng.chance(0.5)) await steps.approve((await steps.newOrder()).id);
      await h.executeUpdate(countUpdate, { args: [{ actor: transferActors.warehouse, expectedVersion: await v(), counts: [{ skuCode: sku, counted }] }] });
      await h.executeUpdate(submitCountUpdate, { args: [{ actor: transferActors.warehouse, expectedVersion: await v() }] });
      await h.executeUpdate(approveStocktakeUpdate, { args: [{ actor: transferActors.admin, expectedVersion: await v(), decision: 'approve' }] });
    }
    done.push(what);
  }

  // The read model follows the workflows a moment later: wait for a quiet system, as the check's own notes ask.
  const result = await eventually(async () => {
    const r = await verifyStock(stack.db);
    return r.ok ? r : null;
  }, `the stock check to pass after ${done.join(', ')}`, 60_000).catch(async (err: unknown) => {
    const r = await verifyStock(stack.db);
    throw new Error(`${String(err)}\n${r.breaks.map((b) => b.message).join('\n')}`);
  });
  expect(result.breaks).toEqual([]);
  expect(result.figures.ledgerRows).toBeGreaterThan(skus.length);
}, 300_000);
