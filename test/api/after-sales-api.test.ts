/**
 * /api/v1 for after-sales and finance: registering a case as a script would (once per actionId, lines checked),
 * the queues and the case, the roles each call needs, the returns desk's 无头件, the finance desk's per-case results,
 * and the money entries with their totals and CSV/XLSX exports.
 */
import ExcelJS from 'exceljs';
import { shanghaiToday } from '../../api/format-time';
import { AfterSaleCase, MoneyEntry, UnmatchedParcel } from '../../db/entities';
import type { CaseSnapshot } from '../../domain/after-sale-snapshot';
import { seedAfterSalesSetup, seedCaseRow } from '../helpers/case-rows';
import { PASSWORD, seedOrders, startWebFixture, type WebFixture } from '../web/web-fixture';
import { apiClient, createApiToken, type ApiClient } from './api-client';

let web: WebFixture;
const api = {} as Record<'kefu' | 'cangku' | 'caiwu' | 'shouhou', ApiClient>;
let seq = 0;
const actionId = () => `a9100000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;
const ORDER = 'order:zhiyuan:7300000001';

/** A case waiting for finance, for a workflow that is not running here. */
const caseAwaitingFinance = (caseNo: string, over: Partial<CaseSnapshot> = {}) => seedCaseRow(web.db, caseNo, ORDER, over);

beforeAll(async () => {
  web = await startWebFixture();
  await seedAfterSalesSetup(web.db, PASSWORD);
  await seedOrders(web.db, [
    { platformOrderNo: '7300000001', status: 'done', lines: [{ oid: 'oid-a', skuCode: 'CUP-BLUE', title: '保温杯', spec: '蓝色', qty: 2, priceFen: 4800, amountFen: 9600 }] },
  ]);
  for (const u of ['kefu', 'cangku', 'caiwu', 'shouhou'] as const) api[u] = apiClient(web.app, await createApiToken(web.db, u));
});
afterAll(() => web.close());

describe('registering through the API', () => {
  const body = () => ({ actionId: actionId(), orderId: ORDER, type: 'return', reason: '质量问题', note: '杯盖裂', lines: [{ oid: 'oid-a', qty: 1 }], returnWaybillNo: 'SF7300001' });

  it('opens a case once per actionId and answers the same case when sent again', async () => {
    const sent = body();
    const first = await api.kefu.post<{ caseNo: string; repeated: boolean; workflowId: string }>('/api/v1/after-sales/cases', sent);
    expect(first.status).toBe(200);
    expect(first.body.caseNo).toMatch(new RegExp(`^SH${shanghaiToday().replace(/-/g, '')}-\\d{4}$`));
    expect(first.body).toMatchObject({ repeated: false, workflowId: `return:${first.body.caseNo}` });
    const again = await api.kefu.post<{ caseNo: string; repeated: boolean }>('/api/v1/after-sales/cases', sent);
    expect(again.body).toEqual({ ...first.body, repeated: true });
    expect(await web.db.em().count(AfterSaleCase, { orderId: ORDER })).toBe(1);

    const got = await api.shouhou.get<{ caseNo: string; stage: string; lines: unknown[]; returnWaybillNo: string; live: boolean }>(`/api/v1/after-sales/cases/${first.body.caseNo}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ caseNo: first.body.caseNo, stage: 'registered', returnWaybillNo: 'SF7300001', lines: [{ oid: 'oid-a', qty: 1, paidFen: 4800 }] });
  });

  it('refuses a second case for more units than are left, with the reason, and opens nothing', async () => {
    const res = await api.kefu.post<{ error: { code: string; message: string } }>('/api/v1/after-sales/cases', { ...body(), lines: [{ oid: 'oid-a', qty: 2 }] });
    expect(res.status).toBe(409);
    expect(res.body.error).toEqual({ code: 'refused', message: '保温杯：最多还能申请 1 件（订单 2 件，其他售后单已占用 1 件）' });
    expect(await web.db.em().count(AfterSaleCase, { orderId: ORDER })).toBe(1);
  });

  it('refuses the warehouse registering, and finance approving, before reading the body', async () => {
    expect((await api.cangku.post('/api/v1/after-sales/cases', body())).status).toBe(403);
    const [c] = await web.db.em().find(AfterSaleCase, { orderId: ORDER });
    const approve = await api.caiwu.post(`/api/v1/after-sales/cases/${c!.caseNo}/approve`, { actionId: actionId(), expectedVersion: 0, decision: 'approve' });
    expect(approve.status).toBe(403);
    expect(await web.db.em().count(AfterSaleCase, { orderId: ORDER })).toBe(1);
  });

  it('lists the queue with a count per stage', async () => {
    const res = await api.shouhou.get<{ total: number; counts: Record<string, number>; cases: Array<{ caseNo: string }> }>('/api/v1/after-sales/cases?stage=open');
    expect(res.status).toBe(200);
    expect(res.body.counts.registered).toBe(1);
    expect(res.body.cases).toHaveLength(res.body.total);
  });
});

