/**
 * `npm run histories:record -- <set> [--out <dir>] [path …]`: drives one workflow per path on the real stack (a
 * Temporal dev server, or TEMPORAL_ADDRESS; a fresh database with the demo data; the sandbox platform; real workers)
 * to the point the path is about, and writes each history as `temporal workflow show --output json` would, to
 * `<dir>/<set>/<workflow-type>/<path>.json` (dir defaults to test/histories). test/replay.test.ts replays every file
 * against the current workflow code, so a change that would break workflows already running fails before it lands.
 * Each path runs on a stack of its own: one that fails names itself and the others are still written.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode } from '@temporalio/worker';
import { createApp } from '../api/app';
import { loadConfig } from '../api/config';
import { importWorkflowId } from '../api/orders/import-order-files';
import { printBatchIdFor } from '../api/orders/print-run';
import { actorKeyBundlerHook, FAILURE_CONVERTER_PATH } from '../api/temporal/temporal-security';
import { AuditEvent, ImportBatch, StockLedgerEntry, StockLevel } from '../db/entities';
import { DEMO_CATALOGUE } from '../db/seeders/demo-catalogue';
import { platformCaseIds } from '../domain/after-sale';
import type { CaseSnapshot } from '../domain/after-sale-snapshot';
import { draftFromTaobaoTrade, isoToTaobaoTime } from '../domain/taobao';
import { itemReport, itemRow, orderReport, orderRow } from '../integrations/csv/fixtures/taobao-report';
import type { SandboxTrade } from '../integrations/sandbox/sandbox-state';
import { apiClient, createApiToken, type ApiClient } from '../test/api/api-client';
import { caseActors, caseDriver } from '../test/helpers/case-driver';
import { historyToJson } from '../test/helpers/history-json';
import { isPlainTrade, orderDriver, type DrivenStack } from '../test/helpers/order-driver';
import { actors, startStack, type Stack } from '../test/helpers/stack';
import { startTimeSkippingStack, type TimeSkippingStack } from '../test/helpers/time-skipping-stack';
import { useTestKeys } from '../test/helpers/test-keys';
import { agreeCaseUpdate, confirmPulledUpdate } from '../workflows/after-sale-messages';
import type { ImportOrdersResult } from '../workflows/import-orders';
import { markSyncedUpdate, reserveWaybillUpdate, retrySyncSignal, type PrintBatchInput, type PrintBatchResult } from '../workflows/messages';
import { startTemporalDevServer } from './temporal-dev-server';
import { GOODS_SCENARIOS } from './record-histories-goods';
import { STOCK_SCENARIOS } from './record-histories-stock';
import { RETENTION_SCENARIOS } from './record-histories-retention';

const ROOT = path.resolve(__dirname, '..');

/** What a scenario hands back: the workflows whose histories it brought to the point its path is about. */
interface Recorded {
  workflowType:
    | 'orderWorkflow' | 'printBatchWorkflow' | 'shopPullWorkflow' | 'importOrdersWorkflow'
    | 'returnWorkflow' | 'exchangeWorkflow' | 'reissueWorkflow' | 'platformRefundBatchWorkflow'
    | 'stockTransferWorkflow' | 'stockDocumentWorkflow' | 'stocktakeWorkflow' | 'retentionPurgeWorkflow' | 'goodsPullWorkflow';
  path: string;
  workflowId: string;
  /** A run other than the latest (the run that continued as new). */
  runId?: string;
}

/** The stack a path runs on: what the order driver drives, with the whole Temporal client the web app takes. */
type RecordingStack = DrivenStack & Pick<Stack, 'client'>;

interface Scenario {
  name: string;
  /** The time-skipping server, for paths that need days of timers. */
  timeSkipping?: boolean;
  run(stack: RecordingStack, drive: ReturnType<typeof orderDriver>, env?: TimeSkippingStack['env']): Promise<Recorded[]>;
}

// ---- what only these paths need -------------------------------------------------------------------

/**
 * The demo holds 5,000 of every SKU; a path about a shortage sets the lines' SKUs as fully reserved (as other
 * orders would hold them) and gives the stock back afterwards. Returns the undo.
 */
async function holdAllStock(stack: DrivenStack, trade: SandboxTrade): Promise<() => Promise<void>> {
  const em = stack.db.em();
  const codes = trade.orders.order.map((o) => (o.outer_sku_id ?? o.outer_iid ?? '').trim());
  const levels = await em.find(StockLevel, { skuCode: { $in: codes }, warehouseCode: 'MAIN' });
  if (levels.length !== new Set(codes).size) throw new Error(`trade ${trade.tid} sells a SKU without stock in MAIN: ${codes.join(', ')}`);
  for (const l of levels) await em.nativeUpdate(StockLevel, { id: l.id }, { reserved: l.onHand });
  return async () => {
    for (const l of levels) await stack.db.em().nativeUpdate(StockLevel, { id: l.id }, { reserved: l.reserved });
  };
}

/** A plain trade whose lines are stock SKUs (no bundles), so holding their stock makes the order short. */
async function shortableTrade(stack: DrivenStack, drive: ReturnType<typeof orderDriver>): Promise<SandboxTrade> {
  const stocked = new Set((await stack.db.em().find(StockLevel, { warehouseCode: 'MAIN' })).map((l) => l.skuCode));
  return drive.placeTrade((t) => isPlainTrade(t) && t.orders.order.every((o) => stocked.has((o.outer_sku_id ?? o.outer_iid ?? '').trim())));
}

function expectThat(ok: boolean, what: string): void {
  if (!ok) throw new Error(`the path did not go as planned: ${what}`);
}

/** The buyer moves the parcel to a new address on the platform; intake brings the newer trade as the next pull would. */
async function changeAddress(stack: DrivenStack, trade: SandboxTrade): Promise<void> {
  Object.assign(trade, { receiver_state: '浙江省', receiver_city: '杭州市', receiver_district: '西湖区', receiver_address: '文三路 90 号（新地址）', modified: isoToTaobaoTime(new Date()) });
  await stack.intake.ingest([{ draft: draftFromTaobaoTrade(stack.shopCode, trade, 'pull'), raw: JSON.stringify(trade) }]);
}

const order = (p: string, workflowId: string, runId?: string): Recorded => ({ workflowType: 'orderWorkflow', path: p, workflowId, runId });

/** /api/v1 of the web app as `username` calls it with a token; it starts its workflows on `taskQueue`. */
async function apiAs(stack: RecordingStack, username: string, taskQueue = stack.taskQueue): Promise<ApiClient> {
  const app = createApp({ db: stack.db, temporal: stack.client, config: { ...loadConfig({}).app, taskQueue } });
  return apiClient(app, await createApiToken(stack.db, username));
}

