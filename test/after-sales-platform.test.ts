/**
 * Cases opened from the platform's refunds (pulled with the shop's orders, signal-with-start by shop and refund id):
 * the buyer's side is the sandbox platform's, so what a test asserts is what Taobao would hold — one payment per
 * refund whatever answers were lost, the trade closed when everything was refunded before shipment.
 */
import { AfterSaleCase, Order, PlatformRefund, StockLevel } from '../db/entities';
import { platformCaseIds } from '../domain/after-sale';
import { isoToTaobaoTime } from '../domain/taobao';
import { caseActors, caseDriver } from './helpers/case-driver';
import { isPlainTrade, orderDriver } from './helpers/order-driver';
import { orderSteps } from './helpers/order-steps';
import { eventually, startStack, type Stack } from './helpers/stack';

let stack: Stack;
let orders: ReturnType<typeof orderDriver>;
let steps: ReturnType<typeof orderSteps>;
let cases: ReturnType<typeof caseDriver>;

beforeAll(async () => {
  stack = await startStack({ seed: 62 });
  orders = orderDriver(stack);
  steps = orderSteps(stack);
  cases = caseDriver(stack);
});
afterEach(() => {
  stack.sandbox.setFaults({ outage: false, errorRate: 0, failNextCalls: 0, loseNextAnswers: 0, answerLostRate: 0, methods: null });
});
afterAll(async () => {
  await stack?.close();
});

/** The case row answering a platform refund, once a pull has brought it in. */
async function caseOf(refundId: string, ok: (c: AfterSaleCase) => boolean = () => true): Promise<AfterSaleCase> {
  const { workflowId } = platformCaseIds(stack.shopCode, refundId);
  return eventually(async () => {
    const row = await stack.db.em().fork().findOne(AfterSaleCase, { workflowId });
    return row && ok(row) ? row : null;
  }, `the case of refund ${refundId}`);
}

/**
 * Pulls as the shop's Schedule does. The pull reads up to five seconds ago, so the buyer's changes made just now are
 * dated ten seconds back first (what steps.touch does for trades).
 */
async function pull(): Promise<void> {
  const recent = isoToTaobaoTime(new Date(Date.now() - 10_000));
  for (const r of stack.sandbox.state.refunds) if (r.modified > recent) (r as { modified: string }).modified = recent;
  const result = await steps.pull();
  expect(result.error).toBeUndefined();
}

const paymentsOf = (refundId: string) => stack.sandbox.state.refundPayments.filter((p) => p.refund_id === refundId);

describe('a buyer returning goods after shipment (退货退款 on the platform)', () => {
  it('opens one case per refund from the pull, agrees the return on the platform, takes the tracking number the buyer sends, and refunds once after QC, approval and finance', async () => {
    const { id, trade } = await orders.shippedOrder();
    await orders.waitForRow(id, (o) => o.status === 'done', 'synced');
    const [refund] = stack.sandbox.askRefund(trade.tid, { oids: [String(trade.orders.order[0]!.oid)], hasGoodReturn: true, reason: '质量问题' });
    const refundId = String(refund!.refund_id);
    await pull();
    await pull();
    const opened = await caseOf(refundId, (c) => c.stage === 'registered');
    expect(opened).toMatchObject({ type: 'return', orderId: id, platformRefundId: refundId, caseNo: `${stack.shopCode}-${refundId}` });
    expect(await stack.db.em().count(AfterSaleCase, { orderId: id })).toBe(1);
    expect(await stack.db.em().findOneOrFail(PlatformRefund, { shopCode: stack.shopCode, refundId })).toMatchObject({ caseNo: opened.caseNo, status: 'WAIT_SELLER_AGREE' });

    expect(await cases.agree(opened.workflowId)).toMatchObject({ ok: true, stage: 'awaiting_parcel' });
    expect(stack.sandbox.getRefund(refundId)?.status).toBe('WAIT_BUYER_RETURN_GOODS');
    stack.sandbox.sendReturnParcel(refundId, { companyName: '顺丰速运', sid: 'SF9988776655' });
    await pull();
    await caseOf(refundId, (c) => c.returnWaybillNo === 'SF9988776655');

    expect(await cases.receive(opened.workflowId, 'SF9988776655')).toMatchObject({ ok: true, stage: 'awaiting_qc' });
    const snapshot = (await caseOf(refundId)).snapshot!;
    await cases.qc(opened.workflowId, snapshot.lines.map((l) => ({ oid: l.oid, good: 0, defective: l.qty, missing: 0, wrong: 0, note: '屏幕碎裂' })));
    const sku = snapshot.lines[0]!.skuCode;
    const defectiveBefore = (await stack.db.em().fork().findOne(StockLevel, { skuCode: sku, warehouseCode: 'RET', quality: 'defective' }))?.onHand ?? 0;
    await cases.approve(opened.workflowId, { decision: 'approve', refundFen: snapshot.lines[0]!.paidFen });
    // The platform's answer to the refund is lost once: the retry must find it paid, not pay again.
    stack.sandbox.setFaults({ loseNextAnswers: 1, methods: ['taobao.rp.refunds.agree'] });
    expect(await cases.finance(opened.workflowId, { decision: 'confirm', channel: 'platform' })).toMatchObject({ ok: true, stage: 'awaiting_platform_refund' });
    await cases.waitForStage(opened.caseNo, 'done');
    expect(stack.sandbox.answersLost).toBeGreaterThanOrEqual(1);
    expect(paymentsOf(refundId)).toHaveLength(1);
    expect(paymentsOf(refundId)[0]).toMatchObject({ amount_fen: snapshot.lines[0]!.paidFen });
    expect(stack.sandbox.getRefund(refundId)?.status).toBe('SUCCESS');
    const defectiveAfter = (await stack.db.em().fork().findOneOrFail(StockLevel, { skuCode: sku, warehouseCode: 'RET', quality: 'defective' })).onHand;
    expect(defectiveAfter).toBe(defectiveBefore + snapshot.lines[0]!.qty);
  });
});