describe('the returns desk through the API', () => {
  it('keeps a parcel that matches no case as one 无头件, however often it is scanned', async () => {
    const scan = () => api.cangku.post<{ result: string; repeated: boolean; message: string }>('/api/v1/after-sales/returns/scan', { actionId: actionId(), waybillNo: 'YT-NOBODY-1', company: '圆通' });
    const first = await scan();
    expect(first.body).toMatchObject({ result: 'unmatched', repeated: false, message: '无头件：运单号 YT-NOBODY-1 没有对应的售后单，已登记，请放到无头件区' });
    expect((await scan()).body).toMatchObject({ result: 'unmatched', repeated: true });
    expect(await web.db.em().find(UnmatchedParcel, { waybillNo: 'YT-NOBODY-1' })).toMatchObject([{ company: '圆通', warehouseCode: 'RET', receivedBy: 'cangku', matchedCaseNo: '' }]);
    const list = await api.cangku.get<{ parcels: Array<{ waybillNo: string }> }>('/api/v1/after-sales/unmatched-parcels');
    expect(list.body.parcels.map((p) => p.waybillNo)).toContain('YT-NOBODY-1');
    expect((await api.kefu.post('/api/v1/after-sales/returns/scan', { actionId: actionId(), waybillNo: 'YT-NOBODY-2' })).status).toBe(403);
  });
});