/** A waybill print run as the warehouse sends it to /api/v1 (the batch id comes from its action id), waited to its end. */
async function printThroughApi(stack: RecordingStack, orderIds: string[], taskQueue = stack.taskQueue) {
  const actionId = randomUUID();
  const api = await apiAs(stack, actors.warehouse.username, taskQueue);
  const answer = await api.post('/api/v1/print-batches', { actionId, orderIds, kinds: ['waybill'] });
  const workflowId = `print:${printBatchIdFor(actors.warehouse.username, actionId)}`;
  const result = (await stack.client.workflow.getHandle(workflowId).result()) as PrintBatchResult;
  return { workflowId, status: answer.status, result, recorded: { workflowType: 'printBatchWorkflow', workflowId } as const };
}

const SYNC_FAULT = { errorRate: 1, methods: ['taobao.logistics.offline.send'] };
const NO_FAULT = { errorRate: 0, methods: null };

// ---- after-sales: the buyer's side is the sandbox's, the pull's part is the refund intake ------------

type Cases = ReturnType<typeof caseDriver>;

/**
 * Taobao dates a refund's changes to the second, and intake skips a change dated like the one it already holds: the
 * buyer's next step waits for the next second.
 */
const nextSecond = () => new Promise((r) => setTimeout(r, 1_100));

/** What the next pull brings of the trade's refunds: each opens its case or tells it the news (signal-with-start). */
async function pullRefunds(stack: DrivenStack, tid: string): Promise<void> {
  await stack.intake.refunds.ingest(stack.shopCode, stack.sandbox.listRefunds(tid));
}

/** The buyer asks a refund on the platform and the pull brings it in; resolves once its case stands where `stage` says. */
async function buyerAsks(stack: DrivenStack, cases: Cases, tid: string, options: Parameters<DrivenStack['sandbox']['askRefund']>[1], ok: (c: CaseSnapshot) => boolean) {
  const [refund] = stack.sandbox.askRefund(tid, options);
  const refundId = String(refund!.refund_id);
  await pullRefunds(stack, tid);
  const { caseNo, workflowId } = platformCaseIds(stack.shopCode, refundId);
  const opened = await cases.waitForCase(caseNo, ok, 'opened from the pull');
  return { refundId, caseNo, workflowId, opened };
}

const caseRecord = (workflowType: 'returnWorkflow' | 'exchangeWorkflow' | 'reissueWorkflow', p: string, workflowId: string): Recorded => ({ workflowType, path: p, workflowId });

/** An Update the workflow refused fails with its validator's reason, so a path that went wrong says why. */
function refusalReason<T>(answer: Promise<T>): Promise<T> {
  return answer.catch((err: unknown) => {
    throw err instanceof WorkflowUpdateFailedError && err.cause ? err.cause : err;
  });
}

async function expectDecision(answer: Promise<{ ok: boolean; stage: string; message: string }>, stage: string): Promise<void> {
  const r = await answer;
  expectThat(r.ok && r.stage === stage, `${stage}: ${r.ok ? r.stage : 'refused'} ${r.message}`);
}

const allGood = (lines: CaseSnapshot['lines']) => lines.map((l) => ({ oid: l.oid, good: l.qty, defective: 0, missing: 0, wrong: 0, note: '' }));
const paidFor = (lines: CaseSnapshot['lines']) => lines.reduce((n, l) => n + l.paidFen, 0);

/** A child order of an exchange or reissue taken through review, print and the scan desk like any other. */
async function shipChildOrder(drive: ReturnType<typeof orderDriver>, cases: Cases, caseNo: string): Promise<string> {
  const childId = (await cases.waitForCase(caseNo, (c) => c.childOrderIds.length === 1, 'a child order')).childOrderIds[0]!;
  await drive.waitForRow(childId, (o) => o.status === 'review', 'the child order in review');
  const approved = await drive.approve(childId, { courierCode: 'EMS' });
  expectThat(approved.ok, `child order approved: ${approved.message}`);
  await drive.markPrinted(childId);
  const shipped = await drive.ship(childId);
  expectThat(shipped.ok, `child order shipped: ${shipped.message}`);
  return childId;
}

/** A trade of two sub-orders or more, so a refund of one leaves the rest to ship. */
const twoLineTrade = (t: SandboxTrade) => isPlainTrade(t) && t.orders.order.length >= 2;

// ---- the paths ---------------------------------------------------------------------------------

