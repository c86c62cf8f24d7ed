/**
 * No platform or courier failure ends an order's workflow: each remote call site, with the sandbox's outage and
 * error faults, leaves the order where staff can see it and act (a refusal with the reason, or a visible retry).
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { AuditEvent, Shop } from '../db/entities';
import { reserveWaybillUpdate, shipUpdate } from '../workflows/messages';
import { orderSteps } from './helpers/order-steps';
import { actors, eventually, startStack, type Stack } from './helpers/stack';

let stack: Stack;
let steps: ReturnType<typeof orderSteps>;

beforeAll(async () => {
  stack = await startStack();
  steps = orderSteps(stack);
});
afterEach(() => {
  stack.sandbox.setFaults({ outage: false, errorRate: 0, failNextCalls: 0, methods: null });
});
afterAll(async () => {
  await stack?.close();
});

async function workflowStatus(id: string): Promise<string> {
  return (await stack.client.workflow.getHandle(id).describe()).status.name;
}

async function auditActions(id: string): Promise<string[]> {
  const rows = await stack.db.em().find(AuditEvent, { entityId: id }, { orderBy: { id: 'asc' } });
  return rows.map((a) => `${a.action}:${a.actor}`);
}

function refusal(p: Promise<unknown>): Promise<unknown> {
  return p.catch((e: unknown) => {
    throw e instanceof WorkflowUpdateFailedError ? e.cause : e;
  });
}

/** An approved order with a pool courier (no e-waybill call), printed and waiting at the scan desk. */
async function printedOrder(): Promise<{ id: string; tid: string }> {
  const { id, trade } = await steps.newOrder();
  expect(await steps.approve(id, { courierCode: 'EMS' })).toMatchObject({ ok: true, status: 'ready_to_print' });
  await steps.markPrinted(id);
  return { id, tid: trade.tid };
}

