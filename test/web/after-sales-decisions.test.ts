/**
 * After-sales decisions sent from the pages to real case workflows: a QC form sent twice is applied once, a decision
 * on a version the case has left is refused with the workflow's reason, the 待审批 batch approves each case for what
 * was paid, and a 无头件 matched to its case is received by it.
 */
import { createApp } from '../../api/app';
import type { AppDeps } from '../../api/env';
import { AfterSaleCase, AuditEvent, Order, OrderLine, UnmatchedParcel } from '../../db/entities';
import { DEMO_PASSWORD } from '../../db/seeders/demo-data';
import type { CaseStage } from '../../domain/after-sale';
import { caseStateQuery } from '../../workflows/after-sale-messages';
import { platformCaseIds } from '../../domain/after-sale';
import { isoToTaobaoTime } from '../../domain/taobao';
import { isPlainTrade, orderDriver } from '../helpers/order-driver';
import { orderSteps } from '../helpers/order-steps';
import { eventually, startStack, type Stack } from '../helpers/stack';
import { loginAgent, type Agent } from './web-fixture';
import { webDeps } from '../helpers/web-deps';

const deps = {} as AppDeps;
const app = createApp(deps);
const request = async (path: string, init?: RequestInit) => app.request(path, init);

let stack: Stack;
let kefu: Agent;
let shouhou: Agent;
let cangku: Agent;
let caiwu: Agent;
let seq = 0;
const actionId = () => `d0c1s10n-0000-4000-8000-${String(++seq).padStart(12, '0')}`;

const live = async (caseNo: string) => {
  const row = await stack.db.em().findOneOrFail(AfterSaleCase, { caseNo });
  return stack.client.workflow.getHandle(row.workflowId).query(caseStateQuery);
};
const stageOf = (caseNo: string, stage: CaseStage) => eventually(async () => ((await live(caseNo)).stage === stage ? live(caseNo) : null), `${caseNo} ${stage}`);

/** A return registered on the page for the first line of a freshly shipped order, agreed by after-sales. */
async function agreedReturn(waybillNo = ''): Promise<{ caseNo: string; paidFen: number; oid: string; qty: number }> {
  const { id } = await orderDriver(stack).shippedOrder();
  const [line] = await stack.db.em().find(OrderLine, { orderId: id, amountFen: { $gt: 0 } }, { orderBy: { lineNo: 'asc' }, limit: 1 });
  const res = await kefu.post('/after-sales/register', { actionId: actionId(), type: 'return', reason: '质量问题', orderId: id, oid_0: line!.oid, qty_0: String(line!.qty), returnWaybillNo: waybillNo });
  expect(res.status).toBe(303);
  const caseNo = decodeURIComponent(/\/after-sales\/cases\/([^?]+)/.exec(res.headers.get('location') ?? '')?.[1] ?? '');
  const { version } = await stageOf(caseNo, 'registered');
  expect((await shouhou.post(`/after-sales/cases/${caseNo}/agree`, { actionId: actionId(), expectedVersion: String(version), decision: 'agree' })).status).toBe(200);
  await stageOf(caseNo, 'awaiting_parcel');
  return { caseNo, paidFen: line!.amountFen, oid: line!.oid, qty: line!.qty };
}

/** Received at the returns desk and QC'd all good on the page: the case waits for approval. */
async function awaitingApproval(): Promise<{ caseNo: string; paidFen: number }> {
  const waybill = `YT-DEC-${++seq}`;
  const c = await agreedReturn(waybill);
  const desk = await cangku.post('/after-sales/returns', { actionId: actionId(), code: waybill, warehouseCode: 'RET' });
  expect(await desk.text()).toContain('scan-banner-ok');
  const { version } = await stageOf(c.caseNo, 'awaiting_qc');
  const qc = await cangku.post(`/after-sales/qc/${c.caseNo}`, { actionId: actionId(), expectedVersion: String(version), good_0: String(c.qty) });
  expect(qc.status).toBe(200);
  await stageOf(c.caseNo, 'awaiting_approval');
  return c;
}

beforeAll(async () => {
  stack = await startStack({ realPasswords: true, seed: 31 });
  Object.assign(deps, webDeps(stack));
  const login = (username: string) => loginAgent(request, username, DEMO_PASSWORD);
  [kefu, shouhou, cangku, caiwu] = await Promise.all([login('kefu'), login('shouhou'), login('cangku'), login('caiwu')]);
}, 120_000);
afterAll(() => stack?.close());