const SCENARIOS: Scenario[] = [
  {
    name: 'shop-pull',
    async run(stack) {
      stack.sandbox.generateTrades(3, { from: new Date(Date.now() - 120_000), to: new Date(Date.now() - 61_000), status: 'WAIT_SELLER_SEND_GOODS' });
      const workflowId = `shop-pull:${stack.shopCode}:record`;
      const r = await stack.client.workflow.execute('shopPullWorkflow', { taskQueue: stack.taskQueue, workflowId, args: [{ shopCode: stack.shopCode }] });
      expectThat(r.started === 3, `3 orders started, got ${JSON.stringify(r)}`);
      return [{ workflowType: 'shopPullWorkflow', path: 'one-pull', workflowId }];
    },
  },
  {
    name: 'waiting-for-review',
    async run(_stack, drive) {
      return [order('waiting-for-review', await drive.submit(drive.placeTrade(), ['review']))];
    },
  },
  {
    name: 'happy-path',
    async run(stack, drive) {
      const id = await drive.submit(drive.placeTrade(), ['review']);
      const approved = await drive.approve(id);
      expectThat(approved.ok && approved.status === 'ready_to_print', `approved with a number: ${approved.message}`);
      const batchId = `R-${Date.now()}`;
      const batch: PrintBatchInput = { batchId, orderIds: [id], kinds: ['waybill', 'packing_list'], actor: actors.warehouse, sort: 'time' };
      await stack.client.workflow.execute('printBatchWorkflow', { taskQueue: stack.taskQueue, workflowId: `print:${batchId}`, args: [batch] });
      await drive.waitForRow(id, (o) => o.status === 'printed', 'printed');
      const shipped = await drive.ship(id);
      expectThat(shipped.ok, `shipped: ${shipped.message}`);
      await drive.waitForRow(id, (o) => o.status === 'done', 'done');
      return [order('happy-path', id), { workflowType: 'printBatchWorkflow', path: 'waybill-and-packing-list', workflowId: `print:${batchId}` }];
    },
  },
  {
    name: 'print-batch-nothing-printable',
    async run(stack, drive) {
      const id = await drive.submit(drive.placeTrade(), ['review']);
      const batchId = `R-${Date.now()}`;
      const workflowId = `print:${batchId}`;
      const batch: PrintBatchInput = { batchId, orderIds: [id], kinds: ['waybill'], actor: actors.warehouse, sort: 'time' };
      // Before 2026-11-27 a refused batch failed its workflow; since then it completes with outcome 'refused'.
      const refused = await stack.client.workflow.execute('printBatchWorkflow', { taskQueue: stack.taskQueue, workflowId, args: [batch] })
        .then((r: { outcome?: string }) => r.outcome === 'refused', () => true);
      expectThat(refused, 'a batch of an unapproved order is refused');
      return [{ workflowType: 'printBatchWorkflow', path: 'nothing-printable', workflowId }];
    },
  },
  {
    name: 'nothing-printable-refused',
    async run(stack, drive) {
      const id = await drive.submit(drive.placeTrade(), ['review']);
      const { status, result, recorded } = await printThroughApi(stack, [id]);
      expectThat(status === 409 && result.outcome === 'refused' && result.refused.some((r) => r.orderId === id), `refused, the workflow completed: ${status} ${result.reason ?? ''}`);
      return [{ ...recorded, path: 'nothing-printable-refused' }];
    },
  },
  {
    name: 'renderer-failed',
    async run(stack, drive) {
      const id = await drive.submit(drive.placeTrade(), ['review']);
      const approved = await drive.approve(id, { courierCode: 'EMS' });
      expectThat(approved.ok && approved.status === 'ready_to_print', `approved with a number: ${approved.message}`);
      // Imported when the path runs, as is IMPORT_CHUNK below: the recorder also runs in worktrees of older code
      // (docs/operations.md), which lack these modules and must still record their other paths.
      const { workersOnOwnQueue } = await import('../test/helpers/workers-on-own-queue.js');
      // A print host whose Chromium is missing, on a queue of its own: every render attempt fails for real.
      const broken = await workersOnOwnQueue(stack.db, 'rec-broken', { CHROMIUM_PATH: '/nonexistent/chromium' });
      try {
        const { status, result, recorded } = await printThroughApi(stack, [id], broken.taskQueue);
        expectThat(status === 502 && result.outcome === 'failed' && !!result.reason?.includes('/nonexistent/chromium'), `the batch failed, its workflow completed: ${status} ${result.reason ?? ''}`);
        return [{ ...recorded, path: 'renderer-failed' }];
      } finally {
        await broken.shutdown();
      }
    },
  },
  {
    name: 'reprint-of-done-order',
    async run(stack, drive) {
      const { id } = await drive.shippedOrder();
      await drive.waitForRow(id, (o) => o.status === 'done', 'done');
      await stack.client.workflow.getHandle(id).result();
      // A torn label of a finished parcel: its workflow can no longer be signalled, so an activity records the reprint.
      const { status, result, recorded } = await printThroughApi(stack, [id]);
      expectThat(status === 201 && result.reprinted.includes(id) && !!result.closedOrders?.includes(id), `reprinted, recorded for the done order: ${status} ${result.outcome ?? ''} ${result.reason ?? ''}`);
      return [{ ...recorded, path: 'reprint-of-done-order' }];
    },
  },
  {
    name: 'import-two-chunks',
    async run(stack) {
      const { IMPORT_CHUNK } = await import('../workflows/import-orders.js');
      // Finished trades (交易成功): intake keeps each as its platform order and starts no order workflow, so the path
      // is the import's chunks alone; one chunk and a quarter of one makes two.
      const count = IMPORT_CHUNK + IMPORT_CHUNK / 4;
      const nos = Array.from({ length: count }, (_, i) => String(3900000000000200000n + BigInt(i)));
      const sku = DEMO_CATALOGUE[0]!;
      const form = new FormData();
      form.append('shopCode', stack.shopCode);
      form.append('orders', new File([orderReport(nos.map((no) => orderRow({ 订单编号: no, 订单状态: '交易成功', 店铺名称: stack.shopCode })))], 'ExportOrderList.csv', { type: 'text/csv' }));
      form.append('items', new File([itemReport(nos.map((no) => itemRow({ 订单编号: no, 标题: sku.productName, 商家编码: sku.code, 订单状态: '交易成功' })))], 'ExportOrderDetailList.csv', { type: 'text/csv' }));
      const actionId = randomUUID();
      const createdBy = actors.customerService.username;
      const answer = await (await apiAs(stack, createdBy)).postForm('/api/v1/imports', form, { 'idempotency-key': actionId });
      expectThat(answer.status === 202, `the upload was taken: ${answer.status} ${JSON.stringify(answer.body)}`);
      const workflowId = importWorkflowId(await stack.db.em().findOneOrFail(ImportBatch, { createdBy, actionId }, { exclude: ['errors'] }));
      const result = (await stack.client.workflow.getHandle(workflowId).result()) as ImportOrdersResult;
      expectThat(result.submitted === count && result.skipped === count && result.started === 0, `${count} orders submitted and kept, none started: ${JSON.stringify(result)}`);
      return [{ workflowType: 'importOrdersWorkflow', path: 'two-chunks', workflowId }];
    },
  },
  {
    name: 'refused-approval-shortage',
    async run(stack, drive) {
      const trade = await shortableTrade(stack, drive);
      const id = await drive.submit(trade, ['review']);
      const giveBack = await holdAllStock(stack, trade);
      // With edits: a refused approval's edits are what the code review found unaudited.
      const refused = await drive.approve(id, { courierCode: 'EMS', reason: '缺货也先审' });
      await giveBack();
      expectThat(!refused.ok && refused.status === 'review', `refused for shortage: ${refused.message}`);
      return [order('refused-approval-shortage', id)];
    },
  },
  {
    name: 'shortage-queue',
    async run(stack, drive) {
      const trade = await shortableTrade(stack, drive);
      const giveBack = await holdAllStock(stack, trade);
      const id = await drive.submit(trade, ['review']);
      await drive.waitForRow(id, (o) => o.reviewReasons.includes('缺货'), 'the 缺货 queue');
      await giveBack();
      const approved = await drive.approve(id);
      expectThat(approved.ok, `approved once the stock is back: ${approved.message}`);
      return [order('shortage-queue-then-approved', id)];
    },
  },
  {
    name: 'waybill-failure',
    async run(stack, drive) {
      const id = await drive.submit(drive.placeTrade(), ['review']);
      stack.sandbox.setFaults({ errorRate: 1, methods: ['cainiao.waybill.ii.get'] });
      const approved = await drive.approve(id);
      stack.sandbox.setFaults(NO_FAULT);
      expectThat(approved.status === 'waybill_pending', `approved without a number: ${approved.status} ${approved.message}`);
      const again = await stack.client.workflow.getHandle(id).executeUpdate(reserveWaybillUpdate, { args: [{ actor: actors.warehouse }], updateId: `reserve-${id}` });
      expectThat(again.ok && again.status === 'ready_to_print', `reserved again: ${again.message}`);
      return [order('waybill-failure-then-reserved', id)];
    },
  },
  {
    name: 'out-of-area',
    async run(_stack, drive) {
      const id = await drive.submit(drive.placeTrade((t) => t.status === 'WAIT_SELLER_SEND_GOODS' && /新疆/.test(t.receiver_state)), ['out_of_area']);
      const approved = await drive.approve(id, { courierCode: 'EMS', warehouseCode: 'MAIN', reason: '客户同意走邮政' });
      expectThat(approved.ok && approved.status === 'ready_to_print', `approved from MAIN by EMS: ${approved.message}`);
      return [order('out-of-area-approved', id)];
    },
  },
  {
    name: 'refund-block-at-scan',
    async run(stack, drive) {
      const trade = drive.placeTrade();
      const id = await drive.submit(trade, ['review']);
      await drive.approve(id);
      await drive.markPrinted(id);
      // The buyer asks for a refund and no pull has told the order yet: the check at the scan desk finds it.
      stack.sandbox.refundTrade(trade.tid);
      const shipped = await drive.ship(id);
      expectThat(!shipped.ok && shipped.status === 'printed', `the scan refused the parcel: ${shipped.message}`);
      return [order('refund-block-at-scan', id)];
    },
  },
  {
    name: 'trade-closed',
    async run(stack, drive) {
      const trade = drive.placeTrade();
      const id = await drive.submit(trade, ['review']);
      await drive.approve(id);
      const closed = stack.sandbox.closeTrade(trade.tid);
      // What the next pull would submit: the closed trade, later than the one the order started from.
      await stack.intake.ingest([{ draft: draftFromTaobaoTrade(stack.shopCode, closed, 'pull'), raw: JSON.stringify(closed) }]);
      await drive.waitForRow(id, (o) => o.status === 'cancelled', 'cancelled');
      await stack.client.workflow.getHandle(id).result();
      return [order('trade-closed-before-shipping', id)];
    },
  },
  {
    name: 'sync-retry-now',
    async run(stack, drive) {
      stack.sandbox.setFaults(SYNC_FAULT);
      const { id } = await drive.shippedOrder();
      // Two failures: the first attempt and one timer-driven retry (10 s later), before staff press "retry now".
      await drive.waitForRow(id, (o) => o.syncStatus === 'failing' && o.syncAttempts >= 2, 'two failed syncs', 90_000);
      stack.sandbox.setFaults(NO_FAULT);
      await stack.client.workflow.getHandle(id).signal(retrySyncSignal, { actor: actors.warehouse });
      await drive.waitForRow(id, (o) => o.status === 'done', 'done');
      return [order('sync-failures-then-retry-now', id)];
    },
  },
  {
    name: 'mark-synced',
    async run(stack, drive) {
      stack.sandbox.setFaults(SYNC_FAULT);
      const { id } = await drive.shippedOrder();
      await drive.waitForRow(id, (o) => o.syncStatus === 'failing', 'a failed sync');
      const marked = await stack.client.workflow.getHandle(id).executeUpdate(markSyncedUpdate, {
        args: [{ actor: actors.reviewer, reason: '已在千牛后台手工发货' }], updateId: `mark-${id}`,
      });
      stack.sandbox.setFaults(NO_FAULT);
      expectThat(marked.ok && marked.status === 'done', `marked synced: ${marked.message}`);
      return [order('mark-synced', id)];
    },
  },
  {
    name: 'refund-check-unreachable',
    async run(stack, drive) {
      const { id } = await drive.printedOrder();
      stack.sandbox.setFaults({ outage: true });
      const refused = await drive.ship(id, { attempt: 'first' });
      expectThat(!refused.ok && refused.status === 'printed', `refused while the platform is down: ${refused.message}`);
      stack.sandbox.setFaults({ outage: false });
      const shipped = await drive.ship(id, { attempt: 'again' });
      expectThat(shipped.ok, `shipped once the platform answers: ${shipped.message}`);
      await drive.waitForRow(id, (o) => o.status === 'done', 'done');
      return [order('refund-check-unreachable-then-shipped', id)];
    },
  },
  {
    name: 'supervisor-release',
    async run(stack, drive) {
      const { id } = await drive.printedOrder();
      stack.sandbox.setFaults({ outage: true });
      const released = await drive.ship(id, { attempt: 'released', actor: actors.admin, override: { reason: '平台故障，买家已确认' } });
      stack.sandbox.setFaults({ outage: false });
      expectThat(released.ok, `released by the admin: ${released.message}`);
      await drive.waitForRow(id, (o) => o.status === 'done', 'done');
      return [order('shipped-without-refund-check-by-supervisor', id)];
    },
  },
  {
    name: 'waybill-cancel-retry',
    async run(stack, drive) {
      const trade = drive.placeTrade((t) => isPlainTrade(t) && t.orders.order.length === 1);
      const id = await drive.submit(trade, ['review']);
      const approved = await drive.approve(id, { courierCode: 'ZTO' });
      expectThat(approved.status === 'ready_to_print', `a ZTO e-waybill number: ${approved.message}`);
      stack.sandbox.setFaults({ errorRate: 1, methods: ['cainiao.waybill.ii.cancel'] });
      const closed = stack.sandbox.closeTrade(trade.tid);
      await stack.intake.ingest([{ draft: draftFromTaobaoTrade(stack.shopCode, closed, 'pull'), raw: JSON.stringify(closed) }]);
      await drive.waitForRow(id, (o) => o.status === 'cancelled' && o.alert.startsWith('取消物流单号'), 'cancelled, number cancellation pending');
      stack.sandbox.setFaults(NO_FAULT);
      await drive.waitForRow(id, (o) => o.alert === '', 'number cancelled on retry', 60_000);
      await stack.client.workflow.getHandle(id).result();
      return [order('trade-closed-waybill-cancel-retried', id)];
    },
  },
  {
    name: 'address-changed-after-approval',
    async run(stack, drive) {
      const trade = drive.placeTrade();
      const id = await drive.submit(trade, ['review']);
      await drive.approve(id, { courierCode: 'ZTO' });
      await changeAddress(stack, trade);
      await drive.waitForRow(id, (o) => o.status === 'review' && o.waybillNo === '', 'sent back to review');
      const again = await drive.approve(id, { courierCode: 'ZTO' });
      expectThat(again.ok && again.status === 'ready_to_print', `approved again: ${again.message}`);
      return [order('address-changed-after-approval-sent-back', id)];
    },
  },
  {
    name: 'address-changed-after-print',
    async run(stack, drive) {
      const { id, trade } = await drive.printedOrder();
      await changeAddress(stack, trade);
      await drive.waitForRow(id, (o) => o.alert.startsWith('买家在打印后修改了'), 'the alert');
      const refused = drive.ship(id, { attempt: 'refused' });
      expectThat(await refused.then(() => false, () => true), 'the scan desk refused the parcel');
      const released = await drive.ship(id, { attempt: 'released', actor: actors.admin, override: { reason: '已拦截，改贴新面单' } });
      expectThat(released.ok, `released: ${released.message}`);
      await drive.waitForRow(id, (o) => o.status === 'done', 'done');
      return [order('address-changed-after-print-released', id)];
    },
  },
  {
    name: 'shop-pull-gives-up',
    async run(stack) {
      stack.sandbox.setFaults({ outage: true });
      const workflowId = `shop-pull:${stack.shopCode}:record-outage`;
      const r = await stack.client.workflow.execute('shopPullWorkflow', { taskQueue: stack.taskQueue, workflowId, args: [{ shopCode: stack.shopCode }] });
      stack.sandbox.setFaults({ outage: false });
      expectThat(!!(r as { error?: string }).error, 'the pull ended with its error');
      return [{ workflowType: 'shopPullWorkflow', path: 'platform-down-gives-up', workflowId }];
    },
  },
  {
    name: 'return-by-hand',
    async run(stack, drive) {
      const cases = caseDriver(stack);
      const { id } = await drive.shippedOrder();
      const { caseNo, workflowId, lines } = await cases.register(id, 'return');
      await expectDecision(cases.agree(workflowId), 'awaiting_parcel');
      await expectDecision(cases.receive(workflowId), 'awaiting_qc');
      // One unit of the first line comes back damaged: it goes to the returns warehouse as defective, the rest on sale.
      const qc = lines.map((l, i) => ({ oid: l.oid, good: i === 0 ? l.qty - 1 : l.qty, defective: i === 0 ? 1 : 0, missing: 0, wrong: 0, note: i === 0 ? '外盒压坏' : '' }));
      await expectDecision(cases.qc(workflowId, qc), 'awaiting_approval');
      await expectDecision(cases.approve(workflowId, { decision: 'approve', refundFen: paidFor(lines), postageBorneBy: 'seller', postageFen: 1200 }), 'awaiting_finance');
      await expectDecision(cases.finance(workflowId, { decision: 'confirm', channel: 'offline', account: '支付宝 shop@example.com', reference: 'ALI20261127001' }), 'done');
      await cases.handle(workflowId).result();
      expectThat((await stack.db.em().count(StockLedgerEntry, { refType: 'case', refId: caseNo })) > 0, 'the goods back in stock');
      return [caseRecord('returnWorkflow', 'by-hand-offline-refund-stock-in', workflowId)];
    },
  },
  {
    name: 'platform-return',
    async run(stack, drive) {
      const cases = caseDriver(stack);
      const { id, trade } = await drive.shippedOrder();
      await drive.waitForRow(id, (o) => o.status === 'done', 'synced');
      const { refundId, caseNo, workflowId, opened } = await buyerAsks(stack, cases, trade.tid, { oids: [String(trade.orders.order[0]!.oid)], hasGoodReturn: true, reason: '质量问题' }, (c) => c.stage === 'registered');
      await expectDecision(cases.agree(workflowId), 'awaiting_parcel');
      expectThat(stack.sandbox.getRefund(refundId)?.status === 'WAIT_BUYER_RETURN_GOODS', 'the platform has the return agreed');
      await nextSecond();
      stack.sandbox.sendReturnParcel(refundId, { companyName: '顺丰速运', sid: 'SF9988776655' });
      await pullRefunds(stack, trade.tid);
      await cases.waitForCase(caseNo, (c) => c.returnWaybillNo === 'SF9988776655', "the buyer's tracking number");
      await expectDecision(cases.receive(workflowId, 'SF9988776655'), 'awaiting_qc');
      await expectDecision(cases.qc(workflowId, opened.lines.map((l) => ({ oid: l.oid, good: 0, defective: l.qty, missing: 0, wrong: 0, note: '屏幕碎裂' }))), 'awaiting_approval');
      await expectDecision(cases.approve(workflowId, { decision: 'approve', refundFen: paidFor(opened.lines) }), 'awaiting_finance');
      await expectDecision(cases.finance(workflowId, { decision: 'confirm', channel: 'platform' }), 'awaiting_platform_refund');
      await cases.handle(workflowId).result();
      const paid = stack.sandbox.state.refundPayments.filter((p) => p.refund_id === refundId);
      expectThat(paid.length === 1 && stack.sandbox.getRefund(refundId)?.status === 'SUCCESS', `refunded once on the platform: ${paid.length}`);
      return [caseRecord('returnWorkflow', 'platform-return-refunded-on-platform', workflowId)];
    },
  },
  {
    name: 'refund-before-print',
    async run(stack, drive) {
      const cases = caseDriver(stack);
      const trade = drive.placeTrade((t) => isPlainTrade(t) && t.orders.order.length === 1);
      const id = await drive.submit(trade, ['review']);
      const approved = await drive.approve(id, { courierCode: 'ZTO' });
      expectThat(approved.ok && approved.status === 'ready_to_print', `approved with an e-waybill number: ${approved.message}`);
      // The only sub-order refunded before printing: the order is cancelled and its number goes back to Cainiao.
      stack.sandbox.askRefund(trade.tid, { reason: '不想要了' });
      await pullRefunds(stack, trade.tid);
      await drive.waitForRow(id, (o) => o.status === 'cancelled', 'cancelled for the refund');
      await stack.client.workflow.getHandle(id).result();
      const [first] = stack.sandbox.listRefunds(trade.tid);
      const { caseNo, workflowId } = platformCaseIds(stack.shopCode, String(first!.refund_id));
      const c = await cases.waitForCase(caseNo, (x) => x.stage === 'awaiting_approval' && x.interception === 'order_cancelled', 'the order cancelled');
      await expectDecision(cases.approve(workflowId, { decision: 'approve', refundFen: paidFor(c.lines) }), 'awaiting_finance');
      await expectDecision(cases.finance(workflowId, { decision: 'confirm', channel: 'platform' }), 'awaiting_platform_refund');
      await cases.handle(workflowId).result();
      return [caseRecord('returnWorkflow', 'refund-before-print-order-cancelled', workflowId), order('refund-before-print-intercepted-cancelled', id)];
    },
  },
  {
    name: 'refund-after-print',
    async run(stack, drive) {
      const cases = caseDriver(stack);
      const trade = drive.placeTrade(twoLineTrade);
      const id = await drive.submit(trade, ['review']);
      await drive.approve(id, { courierCode: 'EMS' });
      await drive.markPrinted(id);
      const refunded = trade.orders.order[0]!;
      const { caseNo, workflowId } = await cases.register(id, 'refund', { lines: [{ oid: String(refunded.oid), qty: Number(refunded.num) }], reason: '不想要了' });
      await drive.waitForRow(id, (o) => o.interceptCaseNo === caseNo, 'intercepted');
      const refused = await drive.ship(id, { attempt: 'intercepted' }).then(() => false, () => true);
      expectThat(refused, 'the scan desk refused the intercepted parcel');
      await cases.waitForCase(caseNo, (c) => c.interception === 'waiting_pull', 'waiting for the pull');
      const pulled = await stack.client.workflow.getHandle(id).executeUpdate(confirmPulledUpdate, {
        args: [{ actor: actors.warehouse, expectedVersion: (await drive.waitForRow(id, (o) => o.interceptCaseNo === caseNo, 'held')).version }], updateId: `pulled-${id}`,
      });
      expectThat(pulled.ok && pulled.status === 'ready_to_print', `pulled, the rest to print again: ${pulled.message}`);
      await cases.waitForCase(caseNo, (c) => c.stage === 'awaiting_approval' && c.interception === 'lines_cancelled', 'lines cancelled');
      await drive.waitForRow(id, (o) => o.status === 'ready_to_print' && !o.interceptCaseNo, 'repack');
      await drive.markPrinted(id);
      const shipped = await drive.ship(id, { attempt: 'after-pull' });
      expectThat(shipped.ok, `the rest shipped: ${shipped.message}`);
      await drive.waitForRow(id, (o) => o.status === 'done', 'done');
      return [caseRecord('returnWorkflow', 'refund-after-print-lines-cancelled', workflowId), order('intercepted-after-print-pulled-then-shipped', id)];
    },
  },
  {
    name: 'buyer-withdrew',
    async run(stack, drive) {
      const cases = caseDriver(stack);
      const { id, trade } = await drive.printedOrder();
      const { refundId, caseNo, workflowId } = await buyerAsks(stack, cases, trade.tid, { oids: [String(trade.orders.order[0]!.oid)] }, (c) => c.interception === 'waiting_pull');
      await drive.waitForRow(id, (o) => o.interceptCaseNo === caseNo, 'held');
      await nextSecond();
      stack.sandbox.cancelRefund(refundId);
      await pullRefunds(stack, trade.tid);
      await cases.handle(workflowId).result();
      const closed = await cases.waitForStage(caseNo, 'closed');
      expectThat(closed.closedReason.includes('买家已在平台撤销退款'), `closed for the withdrawal: ${closed.closedReason}`);
      await drive.waitForRow(id, (o) => o.interceptCaseNo === '' && o.status === 'printed', 'released');
      const shipped = await refusalReason(drive.ship(id, { attempt: 'after-withdrawal' }));
      expectThat(shipped.ok, `shipped after the withdrawal: ${shipped.message}`);
      await drive.waitForRow(id, (o) => o.status === 'done', 'done');
      return [caseRecord('returnWorkflow', 'buyer-withdrew-case-closed', workflowId), order('intercept-released-then-shipped', id)];
    },
  },
  {
    name: 'refused-at-agree',
    async run(stack, drive) {
      const cases = caseDriver(stack);
      const { id, trade } = await drive.shippedOrder();
      // Goods can be sent back only once the platform knows they left.
      await drive.waitForRow(id, (o) => o.status === 'done', 'synced');
      const { refundId, workflowId } = await buyerAsks(stack, cases, trade.tid, { oids: [String(trade.orders.order[0]!.oid)], hasGoodReturn: true, reason: '七天无理由' }, (c) => c.stage === 'registered');
      const refused = await cases.handle(workflowId).executeUpdate(agreeCaseUpdate, {
        args: [{ actor: caseActors.afterSales, expectedVersion: await cases.version(workflowId), decision: 'refuse', reason: '商品已拆封使用，不支持七天无理由' }], updateId: `refuse-${workflowId}`,
      });
      expectThat(refused.ok && refused.stage === 'closed', `refused and closed: ${refused.message}`);
      await cases.handle(workflowId).result();
      expectThat(stack.sandbox.getRefund(refundId)?.status === 'SELLER_REFUSE_BUYER', 'the platform has the refusal');
      return [caseRecord('returnWorkflow', 'platform-return-refused-at-agree', workflowId)];
    },
  },
  {
    name: 'platform-refund-retried',
    async run(stack, drive) {
      const cases = caseDriver(stack);
      const { trade } = await drive.shippedOrder();
      // 仅退款 after shipment: no goods come back, after-sales decides at once.
      const { refundId, workflowId, opened } = await buyerAsks(stack, cases, trade.tid, { oids: [String(trade.orders.order[0]!.oid)], reason: '少件/漏发' }, (c) => c.stage === 'awaiting_approval');
      await expectDecision(cases.approve(workflowId, { decision: 'approve', refundFen: paidFor(opened.lines) }), 'awaiting_finance');
      // Every attempt of the first activity run fails (three tries); the case waits its backoff and tries again.
      stack.sandbox.setFaults({ failNextCalls: 3, methods: ['taobao.rp.refunds.agree'] });
      try {
        await expectDecision(cases.finance(workflowId, { decision: 'confirm', channel: 'platform' }), 'awaiting_platform_refund');
        await cases.waitForCase(opened.caseNo, (c) => c.platformRefundStep.status === 'failing', 'a failed platform refund');
      } finally {
        stack.sandbox.setFaults({ failNextCalls: 0, methods: null });
      }
      const done = await cases.waitForStage(opened.caseNo, 'done', 90_000);
      expectThat(done.platformRefundStep.attempts >= 2, `refunded after a failed attempt: ${done.platformRefundStep.attempts}`);
      await cases.handle(workflowId).result();
      expectThat(stack.sandbox.state.refundPayments.filter((p) => p.refund_id === refundId).length === 1, 'paid once');
      return [caseRecord('returnWorkflow', 'platform-refund-failed-then-retried', workflowId)];
    },
  },
  {
    name: 'finance-batch',
    async run(stack, drive) {
      const cases = caseDriver(stack);
      const finance = await apiAs(stack, 'caiwu');
      // 仅退款 after shipment, approved: what waits on 退款确认.
      const approvedRefund = async () => {
        const { trade } = await drive.shippedOrder();
        const asked = await buyerAsks(stack, cases, trade.tid, { oids: [String(trade.orders.order[0]!.oid)], reason: '少件/漏发' }, (c) => c.stage === 'awaiting_approval');
        await expectDecision(cases.approve(asked.workflowId, { decision: 'approve', refundFen: paidFor(asked.opened.lines) }), 'awaiting_finance');
        return asked;
      };
      /** Finance ticks the cases on 退款确认 and confirms: one batch workflow per shop asks the platform for them all. */
      const confirm = async (picked: Array<{ caseNo: string; workflowId: string }>) => {
        const actionId = randomUUID();
        const picks = [];
        for (const c of picked) picks.push({ caseNo: c.caseNo, expectedVersion: await cases.version(c.workflowId) });
        const answer = await finance.post<{ ok: number }>('/api/v1/finance/refunds/confirm', { actionId, cases: picks });
        expectThat(answer.status === 200 && answer.body.ok === picked.length, `confirmed: ${answer.status} ${JSON.stringify(answer.body)}`);
        const workflowId = `refund-batch:${actionId}:${stack.shopCode}`;
        await stack.client.workflow.getHandle(workflowId).result();
        return workflowId;
      };
      const paidPair = [await approvedRefund(), await approvedRefund()];
      const paidBatch = await confirm(paidPair);
      for (const c of paidPair) await cases.handle(c.workflowId).result();
      const alone = await approvedRefund();
      // Every attempt of the batch's call fails: the batch tells the case, which asks the platform on its own.
      stack.sandbox.setFaults({ failNextCalls: 3, methods: ['taobao.rp.refunds.agree'] });
      let failedBatch: string;
      try {
        failedBatch = await confirm([alone]);
      } finally {
        stack.sandbox.setFaults({ failNextCalls: 0, methods: null });
      }
      await cases.handle(alone.workflowId).result();
      for (const c of [...paidPair, alone]) {
        const paid = stack.sandbox.state.refundPayments.filter((p) => p.refund_id === c.refundId).length;
        expectThat(paid === 1, `${c.caseNo} paid once on the platform: ${paid}`);
      }
      return [
        { workflowType: 'platformRefundBatchWorkflow', path: 'two-refunds-paid', workflowId: paidBatch },
        caseRecord('returnWorkflow', 'refund-paid-by-finance-batch', paidPair[0]!.workflowId),
        { workflowType: 'platformRefundBatchWorkflow', path: 'platform-failed-cases-told', workflowId: failedBatch },
        caseRecord('returnWorkflow', 'finance-batch-failed-case-refunds-itself', alone.workflowId),
      ];
    },
  },
  {
    name: 'exchange',
    async run(stack, drive) {
      const cases = caseDriver(stack);
      const { id } = await drive.shippedOrder();
      const { caseNo, workflowId, lines } = await cases.register(id, 'exchange', { reason: '尺码/规格不合适' });
      await expectDecision(cases.agree(workflowId), 'awaiting_parcel');
      await expectDecision(cases.receive(workflowId), 'awaiting_qc');
      await expectDecision(cases.qc(workflowId, allGood(lines)), 'awaiting_approval');
      // The replacement costs 5 yuan a unit more: the buyer owes the difference, collected through finance.
      const replacement = lines.map((l) => ({ skuCode: l.skuCode, title: l.title, spec: l.spec, qty: l.qty, priceFen: Math.ceil(l.paidFen / l.qty) + 500 }));
      await expectDecision(cases.approve(workflowId, { decision: 'approve', replacement }), 'awaiting_finance');
      await expectDecision(cases.finance(workflowId, { decision: 'confirm', channel: 'offline', account: '对公账户', reference: 'BANK-7788' }), 'awaiting_replacement');
      await shipChildOrder(drive, cases, caseNo);
      await cases.handle(workflowId).result();
      return [caseRecord('exchangeWorkflow', 'price-difference-collected-child-shipped', workflowId)];
    },
  },
  {
    name: 'reissue',
    async run(stack, drive) {
      const cases = caseDriver(stack);
      const { id } = await drive.shippedOrder();
      const { caseNo, workflowId } = await cases.register(id, 'reissue', { reason: '少件/漏发' });
      await cases.waitForStage(caseNo, 'awaiting_approval');
      await expectDecision(cases.approve(workflowId, { decision: 'approve' }), 'awaiting_replacement');
      const childId = await shipChildOrder(drive, cases, caseNo);
      await cases.handle(workflowId).result();
      // The replacement is never synced: the platform's trade shipped with the original parcel.
      const child = await drive.waitForRow(childId, (o) => o.status === 'done', 'the child order done');
      expectThat(child.syncStatus === 'none', `the child order not synced: ${child.syncStatus}`);
      await stack.client.workflow.getHandle(childId).result();
      return [caseRecord('reissueWorkflow', 'approved-child-shipped', workflowId), order('after-sale-child-order-shipped-without-sync', childId)];
    },
  },
  {
    name: 'continue-as-new',
    timeSkipping: true,
    async run(stack, drive, env) {
      stack.sandbox.setFaults(SYNC_FAULT);
      const { id } = await drive.shippedOrder();
      const handle = stack.client.workflow.getHandle(id);
      const firstRunId = (await handle.describe()).runId;
      // Half an hour is the longest backoff: each step lets at least one more attempt fail, until the history is long enough.
      for (let step = 0; (await handle.describe()).runId === firstRunId; step++) {
        if (step > 400) throw new Error('no continue-as-new after 200 hours of failing syncs');
        await env!.sleep('30 minutes');
      }
      const marked = await handle.executeUpdate(markSyncedUpdate, { args: [{ actor: actors.reviewer, reason: '平台长时间不可用，已手工发货' }], updateId: `mark-${id}` });
      stack.sandbox.setFaults(NO_FAULT);
      expectThat(marked.ok, `marked synced in the new run: ${marked.message}`);
      await handle.result();
      expectThat((await stack.db.em().count(AuditEvent, { entityId: id, action: 'sync_marked' })) === 1, 'sync_marked audited once');
      return [order('continue-as-new-in-sync-loop', id, firstRunId), order('continued-run-then-mark-synced', id)];
    },
  },
  {
    name: 'return-parcel-never-came',
    timeSkipping: true,
    async run(stack, drive) {
      const cases = caseDriver(stack);
      const { id } = await drive.shippedOrder();
      const { caseNo, workflowId } = await cases.register(id, 'return', { reason: '七天无理由' });
      await expectDecision(cases.agree(workflowId), 'awaiting_parcel');
      // Waiting for the case lets the test server skip its timers: the reminder after 7 days, the close after 15.
      const closed = (await cases.handle(workflowId).result()) as CaseSnapshot;
      expectThat(closed.stage === 'closed' && !!closed.remindedAt && closed.closedReason.includes('未寄回'), `reminded, then closed: ${closed.stage} ${closed.closedReason}`);
      await cases.waitForStage(caseNo, 'closed');
      return [caseRecord('returnWorkflow', 'parcel-never-came-reminded-then-closed', workflowId)];
    },
  },
  {
    name: 'platform-deadline-warning',
    timeSkipping: true,
    async run(stack, drive, env) {
      const cases = caseDriver(stack);
      const { trade } = await drive.shippedOrder();
      // The platform pays a refund the seller leaves unanswered for 48 hours; the case warns 24 hours before.
      const { refundId, caseNo, workflowId, opened } = await buyerAsks(stack, cases, trade.tid, { oids: [String(trade.orders.order[0]!.oid)], reason: '少件/漏发' }, (c) => c.stage === 'awaiting_approval' && !!c.platformRefund?.deadline);
      await env!.sleep('25 hours');
      await cases.waitForCase(caseNo, (c) => c.deadlineWarned && c.alert.includes('自动同意'), 'the deadline warning');
      await expectDecision(cases.approve(workflowId, { decision: 'approve', refundFen: paidFor(opened.lines) }), 'awaiting_finance');
      await expectDecision(cases.finance(workflowId, { decision: 'confirm', channel: 'platform' }), 'awaiting_platform_refund');
      await cases.handle(workflowId).result();
      expectThat(stack.sandbox.getRefund(refundId)?.status === 'SUCCESS', 'refunded on the platform');
      return [caseRecord('returnWorkflow', 'platform-deadline-warned-then-refunded', workflowId)];
    },
  },
];

