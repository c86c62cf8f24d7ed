/**
 * The warehouse's paths for `npm run histories:record` (see record-histories.ts): a transfer printed, taken out, counted
 * short, sent back for a recount and booked; a transfer whose outbound was refused for short stock and then cancelled;
 * one reversed after a refused first request; a stock-in and a refused-then-cancelled stock-out; and a stocktake
 * counted twice, sent back, recounted and approved; and an order held for 缺货 that a stock-in frees and a reviewer then
 * approves — each driven on the real stack to the end its path is about.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { createStockDocument, createStocktake } from '../api/stock/create-stock-document';
import { Order, Sku, StockLevel } from '../db/entities';
import type { Db } from '../db/orm';
import {
  approveStockDocUpdate,
  approveStocktakeUpdate,
  cancelStockDocUpdate,
  countUpdate,
  stockDocStateQuery,
  stocktakeStateQuery,
  submitCountUpdate,
} from '../workflows/stock-document-messages';
import { printNoteUpdate } from '../workflows/stock-transfer-messages';
import { isPlainTrade, orderDriver, type DrivenStack } from '../test/helpers/order-driver';
import { eventually } from '../test/helpers/stack';
import { transferActors, transferDriver } from '../test/helpers/transfer-driver';

export interface StockRecorded {
  workflowType: 'stockTransferWorkflow' | 'stockDocumentWorkflow' | 'stocktakeWorkflow' | 'orderWorkflow';
  path: string;
  workflowId: string;
}

export interface StockScenario {
  name: string;
  /** The recorder's stack: the database and Temporal, and the sandbox and intake for paths that need an order. */
  run(stack: DrivenStack & { db: Db; client: Client; taskQueue: string }): Promise<StockRecorded[]>;
}

function expectThat(ok: boolean, what: string): void {
  if (!ok) throw new Error(`the path did not go as planned: ${what}`);
}

async function plainSkus(db: Db): Promise<string[]> {
  return (await db.em().fork().find(Sku, { isBundle: false }, { orderBy: { code: 'asc' } })).map((s) => s.code);
}

