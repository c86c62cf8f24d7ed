/**
 * 入库单/出库单 and 盘点 on the real Temporal server and database: a stock-out never takes more than is available and a
 * stock-in wakes the orders waiting for its SKUs; a count sheet compares each SKU with the books as they stood when the
 * count began, so an order shipped while counting is not booked twice, and a second person approves the adjustment.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { verifyStock } from '../activities/stock-verify';
import { createStockDocument, createStocktake } from '../api/stock/create-stock-document';
import { Order, OrderLine, Sku, StockDocument, StockLedgerEntry, StockLevel, Stocktake } from '../db/entities';
import type { Actor } from '../domain/roles';
import {
  approveStockDocUpdate,
  approveStocktakeUpdate,
  countUpdate,
  stockDocStateQuery,
  stocktakeStateQuery,
  submitCountUpdate,
} from '../workflows/stock-document-messages';
import { orderDriver } from './helpers/order-driver';
import { orderSteps } from './helpers/order-steps';
import { actors, eventually, startStack, type Stack } from './helpers/stack';
import { transferActors } from './helpers/transfer-driver';

let stack: Stack;
let skus: Sku[];

beforeAll(async () => {
  stack = await startStack({ seed: 101 });
  skus = await stack.db.em().find(Sku, { isBundle: false }, { orderBy: { code: 'asc' } });
});
afterAll(() => stack?.close());

const deps = () => ({ db: stack.db, temporal: stack.client, taskQueue: stack.taskQueue });
const onHand = async (skuCode: string, warehouseCode = 'MAIN') => (await stack.db.em().fork().findOne(StockLevel, { skuCode, warehouseCode, quality: 'good' }))?.onHand ?? 0;
const available = async (skuCode: string) => {
  const l = await stack.db.em().fork().findOneOrFail(StockLevel, { skuCode, warehouseCode: 'MAIN', quality: 'good' });
  return l.onHand - l.reserved;
};
const refusal = (p: Promise<unknown>) => p.catch((e: unknown) => { throw e instanceof WorkflowUpdateFailedError ? e.cause : e; });

async function document(direction: 'in' | 'out', lines: Array<{ code: string; qty: number }>, reason = direction === 'in' ? 'purchase' : 'loss') {
  const r = await createStockDocument(deps(), transferActors.warehouse, { actionId: randomUUID(), direction, reason, warehouseCode: 'MAIN', quality: 'good', memo: '', lines });
  if (!r.ok) throw new Error(r.message);
  return r.no;
}
async function approveDoc(no: string, actor: Actor = transferActors.warehouse, updateId: string = randomUUID()) {
  const h = stack.client.workflow.getHandle(`stockdoc:${no}`);
  const { version } = await h.query(stockDocStateQuery);
  return h.executeUpdate(approveStockDocUpdate, { args: [{ actor, expectedVersion: version }], updateId });
}

describe('入库单 and 出库单', () => {
  it('books a purchase receipt once however often it is approved, and refuses a stock-out beyond what is available, moving nothing', async () => {
    const sku = skus[0]!.code;
    const before = await onHand(sku);
    const rk = await document('in', [{ code: skus[0]!.barcode, qty: 2 }, { code: sku, qty: 10 }]);
    const [a, b] = await Promise.all([approveDoc(rk, transferActors.warehouse, `ap-${rk}`), approveDoc(rk, transferActors.warehouse, `ap-${rk}`)]);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ ok: true, stage: 'approved' });
    expect(await onHand(sku)).toBe(before + 12);
    // An approved document's workflow has finished: a late approval reaches nothing and moves nothing.
    await expect(approveDoc(rk)).rejects.toThrow();
    expect(await onHand(sku)).toBe(before + 12);

    const ck = await document('out', [{ code: sku, qty: before + 13 }]);
    await expect(refusal(approveDoc(ck, actors.customerService))).rejects.toThrow('没有此操作的权限');
    const refused = await approveDoc(ck);
    expect(refused).toMatchObject({ ok: false, stage: 'draft' });
    expect(refused.message).toContain(`${sku} 需要 ${before + 13}，可用 ${before + 12}`);
    expect(await onHand(sku)).toBe(before + 12);
    const sample = await document('out', [{ code: sku, qty: 3 }], 'sample');
    expect(await approveDoc(sample)).toMatchObject({ ok: true });
    expect(await onHand(sku)).toBe(before + 9);
    const rows = await stack.db.em().fork().find(StockLedgerEntry, { refType: 'stockdoc', skuCode: sku }, { orderBy: { id: 'asc' } });
    expect(rows.map((r) => `${r.kind}:${r.refId}:${r.onHandDelta}`)).toEqual([`stock_in:${rk}:12`, `stock_out:${sample}:-3`]);
    expect((await stack.db.em().fork().findOneOrFail(StockDocument, { docNo: rk })).stage).toBe('approved');
  });

  it('wakes the orders waiting for its SKUs (缺货) when stock comes in, oldest paid first', async () => {
    const steps = orderSteps(stack);
    let id = '';
    let lines: OrderLine[];
    for (;;) {
      id = (await steps.newOrder()).id;
      lines = await stack.db.em().fork().find(OrderLine, { orderId: id });
      const codes = lines.map((l) => l.skuCode);
      if (!(await stack.db.em().fork().count(Sku, { code: { $in: codes }, isBundle: true }))) break;
    }
    // Empty the shelf for the order's goods, so its approval finds them short.
    for (const l of lines) {
      const left = await available(l.skuCode);
      if (left > 0) expect(await approveDoc(await document('out', [{ code: l.skuCode, qty: left }]))).toMatchObject({ ok: true });
    }
    const refused = await orderDriver(stack).approve(id);
    expect(refused.ok).toBe(false);
    await eventually(async () => (await stack.db.em().fork().findOne(Order, { id, reviewReasons: { $like: '%缺货%' } })), `${id} to wait for stock`);

    const rk = await document('in', lines.map((l) => ({ code: l.skuCode, qty: l.qty + 5 })));
    const answer = await approveDoc(rk);
    expect(answer.message).toContain('已通知 1 个缺货订单');
    expect((await stack.client.workflow.getHandle(`stockdoc:${rk}`).query(stockDocStateQuery)).notifiedOrders).toEqual([id]);
    expect(await verifyStock(stack.db)).toMatchObject({ ok: true });
  });
});

describe('盘点', () => {
  it('books the variance against the books when the count began, not counting an order shipped meanwhile twice, approved by a second person', async () => {
    const [a, b] = [skus[3]!.code, skus[4]!.code];
    const bookA = await onHand(a);
    const bookB = await onHand(b);
    const r = await createStocktake(deps(), transferActors.warehouse, { actionId: randomUUID(), warehouseCode: 'MAIN', quality: 'good', memo: '月末盘点' });
    if (!r.ok) throw new Error(r.message);
    const h = stack.client.workflow.getHandle(`stocktake:${r.no}`);
    const version = async () => (await h.query(stocktakeStateQuery)).version;
    await eventually(async () => (await h.query(stocktakeStateQuery)).ledgerWatermark > 0, 'the count to begin');

    // While counting, 2 units of A leave on a stock-out (as a shipment would): the shelf counted already lacked them or not,
    // the sheet compares with the books at the start, so the adjustment is only what the counters found missing.
    expect(await approveDoc(await document('out', [{ code: a, qty: 2 }]))).toMatchObject({ ok: true });
    expect(await h.executeUpdate(countUpdate, { args: [{ actor: transferActors.warehouse, expectedVersion: await version(), counts: [{ skuCode: a, counted: bookA - 1 }] }] })).toMatchObject({ ok: true });
    expect(await h.executeUpdate(countUpdate, { args: [{ actor: transferActors.warehouse2, expectedVersion: await version(), counts: [{ skuCode: b, counted: bookB + 4 }] }] })).toMatchObject({ ok: true });
    expect(await h.executeUpdate(submitCountUpdate, { args: [{ actor: transferActors.warehouse, expectedVersion: await version() }] })).toMatchObject({ ok: true, stage: 'awaiting_approval' });
    const sheet = await h.query(stocktakeStateQuery);
    expect(sheet.lines).toEqual([
      { skuCode: a, counted: bookA - 1, bookAtStart: bookA, movedSince: -2, variance: -1 },
      { skuCode: b, counted: bookB + 4, bookAtStart: bookB, movedSince: 0, variance: 4 },
    ].sort((x, y) => x.skuCode.localeCompare(y.skuCode)));

    await expect(refusal(h.executeUpdate(approveStocktakeUpdate, { args: [{ actor: transferActors.warehouse, expectedVersion: await version(), decision: 'approve' }] }))).rejects.toThrow('提交人以外的人');
    expect(await h.executeUpdate(approveStocktakeUpdate, { args: [{ actor: transferActors.admin, expectedVersion: await version(), decision: 'approve' }] })).toMatchObject({ ok: true, stage: 'approved' });
    expect(await onHand(a)).toBe(bookA - 2 - 1);
    expect(await onHand(b)).toBe(bookB + 4);
    const adjust = await stack.db.em().fork().find(StockLedgerEntry, { refType: 'stocktake', refId: r.no }, { orderBy: { skuCode: 'asc' } });
    expect(adjust.map((x) => `${x.kind}:${x.skuCode}:${x.onHandDelta}`)).toEqual([`adjust:${a}:-1`, `adjust:${b}:4`].sort());
    expect((await stack.db.em().fork().findOneOrFail(Stocktake, { stocktakeNo: r.no })).stage).toBe('approved');
    expect(await verifyStock(stack.db)).toMatchObject({ ok: true });
  });
});

describe('期初 (an opening balance entered as a stock-in)', () => {
  it('books the starting stock of a warehouse as an opening row, so the level still equals its ledger', async () => {
    const sku = skus[5]!.code;
    const before = await onHand(sku, 'OOA');
    const r = await createStockDocument(deps(), transferActors.warehouse, { actionId: randomUUID(), direction: 'in', reason: 'opening', warehouseCode: 'OOA', quality: 'good', memo: '超区仓期初', lines: [{ code: sku, qty: 40 }] });
    if (!r.ok) throw new Error(r.message);
    expect(await approveDoc(r.no)).toMatchObject({ ok: true, stage: 'approved' });
    expect(await onHand(sku, 'OOA')).toBe(before + 40);
    const rows = await stack.db.em().fork().find(StockLedgerEntry, { refType: 'stockdoc', refId: r.no });
    expect(rows.map((x) => `${x.kind}:${x.warehouseCode}:${x.onHandDelta}:${x.note}`)).toEqual([`opening:OOA:40:期初`]);
    expect(await verifyStock(stack.db)).toMatchObject({ ok: true });
  });
});