// The warehouse's paths (transfers, stock documents, stocktakes) live beside this file.
SCENARIOS.push(...STOCK_SCENARIOS.map((scenario): Scenario => ({ name: scenario.name, run: (stack) => scenario.run(stack) })));
SCENARIOS.push(...GOODS_SCENARIOS.map((scenario): Scenario => ({ name: scenario.name, run: (stack) => scenario.run(stack) })));
SCENARIOS.push(...RETENTION_SCENARIOS.map((scenario): Scenario => ({ name: scenario.name, run: (stack) => scenario.run(stack) })));

// ---- recording ---------------------------------------------------------------------------------

async function record(scenario: Scenario, outDir: string): Promise<string[]> {
  const timeSkipping = scenario.timeSkipping ? await startTimeSkippingStack() : null;
  const stack: RecordingStack & { close(): Promise<void> } = timeSkipping ?? (await startStack());
  try {
    const recorded = await scenario.run(stack, orderDriver(stack), timeSkipping?.env);
    const lines: string[] = [];
    for (const r of recorded) {
      const history = await stack.client.workflow.getHandle(r.workflowId, r.runId).fetchHistory();
      const file = path.join(outDir, r.workflowType, `${r.path}.json`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, historyToJson(history));
      const events = history.events ?? [];
      const last = temporal.api.enums.v1.EventType[events.at(-1)?.eventType ?? 0] ?? '';
      const state = /^EVENT_TYPE_WORKFLOW_EXECUTION_(COMPLETED|FAILED|CANCELED|TERMINATED|TIMED_OUT|CONTINUED_AS_NEW)$/.test(last) ? last.slice(30).toLowerCase() : 'open';
      lines.push(`${r.workflowType}/${r.path}.json  ${events.length} events, ${state}  (${r.workflowId})`);
    }
    return lines;
  } finally {
    await stack.close();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const outRoot = outIndex >= 0 ? path.resolve(args[outIndex + 1] ?? '') : path.join(ROOT, 'test', 'histories');
  const [set, ...only] = outIndex >= 0 ? args.filter((_, i) => i !== outIndex && i !== outIndex + 1) : args;
  if (!set || !/^[\w.-]+$/.test(set)) {
    console.error('usage: npm run histories:record -- <set, e.g. 2026-11-27-initial> [--out <dir>] [path …]');
    console.error(`paths: ${SCENARIOS.map((s) => s.name).join(', ')}`);
    process.exit(2);
  }
  const unknown = only.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length) {
    console.error(`unknown path(s): ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
    process.exit(2);
  }
  // The time-skipping environment brings a Temporal runtime of its own; the dev-server workers install theirs first.
  const chosen = SCENARIOS.filter((s) => !only.length || only.includes(s.name)).sort((a, b) => Number(!!a.timeSkipping) - Number(!!b.timeSkipping));
  const outDir = path.join(outRoot, set);
  process.env.WORKER_LOG_LEVEL ??= 'ERROR';
  // Histories are recorded with the codec on and the fixed test keys, which test/replay.test.ts decrypts with.
  useTestKeys();
  const bundleFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gj-histories-')), 'workflows.js');
  fs.writeFileSync(bundleFile, (await bundleWorkflowCode({ workflowsPath: path.join(ROOT, 'workflows'), logger: quiet, webpackConfigHook: actorKeyBundlerHook(), failureConverterPath: FAILURE_CONVERTER_PATH })).code);
  process.env.GJ_WORKFLOW_BUNDLE = bundleFile;
  const temporal = await startTemporalDevServer();
  process.env.TEMPORAL_ADDRESS = temporal.address;
  console.log(`recording ${chosen.length} path(s) from ${ROOT} into ${outDir}`);
  const failed: string[] = [];
  try {
    for (const scenario of chosen) {
      const t0 = Date.now();
      try {
        const lines = await record(scenario, outDir);
        for (const line of lines) console.log(`  ${scenario.name.padEnd(30)} ${line}`);
        console.log(`  ${scenario.name.padEnd(30)} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      } catch (err) {
        failed.push(scenario.name);
        console.error(`  ${scenario.name.padEnd(30)} FAILED: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      }
    }
  } finally {
    await temporal.stop();
    fs.rmSync(path.dirname(bundleFile), { recursive: true, force: true });
  }
  if (failed.length) {
    console.error(`${failed.length} path(s) not recorded: ${failed.join(', ')}`);
    process.exit(1);
  }
  console.log(`recorded ${chosen.length} path(s)`);
  process.exit(0);
}

const quiet = {
  log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined,
  warn: (m: string) => console.warn(m), error: (m: string) => console.error(m),
};

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