describe('a buyer asking a refund before shipment (仅退款 on the platform)', () => {
  it('cancels the unshipped order for the case and, once finance confirms, refunds on the platform, which closes the trade', async () => {
    const trade = orders.placeTrade();
    const id = await orders.submit(trade, ['review']);
    await orders.approve(id, { courierCode: 'EMS' });
    await orders.waitForRow(id, (o) => o.status === 'ready_to_print', 'ready_to_print');
    const refunds = stack.sandbox.askRefund(trade.tid, { reason: '不想要了' });
    await pull();
    await orders.waitForRow(id, (o) => o.status === 'cancelled', 'cancelled for the refund');
    for (const r of refunds) {
      const c = await caseOf(String(r.refund_id), (x) => x.stage === 'awaiting_approval');
      expect(c).toMatchObject({ type: 'refund', orderId: id });
      await cases.approve(c.workflowId, { decision: 'approve', refundFen: c.snapshot!.lines[0]!.paidFen });
      await cases.finance(c.workflowId, { decision: 'confirm', channel: 'platform' });
      await cases.waitForStage(c.caseNo, 'done');
      expect(paymentsOf(String(r.refund_id))).toHaveLength(1);
    }
    expect(stack.sandbox.getTrade(trade.tid)?.status).toBe('TRADE_CLOSED');
  });

  it('closes the case and lets the order go on when the buyer withdraws the refund', async () => {
    const trade = orders.placeTrade((t) => isPlainTrade(t) && t.orders.order.length === 1);
    const id = await orders.submit(trade, ['review']);
    await orders.approve(id, { courierCode: 'EMS' });
    await orders.markPrinted(id);
    const [refund] = stack.sandbox.askRefund(trade.tid, {});
    await pull();
    const c = await caseOf(String(refund!.refund_id), (x) => x.snapshot?.interception === 'waiting_pull');
    await orders.waitForRow(id, (o) => o.interceptCaseNo === c.caseNo, 'held');
    stack.sandbox.cancelRefund(String(refund!.refund_id));
    await pull();
    const closed = await caseOf(String(refund!.refund_id), (x) => x.stage === 'closed');
    expect(closed.snapshot?.closedReason).toContain('买家已在平台撤销退款');
    const released = await orders.waitForRow(id, (o) => o.interceptCaseNo === '', 'released');
    expect(released).toMatchObject({ status: 'printed', alert: '' });
    const shipped = await orders.ship(id, { attempt: 'after-withdrawal' });
    expect(shipped).toMatchObject({ ok: true, status: 'shipped' });
    expect((await stack.db.em().fork().findOneOrFail(Order, { id })).status).toBe('shipped');
  });
});

describe('a buyer asking a Tmall exchange (换货 on the platform)', () => {
  it('agrees the exchange on Tmall, confirms the returned goods, and gives Tmall the replacement parcel once the child order ships', async () => {
    const { id, trade } = await orders.shippedOrder();
    await orders.waitForRow(id, (o) => o.status === 'done', 'synced');
    const oid = String(trade.orders.order[0]!.oid);
    const exchange = stack.sandbox.askExchange(trade.tid, { oid, reason: '尺码不合适' });
    await pull();
    const opened = await caseOf(exchange.dispute_id, (c) => c.stage === 'registered');
    expect(opened).toMatchObject({ type: 'exchange', orderId: id });

    expect(await cases.agree(opened.workflowId)).toMatchObject({ ok: true, stage: 'awaiting_parcel' });
    expect(stack.sandbox.getExchange(exchange.dispute_id)?.status).toBe('待买家退货');
    stack.sandbox.sendExchangeReturnParcel(exchange.dispute_id, { companyName: '中通快递', sid: 'ZT5566778899' });
    await cases.receive(opened.workflowId, 'ZT5566778899');
    const snapshot = (await caseOf(exchange.dispute_id)).snapshot!;
    await cases.qc(opened.workflowId, snapshot.lines.map((l) => ({ oid: l.oid, good: l.qty, defective: 0, missing: 0, wrong: 0, note: '' })));
    expect(await cases.approve(opened.workflowId, { decision: 'approve' })).toMatchObject({ ok: true, stage: 'awaiting_replacement' });
    const withChild = await caseOf(exchange.dispute_id, (c) => c.childOrderIds !== '');
    const childId = withChild.childOrderIds;
    await orders.waitForRow(childId, (o) => o.status === 'review', 'review');
    await orders.approve(childId, { courierCode: 'EMS' });
    await orders.markPrinted(childId);
    const shipped = await orders.ship(childId);
    expect(shipped).toMatchObject({ ok: true });
    await cases.waitForStage(opened.caseNo, 'done');
    expect(stack.sandbox.getExchange(exchange.dispute_id)).toMatchObject({ status: '待买家收货', seller_logistic_no: shipped.waybillNo });
  });
});

