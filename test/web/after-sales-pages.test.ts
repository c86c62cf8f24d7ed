/**
 * What the after-sales and finance pages show and refuse before any workflow is asked: the platform's deadline
 * countdown and its 24-hour warning, the intercepted order's "parcel pulled" button for the warehouse only, the
 * finance desk's per-case refusals, QC of a case not waiting for it, and the money entries with their totals.
 */
import { AfterSaleCase, MoneyEntry } from '../../db/entities';
import { seedAfterSalesSetup, seedCaseRow } from '../helpers/case-rows';
import { PASSWORD, seedOrders, startWebFixture, type Agent, type WebFixture } from './web-fixture';

let web: WebFixture;
let kefu: Agent;
let cangku: Agent;
let caiwu: Agent;
let shouhou: Agent;
let seq = 0;
const actionId = () => `b7c0de00-0000-4000-8000-${String(++seq).padStart(12, '0')}`;
const ORDER = 'order:zhiyuan:7400000001';
const HELD = 'order:zhiyuan:7400000002';
const hours = (n: number) => new Date(Date.now() + n * 3_600_000).toISOString();
const platformRefund = (deadline: string) => ({ refundId: '88001', status: 'WAIT_SELLER_AGREE', disputeType: 'REFUND_AND_RETURN', phase: 'aftersale' as const, refundVersion: '1', requestedFen: 4800, deadline, modified: new Date().toISOString() });

beforeAll(async () => {
  web = await startWebFixture();
  await seedAfterSalesSetup(web.db, PASSWORD);
  await seedOrders(web.db, [
    { platformOrderNo: '7400000001', status: 'done' },
    { platformOrderNo: '7400000002', status: 'printed', waybillNo: '75400002', interceptCaseNo: 'tb1-99001' },
  ]);
  await seedCaseRow(web.db, 'SH-SOON', ORDER, { stage: 'registered', platformRefund: platformRefund(hours(5)) });
  await seedCaseRow(web.db, 'SH-LATER', ORDER, { stage: 'registered', platformRefund: platformRefund(hours(72)) });
  await seedCaseRow(web.db, 'SH-FIN', ORDER);
  [kefu, cangku, caiwu, shouhou] = await Promise.all([web.login('kefu'), web.login('cangku'), web.login('caiwu'), web.login('shouhou')]);
});
afterAll(() => web.close());

describe('the case page', () => {
  it('counts down to the platform’s deadline and warns within 24 hours, from the saved state when the workflow does not answer', async () => {
    const soon = await (await shouhou.get('/after-sales/cases/SH-SOON')).text();
    expect(soon).toContain('data-testid="not-live"');
    expect(soon).toMatch(/平台处理时限 [\d-]+ [\d:]+，剩余 0 天 4 小时 \d+ 分 不足 24 小时，请尽快处理！/);
    expect(soon).toContain('banner banner-error');
    const later = await (await shouhou.get('/after-sales/cases/SH-LATER')).text();
    expect(later).toMatch(/剩余 2 天 23 小时 \d+ 分/);
    expect(later).not.toContain('不足 24 小时');
    // The queue paints the case whose deadline is near.
    const queue = await (await shouhou.get('/after-sales/cases?stage=registered')).text();
    expect(queue).toMatch(/<tr class="is-pink" data-case="SH-SOON">/);
    expect(queue).toMatch(/<tr class="" data-case="SH-LATER">/);
  });

  it('offers each person only their own decisions: after-sales agrees, customer service notes the parcel, the warehouse neither', async () => {
    const forAfterSales = await (await shouhou.get('/after-sales/cases/SH-SOON')).text();
    expect(forAfterSales).toContain('data-testid="agree-form"');
    expect(forAfterSales).toContain('data-testid="close-form"');
    const forService = await (await kefu.get('/after-sales/cases/SH-SOON')).text();
    expect(forService).not.toContain('data-testid="agree-form"');
    expect(forService).toContain('data-testid="return-parcel-form"');
    const forWarehouse = await (await cangku.get('/after-sales/cases/SH-SOON')).text();
    expect(forWarehouse).not.toContain('data-testid="agree-form"');
    expect(forWarehouse).not.toContain('data-testid="return-parcel-form"');
  });

  it('answers an unknown case with 404 and a sentence', async () => {
    const res = await shouhou.get('/after-sales/cases/SH-NOPE');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('售后单 SH-NOPE 不存在');
  });

  it('does not open QC for a case that is not waiting for it', async () => {
    const html = await (await cangku.get('/after-sales/qc/SH-FIN')).text();
    expect(html).toContain('data-testid="qc-not-ready"');
    expect(html).not.toContain('data-testid="qc-form"');
    const scanned = await cangku.post('/after-sales/qc', { code: 'SH-FIN' });
    expect(scanned.status).toBe(404);
    expect(await scanned.text()).toContain('没有待质检的售后单与 SH-FIN 相符');
  });
});

describe('an order held for a refund', () => {
  it('shows the warehouse a "parcel pulled" button on the printed order, and nobody else', async () => {
    const forWarehouse = await (await cangku.get(`/orders/${encodeURIComponent(HELD)}`)).text();
    expect(forWarehouse).toContain('此订单因售后单 tb1-99001 被拦截：包裹不得发出');
    expect(forWarehouse).toContain('data-testid="confirm-pulled"');
    const forService = await (await kefu.get(`/orders/${encodeURIComponent(HELD)}`)).text();
    expect(forService).toContain('被拦截');
    expect(forService).not.toContain('data-testid="confirm-pulled"');
    const refused = await kefu.post(`/after-sales/orders/${encodeURIComponent(HELD)}/confirm-pulled`, { actionId: actionId(), expectedVersion: '1' });
    expect(refused.status).toBe(403);
  });

  it('refuses to confirm a pull on an order nothing holds', async () => {
    const res = await cangku.post(`/after-sales/orders/${encodeURIComponent(ORDER)}/confirm-pulled`, { actionId: actionId(), expectedVersion: '1' });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('此订单没有被售后单拦截');
  });
});