export const STOCK_SCENARIOS: StockScenario[] = [
  {
    name: 'transfer-short-recounted-done',
    async run(stack) {
      const t = transferDriver(stack);
      const [sku] = await plainSkus(stack.db);
      const no = await t.create([{ code: sku!, qty: 6 }]);
      const printed = await t.handle(no).executeUpdate(printNoteUpdate, { args: [{ actor: transferActors.warehouse }] });
      expectThat(printed.ok, `note printed: ${printed.message}`);
      expectThat((await t.outbound(no)).ok, 'outbound');
      expectThat((await t.inbound(no, [{ skuCode: sku!, qty: 5 }])).stage === 'awaiting_difference', 'a difference');
      expectThat((await t.difference(no, 'reject', transferActors.admin, '再点一遍')).stage === 'in_transit', 'sent back');
      expectThat((await t.inbound(no, [{ skuCode: sku!, qty: 5 }])).stage === 'awaiting_difference', 'still short');
      expectThat((await t.difference(no, 'approve', transferActors.admin)).stage === 'done', 'booked');
      await t.handle(no).result();
      return [{ workflowType: 'stockTransferWorkflow', path: 'printed-out-short-recounted-done', workflowId: `transfer:${no}` }];
    },
  },
  {
    name: 'transfer-short-stock-cancelled',
    async run(stack) {
      const t = transferDriver(stack);
      const [, sku] = await plainSkus(stack.db);
      const level = await stack.db.em().fork().findOneOrFail(StockLevel, { skuCode: sku!, warehouseCode: 'MAIN', quality: 'good' });
      const no = await t.create([{ code: sku!, qty: level.onHand - level.reserved + 1 }]);
      expectThat(!(await t.outbound(no)).ok, 'outbound refused for short stock');
      expectThat((await t.cancel(no, '库存不够，不调了')).stage === 'cancelled', 'cancelled');
      await t.handle(no).result();
      return [{ workflowType: 'stockTransferWorkflow', path: 'outbound-refused-then-cancelled', workflowId: `transfer:${no}` }];
    },
  },
  {
    name: 'transfer-reversed',
    async run(stack) {
      const t = transferDriver(stack);
      const [, , sku] = await plainSkus(stack.db);
      const no = await t.create([{ code: sku!, qty: 2 }]);
      expectThat((await t.outbound(no)).ok, 'outbound');
      expectThat((await t.reverse(no, 'request', transferActors.warehouse, '调错仓')).stage === 'reverse_requested', 'reverse asked');
      expectThat((await t.reverse(no, 'reject', transferActors.admin, '先核对')).stage === 'in_transit', 'reverse refused');
      expectThat((await t.reverse(no, 'request', transferActors.warehouse, '确认调错仓')).stage === 'reverse_requested', 'reverse asked again');
      expectThat((await t.reverse(no, 'approve', transferActors.admin)).stage === 'reversed', 'reversed');
      await t.handle(no).result();
      return [{ workflowType: 'stockTransferWorkflow', path: 'reverse-refused-then-approved', workflowId: `transfer:${no}` }];
    },
  },
  {
    name: 'stock-documents',
    async run(stack) {
      const [sku] = await plainSkus(stack.db);
      const deps = { db: stack.db, temporal: stack.client, taskQueue: stack.taskQueue };
      const make = async (direction: 'in' | 'out', qty: number) => {
        const r = await createStockDocument(deps, transferActors.warehouse, { actionId: randomUUID(), direction, reason: direction === 'in' ? 'purchase' : 'loss', warehouseCode: 'MAIN', quality: 'good', memo: '', lines: [{ code: sku!, qty }] });
        if (!r.ok) throw new Error(r.message);
        return stack.client.workflow.getHandle(`stockdoc:${r.no}`);
      };
      const stockIn = await make('in', 12);
      const approved = await stockIn.executeUpdate(approveStockDocUpdate, { args: [{ actor: transferActors.warehouse, expectedVersion: (await stockIn.query(stockDocStateQuery)).version }] });
      expectThat(approved.ok, `stock-in approved: ${approved.message}`);
      await stockIn.result();
      const stockOut = await make('out', 1_000_000);
      const refused = await stockOut.executeUpdate(approveStockDocUpdate, { args: [{ actor: transferActors.warehouse, expectedVersion: (await stockOut.query(stockDocStateQuery)).version }] });
      expectThat(!refused.ok, 'stock-out refused for short stock');
      const cancelled = await stockOut.executeUpdate(cancelStockDocUpdate, { args: [{ actor: transferActors.warehouse, expectedVersion: (await stockOut.query(stockDocStateQuery)).version, reason: '填错数量' }] });
      expectThat(cancelled.ok, 'stock-out cancelled');
      await stockOut.result();
      return [
        { workflowType: 'stockDocumentWorkflow', path: 'stock-in-approved', workflowId: stockIn.workflowId },
        { workflowType: 'stockDocumentWorkflow', path: 'stock-out-refused-then-cancelled', workflowId: stockOut.workflowId },
      ];
    },
  },
  {
    name: 'stocktake',
    async run(stack) {
      const [a, b] = await plainSkus(stack.db);
      const r = await createStocktake({ db: stack.db, temporal: stack.client, taskQueue: stack.taskQueue }, transferActors.warehouse, { actionId: randomUUID(), warehouseCode: 'MAIN', quality: 'good', memo: '月末盘点' });
      if (!r.ok) throw new Error(r.message);
      const h = stack.client.workflow.getHandle(`stocktake:${r.no}`);
      const v = async () => (await h.query(stocktakeStateQuery)).version;
      const count = async (who: typeof transferActors.warehouse, counts: Array<{ skuCode: string; counted: number }>) =>
        expectThat((await h.executeUpdate(countUpdate, { args: [{ actor: who, expectedVersion: await v(), counts }] })).ok, 'counted');
      await count(transferActors.warehouse, [{ skuCode: a!, counted: 4_990 }]);
      await count(transferActors.warehouse2, [{ skuCode: b!, counted: 5_002 }]);
      expectThat((await h.executeUpdate(submitCountUpdate, { args: [{ actor: transferActors.warehouse, expectedVersion: await v() }] })).ok, 'submitted');
      expectThat((await h.executeUpdate(approveStocktakeUpdate, { args: [{ actor: transferActors.admin, expectedVersion: await v(), decision: 'reject', reason: '差异太大，重盘' }] })).stage === 'counting', 'sent back');
      await count(transferActors.warehouse, [{ skuCode: a!, counted: 4_999 }, { skuCode: b!, counted: 5_000 }]);
      expectThat((await h.executeUpdate(submitCountUpdate, { args: [{ actor: transferActors.warehouse, expectedVersion: await v() }] })).ok, 'submitted again');
      expectThat((await h.executeUpdate(approveStocktakeUpdate, { args: [{ actor: transferActors.admin, expectedVersion: await v(), decision: 'approve' }] })).stage === 'approved', 'approved');
      await h.result();
      return [{ workflowType: 'stocktakeWorkflow', path: 'counted-twice-sent-back-recounted-approved', workflowId: h.workflowId }];
    },
  },
  {
    name: 'stock-arrived',
    async run(stack) {
      const deps = { db: stack.db, temporal: stack.client, taskQueue: stack.taskQueue };
      const approved = async (direction: 'in' | 'out', skuCode: string, qty: number) => {
        const r = await createStockDocument(deps, transferActors.warehouse, { actionId: randomUUID(), direction, reason: direction === 'in' ? 'purchase' : 'loss', warehouseCode: 'MAIN', quality: 'good', memo: '', lines: [{ code: skuCode, qty }] });
        if (!r.ok) throw new Error(r.message);
        const h = stack.client.workflow.getHandle(`stockdoc:${r.no}`);
        const answer = await h.executeUpdate(approveStockDocUpdate, { args: [{ actor: transferActors.warehouse, expectedVersion: (await h.query(stockDocStateQuery)).version }] });
        expectThat(answer.ok, `${direction} approved: ${answer.message}`);
        await h.result();
        return h;
      };
      const drive = orderDriver(stack);
      const plain = new Set(await plainSkus(stack.db));
      const trade = drive.placeTrade((t) => isPlainTrade(t) && t.orders.order.length === 1 && plain.has((t.orders.order[0]!.outer_sku_id ?? t.orders.order[0]!.outer_iid ?? '').trim()));
      const line = trade.orders.order[0]!;
      const sku = (line.outer_sku_id ?? line.outer_iid ?? '').trim();
      // The shelf is emptied by a stock-out, so the order comes out of auto-review short (缺货).
      const level = await stack.db.em().fork().findOneOrFail(StockLevel, { skuCode: sku, warehouseCode: 'MAIN', quality: 'good' });
      await approved('out', sku, level.onHand - level.reserved);
      const id = await drive.submit(trade, ['review']);
      const short = (o: Order | null) => !!o?.reviewReasons.includes('缺货');
      expectThat(short(await stack.db.em().fork().findOne(Order, { id })), 'the order waits for stock');
      const stockIn = await approved('in', sku, Number(line.num));
      expectThat((await stockIn.query(stockDocStateQuery)).notifiedOrders.includes(id), 'the stock-in told the order');
      await eventually(async () => !short(await stack.db.em().fork().findOne(Order, { id })), `${id} to lose its 缺货 reason`);
      const review = await drive.approve(id);
      expectThat(review.ok, `approved after the stock arrived: ${review.message}`);
      return [
        { workflowType: 'orderWorkflow', path: 'stock-arrived-then-approved', workflowId: id },
        { workflowType: 'stockDocumentWorkflow', path: 'stock-in-wakes-an-order', workflowId: stockIn.workflowId },
      ];
    },
  },
];