describe('an order whose platform or courier fails', () => {
  it('refuses the scan while the platform cannot be asked about refunds, keeps the order printed, and ships once it can', async () => {
    const { id, tid } = await printedOrder();
    const handle = stack.client.workflow.getHandle(id);
    const scanned = await steps.barcodes(id);

    stack.sandbox.setFaults({ outage: true });
    const refused = await handle.executeUpdate(shipUpdate, { args: [{ actor: actors.warehouse, scannedBarcodes: scanned }] });
    expect(refused).toMatchObject({ ok: false, status: 'printed' });
    expect(refused.message).toContain('平台无法连接，稍后再扫');
    expect(await workflowStatus(id)).toBe('RUNNING');
    expect((await steps.orderRow(id))?.status).toBe('printed');
    expect(await auditActions(id)).toContain('refund_check_failed:cangku');

    stack.sandbox.setFaults({ outage: false });
    const shipped = await handle.executeUpdate(shipUpdate, { args: [{ actor: actors.warehouse, scannedBarcodes: scanned }] });
    expect(shipped).toMatchObject({ ok: true, status: 'shipped' });
    await steps.waitForStatus(id, ['done']);
    expect(stack.sandbox.state.shipments.filter((s) => s.tid === tid)).toHaveLength(1);
  });

  it('lets a supervisor, and only a supervisor, release a parcel the platform cannot check, and says so on the record', async () => {
    const { id } = await printedOrder();
    const handle = stack.client.workflow.getHandle(id);
    const scanned = await steps.barcodes(id);
    stack.sandbox.setFaults({ outage: true });

    const byWarehouse = handle.executeUpdate(shipUpdate, { args: [{ actor: actors.warehouse, scannedBarcodes: scanned, override: { reason: '平台故障' } }] });
    await expect(refusal(byWarehouse)).rejects.toThrow('没有放行权限');
    const noReason = handle.executeUpdate(shipUpdate, { args: [{ actor: actors.admin, scannedBarcodes: scanned, override: { reason: ' ' } }] });
    await expect(refusal(noReason)).rejects.toThrow('放行请填写原因');

    const released = await handle.executeUpdate(shipUpdate, { args: [{ actor: actors.admin, scannedBarcodes: scanned, override: { reason: '淘宝接口故障，买家已电话确认' } }] });
    expect(released).toMatchObject({ ok: true, status: 'shipped' });
    const skipped = await stack.db.em().findOneOrFail(AuditEvent, { entityId: id, action: 'refund_check_skipped' });
    expect(skipped.actor).toBe('admin');
    expect(skipped.reason).toContain('淘宝接口故障，买家已电话确认');

    // The sync waits out the outage in its own retry loop, then lands.
    await eventually(async () => (await steps.orderRow(id))?.syncStatus === 'failing', 'sync to fail during the outage');
    stack.sandbox.setFaults({ outage: false });
    await handle.signal('retrySync', { actor: actors.warehouse });
    await steps.waitForStatus(id, ['done']);
  });

  it('never releases a parcel the platform reports refunded, even for a supervisor', async () => {
    const { id, tid } = await printedOrder();
    stack.sandbox.refundTrade(tid);
    const r = await stack.client.workflow.getHandle(id).executeUpdate(shipUpdate, {
      args: [{ actor: actors.admin, scannedBarcodes: await steps.barcodes(id), override: { reason: '试试' } }],
    });
    expect(r).toMatchObject({ ok: false, status: 'printed' });
    expect(r.message).toContain('不要发货');
  });

  it('keeps an approved order waiting for a tracking number when the e-waybill service fails, and reserves it on request', async () => {
    const { id } = await steps.newOrder();
    stack.sandbox.setFaults({ errorRate: 1, methods: ['cainiao.waybill.ii.get'] });
    const approved = await steps.approve(id, { courierCode: 'ZTO' });
    expect(approved).toMatchObject({ ok: true, status: 'waybill_pending' });
    expect(approved.message).toContain('预约单号失败');
    const pending = await steps.waitForStatus(id, ['waybill_pending']);
    expect(pending.alert).toContain('预约单号失败');
    expect(await workflowStatus(id)).toBe('RUNNING');

    const handle = stack.client.workflow.getHandle(id);
    stack.sandbox.setFaults({ errorRate: 0, methods: null });
    const reserved = await handle.executeUpdate(reserveWaybillUpdate, { args: [{ actor: actors.warehouse }] });
    expect(reserved).toMatchObject({ ok: true, status: 'ready_to_print' });
    const row = await steps.waitForStatus(id, ['ready_to_print']);
    expect(row.alert).toBe('');
    expect(stack.sandbox.state.waybills.filter((w) => w.waybillCode === reserved.waybillNo)).toHaveLength(1);
  });

  it('cancels a closed trade at once and gives its tracking number back to the courier once the courier answers', async () => {
    const { id, trade } = await steps.newOrder();
    const approved = await steps.approve(id, { courierCode: 'ZTO' });
    expect(approved.status).toBe('ready_to_print');
    stack.sandbox.setFaults({ errorRate: 1, methods: ['cainiao.waybill.ii.cancel'] });
    stack.sandbox.closeTrade(trade.tid);
    steps.touch(stack.sandbox.getTrade(trade.tid)!);
    await steps.pull();

    const cancelled = await eventually(async () => {
      const o = await steps.orderRow(id);
      return o?.status === 'cancelled' && o.alert.startsWith('取消物流单号') ? o : null;
    }, 'the order to be cancelled with the courier cancellation pending');
    expect(cancelled.alert).toContain(approved.waybillNo!);
    expect(cancelled.alert).toContain('自动重试');
    expect(await workflowStatus(id)).toBe('RUNNING');
    expect(stack.sandbox.state.waybills.find((w) => w.waybillCode === approved.waybillNo)?.cancelled).toBe(false);

    stack.sandbox.setFaults({ errorRate: 0, methods: null });
    // The first retry comes 10 s after the failure.
    const cleared = await eventually(async () => {
      const o = await steps.orderRow(id);
      return o?.alert === '' ? o : null;
    }, 'the cancellation retry to succeed', 40_000);
    expect(cleared.status).toBe('cancelled');
    expect(stack.sandbox.state.waybills.find((w) => w.waybillCode === approved.waybillNo)?.cancelled).toBe(true);
    await eventually(async () => (await workflowStatus(id)) === 'COMPLETED', 'the workflow to complete');
    expect(await auditActions(id)).toEqual(expect.arrayContaining(['cancel:system', 'waybill_cancel_failed:system', 'waybill_cancelled:system']));
  });

  it('ends a pull that cannot reach the platform with the error on the shop, not a failed workflow, and the next pull catches up', async () => {
    const [trade] = stack.sandbox.generateTrades(1, { from: new Date(Date.now() - 80_000), to: new Date(Date.now() - 61_000) });
    stack.sandbox.setFaults({ outage: true });
    const failed = await steps.pull();
    expect(failed.error).toBeTruthy();
    const shop = await stack.db.em().findOneOrFail(Shop, { code: stack.shopCode });
    expect(shop.lastPullError).toBeTruthy();

    stack.sandbox.setFaults({ outage: false });
    const next = await steps.pull();
    expect(next.error).toBeUndefined();
    if (trade!.status === 'WAIT_SELLER_SEND_GOODS') await steps.waitForStatus(`order:${stack.shopCode}:${trade!.tid}`, ['review', 'out_of_area']);
    const after = await stack.db.em().fork().findOneOrFail(Shop, { code: stack.shopCode });
    expect(after.lastPullError).toBeNull();
  });
});
