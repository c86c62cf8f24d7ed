import { WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { decodeOptionalFailureToOptionalError, loadDataConverter } from '@temporalio/common/lib/internal-non-workflow';
import { guanjiaDataConverter } from '../api/temporal/temporal-security';
import { AuditEvent, OrderLine, PlatformOrder, PrintBatch, Shop, StockLedgerEntry, StockLevel } from '../db/entities';
import { orderWorkflowId } from '../domain/order-draft';
import {
  retrySyncSignal,
  reviewUpdate,
  shipUpdate,
  type PrintBatchInput,
  type PrintBatchResult,
  type ShopPullResult,
} from '../workflows/messages';
import { orderSteps } from './helpers/order-steps';
import { actors, eventually, startStack, type Stack } from './helpers/stack';
import { pdfPageCount, pdfPages } from './helpers/pdf';

let stack: Stack;
let steps: ReturnType<typeof orderSteps>;

beforeAll(async () => {
  stack = await startStack();
  steps = orderSteps(stack);
});
afterAll(async () => {
  stack?.sandbox.setFaults({ outage: false });
  await stack?.close();
});

async function print(orderIds: string[], kinds: PrintBatchInput['kinds'] = ['waybill']): Promise<PrintBatchResult> {
  const batchId = `P-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
  return stack.client.workflow.execute('printBatchWorkflow', {
    taskQueue: stack.taskQueue,
    workflowId: `print:${batchId}`,
    args: [{ batchId, orderIds, kinds, actor: actors.warehouse, sort: 'time' } satisfies PrintBatchInput],
  });
}

async function available(sku: string): Promise<{ onHand: number; reserved: number }> {
  const level = await stack.db.em().findOneOrFail(StockLevel, { skuCode: sku, warehouseCode: 'MAIN' });
  return { onHand: level.onHand, reserved: level.reserved };
}

/** A pull whose workflow the test can watch while it retries (the steps' pull only answers at the end). */
function startPull(name: string): Promise<WorkflowHandle> {
  return stack.client.workflow.start('shopPullWorkflow', {
    taskQueue: stack.taskQueue,
    workflowId: `shop-pull:${stack.shopCode}:${name}-${Date.now()}`,
    args: [{ shopCode: stack.shopCode }],
  });
}

/** The attempt the pull activity ended on, and whether it completed, as the workflow's history records them. */
async function pullAttempts(handle: WorkflowHandle): Promise<{ lastAttempt: number; completed: boolean; failed: boolean }> {
  const events = (await handle.fetchHistory()).events ?? [];
  const started = events.filter((e) => e.activityTaskStartedEventAttributes);
  return {
    lastAttempt: Math.max(0, ...started.map((e) => e.activityTaskStartedEventAttributes!.attempt ?? 0)),
    completed: events.some((e) => e.activityTaskCompletedEventAttributes),
    failed: events.some((e) => e.activityTaskFailedEventAttributes),
  };
}

const shopRow = () => stack.db.em().findOneOrFail(Shop, { code: stack.shopCode });

describe('an order from the platform to the buyer', () => {
  it('pulls generated trades once, approves, prints, scans, ships and syncs the tracking number back', async () => {
    const trades = stack.sandbox.generateTrades(12, { from: new Date(Date.now() - 5 * 60_000), to: new Date(Date.now() - 60_000) });
    const first = await steps.pull();
    expect(first.pulled).toBeGreaterThanOrEqual(12);
    expect(first.started).toBe(trades.filter((t) => t.status === 'WAIT_SELLER_SEND_GOODS').length);

    const second = await steps.pull();
    expect(second.started).toBe(0);
    expect(second.signalled).toBe(0);
    expect(await stack.db.em().count(PlatformOrder, { shopCode: stack.shopCode })).toBe(trades.length);

    // A plain order (no message, no memo, served region) is the happy path.
    const plain = trades.find((t) => t.status === 'WAIT_SELLER_SEND_GOODS' && !t.buyer_message && !t.seller_memo && !/新疆|西藏|内蒙古/.test(t.receiver_state));
    expect(plain).toBeDefined();
    const id = orderWorkflowId(stack.shopCode, plain!.tid);
    const reviewed = await steps.waitForStatus(id, ['review']);
    const lines = await stack.db.em().find(OrderLine, { orderId: id }, { orderBy: { lineNo: 'asc' } });
    const stockBefore = await available(lines[0]!.skuCode);

    const handle = stack.client.workflow.getHandle(id);
    const approved = await handle.executeUpdate(reviewUpdate, {
      args: [{ actor: actors.reviewer, expectedVersion: reviewed.version, decision: 'approve' }],
      updateId: `approve-${id}`,
    });
    expect(approved).toMatchObject({ ok: true, status: 'ready_to_print' });
    expect(approved.waybillNo).toMatch(/\d{8,}/);
    const afterReserve = await available(lines[0]!.skuCode);
    expect(afterReserve.reserved - stockBefore.reserved).toBe(lines.filter((l) => l.skuCode === lines[0]!.skuCode).reduce((n, l) => n + l.qty, 0));

    // The same UI action sent twice (double click) is applied once.
    const again = await handle.executeUpdate(reviewUpdate, {
      args: [{ actor: actors.reviewer, expectedVersion: reviewed.version, decision: 'approve' }],
      updateId: `approve-${id}`,
    });
    expect(again.waybillNo).toBe(approved.waybillNo);

    const batch = await print([id], ['waybill', 'packing_list']);
    expect(batch.printed).toEqual([id]);
    const pdfRow = await stack.db.em().findOneOrFail(PrintBatch, { id: batch.batchId }, { populate: ['pdf'] });
    expect(pdfPageCount(pdfRow.pdf!)).toBe(2);
    const pages = pdfPages(pdfRow.pdf!);
    expect(pages[0]).toContain(plain!.receiver_name);
    expect(pages[0]).toContain(approved.waybillNo);
    const printed = await steps.waitForStatus(id, ['printed']);
    expect(printed.printCount).toBe(1);

    const barcodes = await steps.barcodes(id);
    const shipped = await handle.executeUpdate(shipUpdate, {
      args: [{ actor: actors.warehouse, scannedBarcodes: barcodes, weightGrams: 850, postageFen: 600 }],
      updateId: `ship-${id}`,
    });
    expect(shipped).toMatchObject({ ok: true, status: 'shipped' });

    const done = await steps.waitForStatus(id, ['done']);
    expect(done).toMatchObject({ syncStatus: 'synced', weightGrams: 850, postageFen: 600, shippedBy: 'cangku', reviewedBy: 'shendan' });
    const shipment = stack.sandbox.state.shipments.find((s) => s.tid === plain!.tid);
    expect(shipment).toMatchObject({ outSid: approved.waybillNo, companyCode: done.courierCode });

    const stockAfter = await available(lines[0]!.skuCode);
    expect(stockAfter.reserved).toBe(stockBefore.reserved);
    expect(stockBefore.onHand - stockAfter.onHand).toBe(afterReserve.reserved - stockBefore.reserved);
    const ledger = await stack.db.em().find(StockLedgerEntry, { refId: id, skuCode: lines[0]!.skuCode });
    expect(ledger.map((l) => l.kind).sort()).toEqual(['deduct', 'reserve']);

    const audit = await stack.db.em().find(AuditEvent, { entityId: id }, { orderBy: { id: 'asc' } });
    expect(audit.map((a) => `${a.action}:${a.actor}`)).toEqual([
      'submit:system', 'auto_review:system', 'approve:shendan', 'waybill_reserved:shendan', 'print:cangku',
      'scan_checked:cangku', 'ship:cangku', 'sync:system',
    ]);
  });

  it('refuses a decision from the wrong role or on a stale version, with the reason, and changes nothing', async () => {
    const [trade] = stack.sandbox.generateTrades(1, { from: new Date(Date.now() - 90_000), to: new Date(Date.now() - 60_000) });
    await steps.pull();
    const id = orderWorkflowId(stack.shopCode, trade!.tid);
    const row = await steps.waitForStatus(id, ['review', 'out_of_area']);
    const handle = stack.client.workflow.getHandle(id);
    const wrongRole = handle.executeUpdate(reviewUpdate, { args: [{ actor: actors.warehouse, expectedVersion: row.version, decision: 'approve' }] });
    await expect(wrongRole).rejects.toThrow(WorkflowUpdateFailedError);
    await expect(wrongRole.catch((e: WorkflowUpdateFailedError) => { throw e.cause; })).rejects.toThrow('没有此操作的权限');
    const stale = handle.executeUpdate(reviewUpdate, { args: [{ actor: actors.reviewer, expectedVersion: row.version - 1, decision: 'approve' }] });
    await expect(stale.catch((e: WorkflowUpdateFailedError) => { throw e.cause; })).rejects.toThrow('请刷新后重试');
    const unchanged = await steps.orderRow(id);
    expect(unchanged).toMatchObject({ status: row.status, version: row.version, reviewedBy: '' });
  });

  it('parks an order to Xinjiang in the out-of-area warehouse', async () => {
    const trades = stack.sandbox.generateTrades(150, { from: new Date(Date.now() - 120_000), to: new Date(Date.now() - 61_000) });
    await steps.pull();
    const far = trades.find((t) => t.status === 'WAIT_SELLER_SEND_GOODS' && /新疆/.test(t.receiver_state));
    expect(far).toBeDefined();
    const row = await steps.waitForStatus(orderWorkflowId(stack.shopCode, far!.tid), ['out_of_area']);
    expect(row.warehouseCode).toBe('OOA');
    expect(row.reviewReasons).toContain('超区: 新疆');
  });

  it('keeps retrying a failing shipment sync, shows the error and next attempt, and recovers on "retry now"', async () => {
    const [trade] = stack.sandbox.generateTrades(1, { from: new Date(Date.now() - 70_000), to: new Date(Date.now() - 61_000) });
    await steps.pull();
    const id = orderWorkflowId(stack.shopCode, trade!.tid);
    const row = await steps.waitForStatus(id, ['review', 'out_of_area']);
    const handle = stack.client.workflow.getHandle(id);
    await handle.executeUpdate(reviewUpdate, { args: [{ actor: actors.admin, expectedVersion: row.version, decision: 'approve', courierCode: 'EMS', warehouseCode: 'MAIN' }] });
    await steps.markPrinted(id);
    stack.sandbox.setFaults({ errorRate: 1, methods: ['taobao.logistics.offline.send'] });
    await handle.executeUpdate(shipUpdate, { args: [{ actor: actors.warehouse, scannedBarcodes: await steps.barcodes(id) }] });
    const failing = await eventually(async () => {
      const o = await steps.orderRow(id);
      return o?.syncStatus === 'failing' ? o : null;
    }, 'sync to fail');
    expect(failing.syncLastError).not.toBe('');
    expect(failing.syncNextAt!.getTime()).toBeGreaterThan(Date.now());
    expect(stack.sandbox.state.shipments.find((s) => s.tid === trade!.tid)).toBeUndefined();

    stack.sandbox.setFaults({ errorRate: 0, methods: null });
    await handle.signal(retrySyncSignal, { actor: actors.warehouse });
    const done = await steps.waitForStatus(id, ['done']);
    expect(done.syncStatus).toBe('synced');
    expect(stack.sandbox.state.shipments.filter((s) => s.tid === trade!.tid)).toHaveLength(1);
  });

  it('ends a pull that cannot reach the platform after three tries with the error on its result and the shop, and starts no order', async () => {
    const trades = stack.sandbox.generateTrades(3, { from: new Date(Date.now() - 80_000), to: new Date(Date.now() - 61_000), status: 'WAIT_SELLER_SEND_GOODS' });
    const storedBefore = await stack.db.em().count(PlatformOrder, { shopCode: stack.shopCode });
    stack.sandbox.setFaults({ outage: true });
    try {
      const handle = await startPull('outage');
      const result = (await handle.result()) as ShopPullResult;
      expect(result).toMatchObject({ pulled: 0, started: 0, signalled: 0 });
      expect(result.error).toMatch(/HTTP 503/);
      // The pull gave up as a result, not as a failed workflow, after its activity's last retry.
      expect((await handle.describe()).status.name).toBe('COMPLETED');
      expect(await pullAttempts(handle)).toEqual({ lastAttempt: 3, completed: false, failed: true });

      const shop = await shopRow();
      expect(shop.lastPullError).toMatch(/HTTP 503/);
      expect(await stack.db.em().count(PlatformOrder, { shopCode: stack.shopCode })).toBe(storedBefore);
      for (const t of trades) {
        const id = orderWorkflowId(stack.shopCode, t.tid);
        expect(await steps.orderRow(id)).toBeNull();
        await expect(stack.client.workflow.getHandle(id).describe()).rejects.toThrow(WorkflowNotFoundError);
      }
    } finally {
      stack.sandbox.setFaults({ outage: false });
    }
  });

  it('recovers a pull whose outage ends before its retries run out: every trade pulled once and the shop\'s error cleared', async () => {
    const trades = stack.sandbox.generateTrades(3, { from: new Date(Date.now() - 80_000), to: new Date(Date.now() - 61_000), status: 'WAIT_SELLER_SEND_GOODS' });
    stack.sandbox.setFaults({ outage: true });
    let handle: WorkflowHandle;
    try {
      handle = await startPull('short-outage');
      // The first try has failed and the activity waits for its retry: only now does the platform come back.
      const pending = await eventually(async () => {
        const activity = (await handle.describe()).raw.pendingActivities?.[0];
        return activity && (activity.attempt ?? 0) >= 2 && activity.lastFailure ? activity : null;
      }, 'the pull to fail once and wait for its retry');
      // Failure text is encrypted in Temporal like every payload: the project's converter reads it back.
      const lastFailure = await decodeOptionalFailureToOptionalError(loadDataConverter(guanjiaDataConverter()), pending.lastFailure);
      expect(lastFailure?.message).toMatch(/HTTP 503/);
      expect((await shopRow()).lastPullError).toMatch(/HTTP 503/);
    } finally {
      stack.sandbox.setFaults({ outage: false });
    }

    const result = (await handle.result()) as ShopPullResult;
    expect(result.error).toBeUndefined();
    expect(result.pulled).toBeGreaterThanOrEqual(trades.length);
    // This test's trades and the ones the failed pull above left behind are all new to Guanjia.
    expect(result.started).toBeGreaterThanOrEqual(trades.length);
    const attempts = await pullAttempts(handle);
    expect(attempts.completed).toBe(true);
    expect(attempts.lastAttempt).toBeGreaterThanOrEqual(2);
    expect(attempts.lastAttempt).toBeLessThanOrEqual(3);
    expect((await shopRow()).lastPullError).toBeNull();

    for (const t of trades) {
      expect(await stack.db.em().count(PlatformOrder, { shopCode: stack.shopCode, platformOrderNo: t.tid })).toBe(1);
      const order = await steps.waitForStatus(orderWorkflowId(stack.shopCode, t.tid), ['review', 'out_of_area']);
      expect(order.platformOrderNo).toBe(t.tid);
    }
  });
});