describe('refunds finance confirms together', () => {
  it('go to the platform in one batch and each case hears its own answer; every refund is paid once', async () => {
    const trade = orders.placeTrade((t) => isPlainTrade(t) && t.orders.order.length >= 2);
    const id = await orders.submit(trade, ['review']);
    await orders.approve(id, { courierCode: 'EMS' });
    await orders.markPrinted(id);
    await orders.ship(id);
    await orders.waitForRow(id, (o) => o.status === 'done', 'synced');
    const refunds = stack.sandbox.askRefund(trade.tid, { reason: '少件/漏发' });
    await pull();
    const opened = await Promise.all(refunds.map((r) => caseOf(String(r.refund_id), (c) => c.stage === 'awaiting_approval')));
    for (const c of opened) {
      await cases.approve(c.workflowId, { decision: 'approve', refundFen: c.snapshot!.lines[0]!.paidFen });
      expect(await cases.finance(c.workflowId, { decision: 'confirm', channel: 'platform', batched: true })).toMatchObject({ ok: true, stage: 'awaiting_platform_refund' });
    }

    const results = await stack.client.workflow.execute('platformRefundBatchWorkflow', {
      taskQueue: stack.taskQueue,
      workflowId: `refund-batch:test-${trade.tid}`,
      args: [{ shopCode: stack.shopCode, actor: caseActors.finance, items: opened.map((c) => ({ caseWorkflowId: c.workflowId, refundId: c.platformRefundId, amountFen: c.snapshot!.lines[0]!.paidFen, phase: c.snapshot!.platformRefund!.phase })) }],
    });
    expect(results).toHaveLength(opened.length);
    for (const c of opened) {
      const done = await cases.waitForStage(c.caseNo, 'done', 20_000);
      expect(done.platformRefundStep).toMatchObject({ status: 'done', attempts: 1 });
      expect(paymentsOf(c.platformRefundId)).toHaveLength(1);
    }
  });
});

describe('a buyer refunding one sub-order before shipment', () => {
  it('ships and syncs the rest of the order: the platform is told which sub-orders the parcel holds', async () => {
    const trade = orders.placeTrade((t) => isPlainTrade(t) && t.orders.order.length >= 2);
    const id = await orders.submit(trade, ['review']);
    await orders.approve(id, { courierCode: 'EMS' });
    await orders.waitForRow(id, (o) => o.status === 'ready_to_print', 'ready_to_print');
    const refunded = String(trade.orders.order[0]!.oid);
    const [refund] = stack.sandbox.askRefund(trade.tid, { oids: [refunded] });
    await pull();
    const c = await caseOf(String(refund!.refund_id), (x) => x.stage === 'awaiting_approval');
    expect(c.snapshot?.interception).toBe('lines_cancelled');
    // No amount given: after-sales refunds all that was paid for the line.
    expect(await cases.approve(c.workflowId, { decision: 'approve' })).toMatchObject({ ok: true, stage: 'awaiting_finance' });
    await cases.finance(c.workflowId, { decision: 'confirm', channel: 'platform' });
    await cases.waitForStage(c.caseNo, 'done');
    expect(paymentsOf(String(refund!.refund_id))).toEqual([expect.objectContaining({ amount_fen: c.snapshot!.lines[0]!.paidFen })]);

    await orders.markPrinted(id);
    expect(await orders.ship(id)).toMatchObject({ ok: true });
    const synced = await orders.waitForRow(id, (o) => o.status === 'done', 'synced');
    expect(synced.syncAttempts).toBe(1);
    const shipment = stack.sandbox.state.shipments.find((s) => s.tid === trade.tid);
    expect(shipment).toBeTruthy();
    expect(stack.sandbox.getTrade(trade.tid)?.orders.order.filter((o) => String(o.oid) !== refunded).every((o) => !!(o as { invoice_no?: string }).invoice_no)).toBe(true);
  });
});