describe('退款确认', () => {
  it('lists the approved refund with its QC result and asks for a reason before rejecting', async () => {
    const page = await (await caiwu.get('/finance/refunds')).text();
    expect(page).toMatch(/data-case="SH-FIN"[\s\S]*次品 1；杯盖裂[\s\S]*¥53\.00[\s\S]*线下转账/);
    const res = await caiwu.post('/finance/refunds/confirm', { actionId: actionId(), pick: 'SH-FIN@7', decision: 'reject' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('驳回时请填写原因');
  });

  it('refuses an offline refund without account and reference on its own row', async () => {
    const res = await caiwu.post('/finance/refunds/confirm', { actionId: actionId(), pick: 'SH-FIN@7', decision: 'confirm', account: '招行' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('成功 0 单，失败 1 单');
    expect(html).toMatch(/data-case="SH-FIN"[\s\S]*线下转账需要填写账户和流水号/);
  });

  it('is not the warehouse’s page, and after-sales may look but not confirm', async () => {
    expect((await cangku.get('/finance/refunds')).status).toBe(403);
    const look = await (await shouhou.get('/finance/refunds')).text();
    expect(look).toContain('data-case="SH-FIN"');
    expect(look).not.toContain('data-testid="finance-confirm"');
    expect((await shouhou.post('/finance/refunds/confirm', { actionId: actionId(), pick: 'SH-FIN@7' })).status).toBe(403);
  });
});

describe('现金银行', () => {
  it('filters the entries by account and sums them by day, account and kind', async () => {
    const em = web.db.em();
    for (const [i, account] of ['招行', '招行', '支付宝'].entries()) {
      em.create(MoneyEntry, { entryKey: `page-${i}`, kind: 'refund', direction: -1, amountFen: 1000 * (i + 1), channel: 'offline', account, reference: `R${i}`, shopCode: 'zhiyuan', caseNo: 'SH-FIN', confirmedBy: 'caiwu', at: new Date('2026-11-25T02:00:00Z') });
    }
    await em.flush();
    const html = await (await caiwu.get(`/finance/entries?account=${encodeURIComponent('招行')}`)).text();
    expect(html).toContain('第 1–2 条，共 2 条');
    expect(html).toMatch(/2026-11-25<\/td><td>招行<\/td><td>退款<\/td><td class="num">2<\/td><td class="num">¥0\.00<\/td><td class="num">¥30\.00/);
    const exports = [...html.matchAll(/href="(\/finance\/entries\/export[^"]*)"/g)].map((m) => m[1]!.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'));
    // The exports take the same filter (not the page size).
    expect(exports).toEqual([`/finance/entries/export?account=${encodeURIComponent('招行')}&format=csv`, `/finance/entries/export?account=${encodeURIComponent('招行')}&format=xlsx`]);
  });
});

describe('every after-sales and finance page', () => {
  const PAGES = ['/after-sales/register?q=7400000001', '/after-sales/cases', '/after-sales/cases?stage=all', '/after-sales/cases/SH-SOON', '/after-sales/cases/SH-FIN', '/after-sales/returns', '/after-sales/qc', '/after-sales/qc/SH-FIN', '/finance/refunds', '/finance/payments', '/finance/entries', `/orders/${encodeURIComponent(HELD)}`];

  it.each(['zh-CN', 'en'])('has a word for everything in %s (no catalogue key shows through)', async (locale) => {
    const admin = await web.login('admin');
    admin.cookies.set('gj_lang', locale);
    for (const path of PAGES) {
      const res = await admin.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      const keys = (await res.text()).match(/\b(rma|returns|qc|finance|money|nav)\.[a-zA-Z_.]+[a-zA-Z]\b/g) ?? [];
      expect({ path, keys }).toEqual({ path, keys: [] });
    }
  });

  it('lists a queue of hundreds of cases a page at a time, counted and sorted in the database', async () => {
    const em = web.db.em();
    const at = Date.now();
    await em.insertMany(
      AfterSaleCase,
      Array.from({ length: 600 }, (_, i) => ({
        caseNo: `SH-BULK-${String(i).padStart(4, '0')}`, workflowId: `return:SH-BULK-${i}`, type: 'return' as const, stage: 'awaiting_qc' as const, version: 3,
        shopCode: 'zhiyuan', orderId: ORDER, platformOrderNo: '7400000001', buyerNick: `买家${i}`, platformRefundId: '', reason: '质量问题', itemCount: 1,
        requestedFen: 0, refundFen: 0, returnWaybillNo: `YT-BULK-${i}`, deadline: null, alert: '', childOrderIds: '', snapshot: null, registerActionId: null,
        createdBy: 'kefu', createdAt: new Date(at - i * 60_000), updatedAt: new Date(at - i * 60_000), closedAt: null, doneAt: null,
      })),
    );
    const started = Date.now();
    const html = await (await shouhou.get('/after-sales/cases?stage=awaiting_qc&size=100&page=2')).text();
    const took = Date.now() - started;
    expect(html).toContain('data-testid="count-awaiting_qc">600<');
    const rows = [...html.matchAll(/data-testid="case-link">([^<]+)</g)].map((m) => m[1]);
    // Newest first: page 2 of 100 starts with the 101st.
    expect(rows).toHaveLength(100);
    expect(rows[0]).toBe('SH-BULK-0100');
    expect(took).toBeLessThan(2_000);
  });
});
