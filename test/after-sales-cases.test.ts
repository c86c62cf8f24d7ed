/**
 * After-sales cases end to end on the real Temporal server and database: a return put back in stock by its QC, a
 * reissue's child order shipped, an exchange, and the guarantees staff rely on (QC applied once, stale decisions
 * refused, a case's money and stock moved once).
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { AfterSaleCase, AuditEvent, MoneyEntry, Order, StockLedgerEntry, StockLevel } from '../db/entities';
import { randomUUID } from 'node:crypto';
import { createApp } from '../api/app';
import { loadConfig } from '../api/config';
import { qcUpdate } from '../workflows/after-sale-messages';
import { apiClient, createApiToken, orderPath } from './api/api-client';
import { caseActors, caseDriver } from './helpers/case-driver';
import { orderDriver } from './helpers/order-driver';
import { actors, startStack, type Stack } from './helpers/stack';

let stack: Stack;
let orders: ReturnType<typeof orderDriver>;
let cases: ReturnType<typeof caseDriver>;

beforeAll(async () => {
  stack = await startStack({ seed: 61 });
  orders = orderDriver(stack);
  cases = caseDriver(stack);
});
afterAll(async () => {
  await stack?.close();
});

async function level(skuCode: string, warehouseCode: string, quality: 'good' | 'defective' = 'good'): Promise<number> {
  const row = await stack.db.em().fork().findOne(StockLevel, { skuCode, warehouseCode, quality });
  return row?.onHand ?? 0;
}

function refusal(p: Promise<unknown>): Promise<unknown> {
  return p.catch((e: unknown) => {
    throw e instanceof WorkflowUpdateFailedError ? e.cause : e;
  });
}

describe('a return (退货退款) registered by hand on a shipped order', () => {
  it('goes from registration to done: agreed, received, QC per line, approved, confirmed offline, good units back on sale, defective ones to the returns warehouse', async () => {
    const { id } = await orders.shippedOrder();
    const order = await stack.db.em().findOneOrFail(Order, { id });
    const { caseNo, workflowId, lines } = await cases.register(id, 'return');
    const sku = lines[0]!.skuCode;
    const mainBefore = await level(sku, 'MAIN');
    const retBefore = await level(sku, 'RET', 'defective');
    expect(await cases.waitForStage(caseNo, 'registered')).toMatchObject({ type: 'return', orderId: id, platformOrderNo: order.platformOrderNo });

    expect(await cases.agree(workflowId)).toMatchObject({ ok: true, stage: 'awaiting_parcel' });
    expect(await cases.receive(workflowId)).toMatchObject({ ok: true, stage: 'awaiting_qc' });
    const qc = lines.map((l, i) => ({ oid: l.oid, good: i === 0 ? l.qty - 1 : l.qty, defective: i === 0 ? 1 : 0, missing: 0, wrong: 0, note: i === 0 ? '外盒压坏' : '' }));
    expect(await cases.qc(workflowId, qc)).toMatchObject({ ok: true, stage: 'awaiting_approval' });

    const ceiling = lines.reduce((n, l) => n + l.paidFen, 0);
    await expect(refusal(cases.approve(workflowId, { decision: 'approve', refundFen: ceiling + 1 }))).rejects.toThrow(/超过这些商品的实付/);
    expect(await cases.approve(workflowId, { decision: 'approve', refundFen: ceiling, postageBorneBy: 'seller', postageFen: 1200 })).toMatchObject({ ok: true, stage: 'awaiting_finance' });
    await expect(refusal(cases.finance(workflowId, { decision: 'confirm', channel: 'offline', account: '' }))).rejects.toThrow(/账户和流水号/);
    expect(await cases.finance(workflowId, { decision: 'confirm', channel: 'offline', account: '支付宝 shop@example.com', reference: 'ALI20261127001' })).toMatchObject({ ok: true, stage: 'done' });

    const done = await cases.waitForStage(caseNo, 'done');
    expect(done).toMatchObject({ refundFen: ceiling, postageFen: 1200, approvedBy: 'shouhou', finance: { channel: 'offline', by: 'caiwu' } });
    expect(await level(sku, 'MAIN')).toBe(mainBefore + lines[0]!.qty - 1);
    expect(await level(sku, 'RET', 'defective')).toBe(retBefore + 1);
    const money = await stack.db.em().find(MoneyEntry, { caseNo }, { orderBy: { id: 'asc' } });
    expect(money.map((m) => `${m.kind}:${m.direction * m.amountFen}:${m.confirmedBy}`)).toEqual([`refund:${-ceiling}:caiwu`, 'postage_refund:-1200:caiwu']);
    const audit = await stack.db.em().find(AuditEvent, { entityType: 'case', entityId: caseNo }, { orderBy: { id: 'asc' } });
    expect(audit.map((a) => `${a.action}:${a.actor}`)).toEqual([
      'register:kefu', 'agree:shouhou', 'receive:cangku', 'qc:cangku', 'approve:shouhou', 'finance_confirm:caiwu', 'stock_in:caiwu', 'done:system',
    ]);
  });

  it('applies a QC sent twice once, refuses a decision on a stale version, and refuses the warehouse approving money', async () => {
    const { id } = await orders.shippedOrder();
    const { caseNo, workflowId, lines } = await cases.register(id, 'return');
    await cases.agree(workflowId);
    await cases.receive(workflowId);
    const qc = lines.map((l) => ({ oid: l.oid, good: l.qty, defective: 0, missing: 0, wrong: 0, note: '' }));
    const version = await cases.version(workflowId);
    const send = () => cases.handle(workflowId).executeUpdate(qcUpdate, { args: [{ actor: caseActors.warehouse, expectedVersion: version, lines: qc }], updateId: `qc-twice-${caseNo}` });
    const [a, b] = await Promise.all([send(), send()]);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ ok: true, stage: 'awaiting_approval' });
    expect(await stack.db.em().count(AuditEvent, { entityType: 'case', entityId: caseNo, action: 'qc' })).toBe(1);
    // A second QC with its own id is a new decision on an old version: refused, not applied again.
    await expect(refusal(cases.handle(workflowId).executeUpdate(qcUpdate, { args: [{ actor: caseActors.warehouse, expectedVersion: version, lines: qc }], updateId: `qc-again-${caseNo}` })))
      .rejects.toThrow(/不能执行此操作|已被他人或系统修改/);
    await expect(refusal(cases.approve(workflowId, { decision: 'approve', refundFen: 100 }, caseActors.warehouse))).rejects.toThrow(/没有此操作的权限/);
    expect((await stack.db.em().findOneOrFail(AfterSaleCase, { caseNo })).stage).toBe('awaiting_approval');
  });
});

describe('a reissue (补发)', () => {
  it('sends the chosen lines again at zero price in a child order that goes through review, print and scan, and finishes when it ships', async () => {
    const { id } = await orders.shippedOrder();
    const { caseNo, workflowId } = await cases.register(id, 'reissue', { reason: '少件/漏发' });
    expect(await cases.waitForStage(caseNo, 'awaiting_approval')).toMatchObject({ type: 'reissue' });
    expect(await cases.approve(workflowId, { decision: 'approve' })).toMatchObject({ ok: true, stage: 'awaiting_replacement' });
    const withChild = await cases.waitForCase(caseNo, (c) => c.childOrderIds.length === 1, 'a child order');
    const childId = withChild.childOrderIds[0]!;
    const child = await orders.waitForRow(childId, (o) => o.status === 'review', 'review');
    expect(child).toMatchObject({ source: 'after_sale', goodsFen: 0, sellerMemo: `补发：售后单 ${caseNo}` });
    expect(await orders.approve(childId, { courierCode: 'EMS' })).toMatchObject({ ok: true });
    await orders.markPrinted(childId);
    expect(await orders.ship(childId)).toMatchObject({ ok: true });
    expect(await cases.waitForStage(caseNo, 'done')).toMatchObject({ childOrderIds: [childId] });
    // A replacement is never synced to the platform: the original trade already shipped.
    expect(await orders.waitForRow(childId, (o) => o.status === 'done', 'done')).toMatchObject({ syncStatus: 'none' });
    expect(stack.sandbox.state.shipments.filter((s) => s.tid === child.platformOrderNo)).toHaveLength(1);
    const ledger = await stack.db.em().find(StockLedgerEntry, { refType: 'order', refId: childId, kind: 'deduct' });
    expect(ledger.length).toBeGreaterThan(0);
  });
});

describe('an exchange (换货)', () => {
  it('takes the goods back through QC, records the price difference with finance, and ships the replacement as a child order', async () => {
    const { id } = await orders.shippedOrder();
    const { caseNo, workflowId, lines } = await cases.register(id, 'exchange');
    await cases.agree(workflowId);
    await cases.receive(workflowId);
    await cases.qc(workflowId, lines.map((l) => ({ oid: l.oid, good: l.qty, defective: 0, missing: 0, wrong: 0, note: '' })));
    const returned = lines.reduce((n, l) => n + l.paidFen, 0);
    const replacement = lines.map((l) => ({ skuCode: l.skuCode, title: l.title, spec: l.spec, qty: l.qty, priceFen: Math.ceil(l.paidFen / l.qty) + 500 }));
    const outgoing = replacement.reduce((n, l) => n + l.priceFen * l.qty, 0);
    expect(await cases.approve(workflowId, { decision: 'approve', replacement })).toMatchObject({ ok: true, stage: 'awaiting_finance' });
    expect(await cases.waitForStage(caseNo, 'awaiting_finance')).toMatchObject({ priceDifferenceFen: outgoing - returned });
    expect(await cases.finance(workflowId, { decision: 'confirm', channel: 'offline', account: '对公账户', reference: 'BANK-7788' })).toMatchObject({ ok: true, stage: 'awaiting_replacement' });
    const money = await stack.db.em().findOneOrFail(MoneyEntry, { caseNo });
    expect(money).toMatchObject({ kind: 'collect', direction: 1, amountFen: outgoing - returned, account: '对公账户', reference: 'BANK-7788' });
    const withChild = await cases.waitForCase(caseNo, (c) => c.childOrderIds.length === 1, 'a child order');
    const childId = withChild.childOrderIds[0]!;
    await orders.waitForRow(childId, (o) => o.status === 'review', 'review');
    await orders.approve(childId, { courierCode: 'EMS' });
    await orders.markPrinted(childId);
    expect(await orders.ship(childId, { actor: actors.warehouse })).toMatchObject({ ok: true });
    await cases.waitForStage(caseNo, 'done');
  });
});

describe('a refund asked before shipment (发货前仅退款)', () => {
  it('cancels an approved, unprinted order at once with its stock and tracking number given back, then waits for approval and finance', async () => {
    const trade = orders.placeTrade();
    const id = await orders.submit(trade, ['review']);
    await orders.approve(id, { courierCode: 'EMS' });
    const approved = await orders.waitForRow(id, (o) => o.status === 'ready_to_print', 'ready_to_print');
    const sku = approved.mainSku;
    const reservedBefore = (await stack.db.em().fork().findOneOrFail(StockLevel, { skuCode: sku, warehouseCode: 'MAIN', quality: 'good' })).reserved;

    const { caseNo, workflowId } = await cases.register(id, 'refund', { reason: '不想要了' });
    const cancelled = await orders.waitForRow(id, (o) => o.status === 'cancelled', 'cancelled');
    expect(cancelled.interceptCaseNo).toBe('');
    const after = await stack.db.em().fork().findOneOrFail(StockLevel, { skuCode: sku, warehouseCode: 'MAIN', quality: 'good' });
    expect(after.reserved).toBeLessThan(reservedBefore);
    expect(await cases.waitForCase(caseNo, (c) => c.stage === 'awaiting_approval' && c.interception === 'order_cancelled', 'order cancelled')).toBeTruthy();
    const ceiling = (await cases.waitForStage(caseNo, 'awaiting_approval')).lines.reduce((n, l) => n + l.paidFen, 0);
    await cases.approve(workflowId, { decision: 'approve', refundFen: ceiling });
    expect(await cases.finance(workflowId, { decision: 'confirm', channel: 'offline', account: '支付宝', reference: 'A1' })).toMatchObject({ stage: 'done' });
    const audit = await stack.db.em().find(AuditEvent, { entityType: 'order', entityId: id }, { orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['intercept', 'cancel']));
  });

  it('intercepts a printed parcel: the scan desk refuses it until the warehouse confirms it was pulled, then the refunded units leave the order and the rest ships', async () => {
    const trade = orders.placeTrade((t) => t.status === 'WAIT_SELLER_SEND_GOODS' && !t.buyer_message && !t.seller_memo
      && !/新疆|西藏|内蒙古|湖南/.test(t.receiver_state) && Number(t.payment) < 999 && t.orders.order.length >= 2);
    const id = await orders.submit(trade, ['review']);
    await orders.approve(id, { courierCode: 'EMS' });
    await orders.markPrinted(id);
    const refunded = trade.orders.order[0]!;
    const { caseNo } = await cases.register(id, 'refund', { lines: [{ oid: String(refunded.oid), qty: Number(refunded.num) }] });
    const held = await orders.waitForRow(id, (o) => o.interceptCaseNo === caseNo, 'intercepted');
    expect(held.alert).toContain('请把包裹从发货线上取下');
    await expect(refusal(orders.ship(id))).rejects.toThrow(/售后拦截/);
    await cases.waitForCase(caseNo, (c) => c.interception === 'waiting_pull', 'waiting for the pull');

    // The warehouse confirms through the API, as a handheld at the packing line would; the customer service may not.
    const app = createApp({ db: stack.db, temporal: stack.client, config: { ...loadConfig({}).app, taskQueue: stack.taskQueue } });
    const kefu = apiClient(app, await createApiToken(stack.db, 'kefu'));
    const cangku = apiClient(app, await createApiToken(stack.db, 'cangku'));
    const body = { actionId: randomUUID(), expectedVersion: held.version };
    expect((await kefu.post(orderPath(id, '/confirm-pulled'), body)).status).toBe(403);
    const pulled = await cangku.post<{ ok: boolean; caseNo: string }>(orderPath(id, '/confirm-pulled'), body);
    expect(pulled).toMatchObject({ status: 200, body: { ok: true, caseNo } });
    // The same confirmation sent again (a retried request) is the same answer, applied once.
    expect((await cangku.post<{ ok: boolean }>(orderPath(id, '/confirm-pulled'), body)).body.ok).toBe(true);
    expect(await stack.db.em().count(AuditEvent, { entityType: 'order', entityId: id, action: 'parcel_pulled' })).toBe(1);
    const remaining = await orders.waitForRow(id, (o) => o.status === 'ready_to_print' && !o.interceptCaseNo, 'repack');
    expect(remaining.itemCount).toBe(trade.orders.order.slice(1).reduce((n, o) => n + Number(o.num), 0));
    await cases.waitForCase(caseNo, (c) => c.stage === 'awaiting_approval' && c.interception === 'lines_cancelled', 'lines cancelled');
    await orders.markPrinted(id);
    expect(await orders.ship(id, { attempt: 'after-pull' })).toMatchObject({ ok: true, status: 'shipped' });
  });
});