describe('decisions from the pages', () => {
  it('applies a QC form sent twice (a double click) once, and answers both with the same result', async () => {
    const waybill = `YT-TWICE-${Date.now()}`;
    const c = await agreedReturn(waybill);
    await cangku.post('/after-sales/returns', { actionId: actionId(), code: waybill, warehouseCode: 'RET' });
    const { version } = await stageOf(c.caseNo, 'awaiting_qc');
    const form = { actionId: actionId(), expectedVersion: String(version), good_0: String(c.qty - 1), defective_0: '1', note_0: '划痕' };
    const [a, b] = await Promise.all([cangku.post(`/after-sales/qc/${c.caseNo}`, form), cangku.post(`/after-sales/qc/${c.caseNo}`, form)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const s = await stageOf(c.caseNo, 'awaiting_approval');
    expect(s.qc).toEqual([{ oid: c.oid, good: c.qty - 1, defective: 1, missing: 0, wrong: 0, note: '划痕' }]);
    expect(s.version).toBe(version + 1);
    const audit = await eventually(async () => {
      const rows = await stack.db.em().find(AuditEvent, { entityType: 'case', entityId: c.caseNo, action: 'qc' });
      return rows.length ? rows : null;
    }, 'the QC audit row');
    expect(audit).toHaveLength(1);
  });

  it('refuses a decision on a version the case has left, with the workflow’s reason, and changes nothing', async () => {
    const c = await awaitingApproval();
    const before = await live(c.caseNo);
    const res = await shouhou.post(`/after-sales/cases/${c.caseNo}/approve`, { actionId: actionId(), expectedVersion: String(before.version - 1), decision: 'approve', refund: (c.paidFen / 100).toFixed(2) });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('售后单已被他人或系统修改，请刷新后重试');
    expect(await live(c.caseNo)).toMatchObject({ stage: 'awaiting_approval', version: before.version, refundFen: 0 });
  });

  it('approves every picked case from the 待审批 tab for what was paid for its lines', async () => {
    const cases = [await awaitingApproval(), await awaitingApproval()];
    const picks = await Promise.all(cases.map(async (c) => `${c.caseNo}@${(await live(c.caseNo)).version}`));
    const res = await shouhou.post('/after-sales/cases/batch', { actionId: actionId(), action: 'approve', pick: picks, filter: 'stage=awaiting_approval' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('成功 2 单，失败 0 单');
    for (const c of cases) expect(await stageOf(c.caseNo, 'awaiting_finance')).toMatchObject({ refundFen: c.paidFen, approvedBy: 'shouhou', postageBorneBy: 'buyer' });
  });

  it('receives a 无头件 into the case it is matched to, and marks the parcel matched', async () => {
    const c = await agreedReturn();
    const waybill = `YT-HEADLESS-${Date.now()}`;
    const desk = await (await cangku.post('/after-sales/returns', { actionId: actionId(), code: waybill, warehouseCode: 'RET' })).text();
    expect(desk).toContain(`无头件：运单号 ${waybill} 没有对应的售后单`);
    const parcel = await stack.db.em().findOneOrFail(UnmatchedParcel, { waybillNo: waybill });
    const matched = await cangku.post(`/after-sales/returns/unmatched/${parcel.id}/match`, { actionId: actionId(), caseNo: c.caseNo });
    expect(matched.status).toBe(200);
    expect(await stageOf(c.caseNo, 'awaiting_qc')).toMatchObject({ returnWaybillNo: waybill, receivedBy: 'cangku' });
    expect(await stack.db.em().findOneOrFail(UnmatchedParcel, { id: parcel.id })).toMatchObject({ matchedCaseNo: c.caseNo, matchedBy: 'cangku' });
    // Scanned again, the parcel is known to have come in.
    expect(await (await cangku.post('/after-sales/returns', { actionId: actionId(), code: waybill, warehouseCode: 'RET' })).text()).toContain('这个包裹已于');
  });

  it('lets the warehouse confirm from the order page that a parcel held for a refund was pulled off the line', async () => {
    const { id } = await orderDriver(stack).printedOrder();
    const lines = await stack.db.em().find(OrderLine, { orderId: id }, { orderBy: { lineNo: 'asc' } });
    const form: Record<string, string> = { actionId: actionId(), type: 'refund', reason: '不想要了', orderId: id };
    lines.forEach((l, i) => Object.assign(form, { [`oid_${i}`]: l.oid, [`qty_${i}`]: String(l.qty) }));
    const registered = await kefu.post('/after-sales/register', form);
    expect(registered.status).toBe(303);
    const caseNo = decodeURIComponent(/\/after-sales\/cases\/([^?]+)/.exec(registered.headers.get('location') ?? '')?.[1] ?? '');
    await eventually(async () => (await live(caseNo)).interception === 'waiting_pull', `${caseNo} waiting for the pull`);
    await eventually(async () => (await stack.db.em().findOne(Order, { id, interceptCaseNo: caseNo })) ?? null, `${id} held`);

    const page = await (await cangku.get(`/orders/${encodeURIComponent(id)}`)).text();
    expect(page).toContain(`此订单因售后单 ${caseNo} 被拦截`);
    const field = (name: string) => new RegExp(`data-testid="confirm-pulled-form"[\\s\\S]*?name="${name}" value="([^"]+)"`).exec(page)?.[1] ?? '';
    const pulled = await cangku.post(`/after-sales/orders/${encodeURIComponent(id)}/confirm-pulled`, { actionId: field('actionId'), expectedVersion: field('expectedVersion') });
    const answer = await pulled.text();
    expect({ status: pulled.status, ok: answer.includes('banner-ok') }).toEqual({ status: 200, ok: true });
    await eventually(async () => (await stack.db.em().findOne(Order, { id, interceptCaseNo: '' })) ?? null, `${id} released by the pull`);
    await eventually(async () => (await live(caseNo)).interception !== 'waiting_pull', `${caseNo} told of the pull`);
  });

  it('confirms refunds through the platform from 退款确认 as one batch, and the platform pays each once', async () => {
    const orders = orderDriver(stack);
    const trade = orders.placeTrade((t) => isPlainTrade(t) && t.orders.order.length >= 2);
    const id = await orders.submit(trade, ['review']);
    await orders.approve(id, { courierCode: 'EMS' });
    await orders.markPrinted(id);
    await orders.ship(id);
    await orders.waitForRow(id, (o) => o.status === 'done', 'synced');
    const refunds = stack.sandbox.askRefund(trade.tid, { reason: '少件/漏发' });
    // The pull reads refunds changed since its cursor; these were asked a moment ago.
    const recent = isoToTaobaoTime(new Date(Date.now() - 10_000));
    for (const r of stack.sandbox.state.refunds) if (r.modified > recent) (r as { modified: string }).modified = recent;
    await orderSteps(stack).pull();
    const caseNos = refunds.map((r) => platformCaseIds(stack.shopCode, String(r.refund_id)).caseNo);
    expect(caseNos.length).toBeGreaterThanOrEqual(2);

    const picks: string[] = [];
    for (const caseNo of caseNos) {
      const s = await eventually(async () => (await stack.db.em().findOne(AfterSaleCase, { caseNo })) && ((await live(caseNo)).stage === 'awaiting_approval' ? live(caseNo) : null), `${caseNo} waiting for approval`);
      const paid = s.lines.reduce((n, l) => n + l.paidFen, 0);
      const approved = await shouhou.post(`/after-sales/cases/${caseNo}/approve`, { actionId: actionId(), expectedVersion: String(s.version), decision: 'approve', refund: (paid / 100).toFixed(2) });
      expect(approved.status).toBe(200);
      picks.push(`${caseNo}@${(await stageOf(caseNo, 'awaiting_finance')).version}`);
    }
    const page = await (await caiwu.get('/finance/refunds')).text();
    for (const caseNo of caseNos) expect(page).toMatch(new RegExp(`data-case="${caseNo}"[\\s\\S]*?平台`));

    const confirmId = actionId();
    const res = await caiwu.post('/finance/refunds/confirm', { actionId: confirmId, pick: picks });
    expect(await res.text()).toContain(`成功 ${caseNos.length} 单，失败 0 单`);
    const batch = await stack.client.workflow.getHandle(`refund-batch:${confirmId}:${stack.shopCode}`).describe();
    expect(batch.type).toBe('platformRefundBatchWorkflow');
    for (const [i, caseNo] of caseNos.entries()) {
      const done = await stageOf(caseNo, 'done');
      expect(done.platformRefundStep).toMatchObject({ status: 'done', attempts: 1 });
      expect(stack.sandbox.state.refundPayments.filter((p) => p.refund_id === String(refunds[i]!.refund_id))).toHaveLength(1);
    }
  });
});