describe('the finance desk through the API', () => {
  beforeAll(async () => {
    await caseAwaitingFinance('SH-API-OFF-1');
    await caseAwaitingFinance('SH-API-EXC-1', { type: 'exchange', priceDifferenceFen: 1200, refundFen: 0 });
  });

  it('lists refunds with the amount (refund plus the postage the seller pays back), the QC result and the channel, and exchanges to collect apart', async () => {
    const refunds = await api.caiwu.get<{ items: Array<{ caseNo: string; amountFen: number; channel: string; lines: Array<{ qc: string }> }>; counts: { refund: number; payment: number } }>('/api/v1/finance/refunds');
    expect(refunds.status).toBe(200);
    expect(refunds.body.counts).toEqual({ refund: 1, payment: 1 });
    expect(refunds.body.items).toMatchObject([{ caseNo: 'SH-API-OFF-1', amountFen: 5300, channel: 'offline', lines: [{ qc: '次品 1；杯盖裂' }] }]);
    const payments = await api.caiwu.get<{ items: Array<{ caseNo: string; amountFen: number }> }>('/api/v1/finance/payments');
    expect(payments.body.items).toMatchObject([{ caseNo: 'SH-API-EXC-1', amountFen: 1200 }]);
  });

  it('refuses an offline refund without its account and reference for that case alone, and leaves it waiting', async () => {
    const res = await api.caiwu.post<{ ok: number; failed: number; results: Array<{ caseNo: string; ok: boolean; message: string; stage: string }> }>('/api/v1/finance/refunds/confirm', {
      actionId: actionId(),
      cases: [{ caseNo: 'SH-API-OFF-1', expectedVersion: 7 }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: 0, failed: 1, results: [{ caseNo: 'SH-API-OFF-1', ok: false, message: '线下转账需要填写账户和流水号', stage: 'awaiting_finance' }] });
    expect((await web.db.em().findOneOrFail(AfterSaleCase, { caseNo: 'SH-API-OFF-1' })).stage).toBe('awaiting_finance');
    expect((await api.shouhou.post('/api/v1/finance/refunds/confirm', { actionId: actionId(), cases: [{ caseNo: 'SH-API-OFF-1', expectedVersion: 7 }] })).status).toBe(403);
  });
});

describe('money entries', () => {
  beforeAll(async () => {
    const em = web.db.em();
    const entry = (key: string, over: Partial<MoneyEntry>) =>
      em.create(MoneyEntry, { entryKey: key, kind: 'refund', direction: -1, amountFen: 4500, channel: 'offline', account: '招行 6225', reference: 'TX001', shopCode: 'zhiyuan', caseNo: 'SH-X', orderId: ORDER, confirmedBy: 'caiwu', at: new Date('2026-11-20T03:00:00Z'), ...over });
    entry('e1', {});
    entry('e2', { kind: 'postage_refund', amountFen: 800, reference: 'TX002' });
    entry('e3', { kind: 'collect', direction: 1, amountFen: 1200, account: '支付宝', reference: '=cmd', at: new Date('2026-11-21T17:00:00Z') });
    await em.flush();
  });

  it('lists entries newest first with totals by Shanghai day, account and kind', async () => {
    const res = await api.caiwu.get<{ total: number; entries: Array<{ reference: string }>; summary: unknown[] }>('/api/v1/finance/money-entries?from=2026-11-20&to=2026-11-22');
    expect(res.status).toBe(200);
    expect(res.body.entries.map((e) => e.reference)).toEqual(['=cmd', 'TX002', 'TX001']);
    expect(res.body.summary).toEqual([
      // 17:00 UTC on the 21st is already the 22nd in Shanghai.
      { day: '2026-11-22', account: '支付宝', kind: 'collect', count: 1, inFen: 1200, outFen: 0 },
      { day: '2026-11-20', account: '招行 6225', kind: 'postage_refund', count: 1, inFen: 0, outFen: 800 },
      { day: '2026-11-20', account: '招行 6225', kind: 'refund', count: 1, inFen: 0, outFen: 4500 },
    ]);
    const byAccount = await api.caiwu.get<{ total: number }>(`/api/v1/finance/money-entries?account=${encodeURIComponent('支付宝')}`);
    expect(byAccount.body.total).toBe(1);
    // A day off the calendar would roll over into another month: it is refused instead.
    const offCalendar = await api.caiwu.get<{ error: { code: string } }>('/api/v1/finance/money-entries?from=2026-02-30');
    expect(offCalendar.status).toBe(400);
    expect(offCalendar.body.error.code).toBe('bad_request');
  });

  it('exports them as CSV a spreadsheet opens in Chinese, with money out negative and no formula let through', async () => {
    const res = await api.caiwu.raw('/api/v1/finance/money-entries/export?format=csv&from=2026-11-20');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="money-entries-2026-11-20_' + shanghaiToday() + '.csv"');
    // The BOM is what makes Excel read UTF-8; keep it to see it is there.
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('\uFEFF时间,类型,收支,金额（元）,方式,账户,流水号,店铺,售后单号,订单,确认人,备注');
    expect(lines.slice(1)).toEqual([
      `2026-11-20 11:00:00,退款,支出,-45.00,线下转账,招行 6225,TX001,zhiyuan,SH-X,${ORDER},caiwu,`,
      `2026-11-20 11:00:00,退运费,支出,-8.00,线下转账,招行 6225,TX002,zhiyuan,SH-X,${ORDER},caiwu,`,
      `2026-11-22 01:00:00,收款,收入,12.00,线下转账,支付宝,'=cmd,zhiyuan,SH-X,${ORDER},caiwu,`,
    ]);
  });

  it('exports them as an XLSX workbook with the same rows', async () => {
    const res = await api.caiwu.raw('/api/v1/finance/money-entries/export?format=xlsx&kind=refund');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('现金银行');
    expect(sheet.getRow(1).getCell(1).value).toBe('时间');
    expect(sheet.rowCount).toBe(2);
    // values is 1-based; the empty note is no cell at all.
    expect(sheet.getRow(2).values).toEqual([undefined, '2026-11-20 11:00:00', '退款', '支出', -45, '线下转账', '招行 6225', 'TX001', 'zhiyuan', 'SH-X', ORDER, 'caiwu']);
  });

  it('is finance’s and after-sales’ to read, nobody else’s', async () => {
    expect((await api.shouhou.get('/api/v1/finance/money-entries')).status).toBe(200);
    expect((await api.cangku.get('/api/v1/finance/money-entries')).status).toBe(403);
    expect((await api.kefu.raw('/api/v1/finance/money-entries/export?format=csv')).status).toBe(403);
  });
});
