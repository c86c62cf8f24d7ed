/**
 * Buyers' personal data (issue 9 §2): masked for everyone without order.viewPii in lists, the order page, the JSON API
 * and exports; clear for those who may, with every clear view, export and PDF download in the access log (who, what,
 * from where, through page or token), which admins search and export; the API's page cap and per-token rate limit;
 * and the retention settings. On the web fixture's real database, through app.request() as a browser or a script would.
 */
import type { Hono } from 'hono';
import { createApp } from '../../api/app';
import type { AppEnv } from '../../api/env';
import { AfterSaleCase, PiiAccessLog, PrintBatch, RetentionSetting } from '../../db/entities';
import { apiClient, createApiToken, type ApiClient } from '../api/api-client';
import { loginAgent, PASSWORD, seedOrders, startWebFixture, type Agent, type WebFixture } from './web-fixture';

const MOBILE = '13800138000';
const MASKED_MOBILE = '138****8000';
const ADDRESS = '203.0.113.7';
const ID = 'order:zhiyuan:7700000001';

let web: WebFixture;
let app: Hono<AppEnv>;
let kefu: Agent;
let cangku: Agent;
let shendan: Agent;
let admin: Agent;
let kefuApi: ApiClient;
let shendanApi: ApiClient;

/** Every call comes through one proxy the app trusts, which names the client. */
const request = async (path: string, init: RequestInit = {}) => app.request(path, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), 'x-forwarded-for': ADDRESS } });
const login = (username: string) => loginAgent(request, username, PASSWORD);
const logRows = async () => web.db.em().find(PiiAccessLog, {}, { orderBy: { id: 'asc' } });

beforeAll(async () => {
  web = await startWebFixture();
  app = createApp({ db: web.db, temporal: web.temporal, config: { taskQueue: 'guanjia-web-test', baseUrl: 'http://127.0.0.1:3000', secureCookies: false, sessionHours: 12, temporalUiUrl: 'http://127.0.0.1:8233', trustedProxyHops: 1 } });
  await seedOrders(web.db, [
    { platformOrderNo: '7700000001', buyerNick: 'tb_wangxiaoming', receiverName: '王小明', receiverMobile: MOBILE, address: '文三路100号5幢302室', status: 'review' },
    ...Array.from({ length: 4 }, (_, i) => ({ platformOrderNo: `770000001${i}`, status: 'review' as const })),
  ]);
  kefu = await login('kefu');
  cangku = await login('cangku');
  shendan = await login('shendan');
  admin = await login('admin');
  kefuApi = apiClient(app, await createApiToken(web.db, 'kefu'));
  shendanApi = apiClient(app, await createApiToken(web.db, 'shendan'));
});
afterAll(() => web.close());
beforeEach(async () => {
  await web.db.em().nativeDelete(PiiAccessLog, {});
});

describe('without order.viewPii', () => {
  it('shows customer service the phone as 138****8000, the name as 王*明 and the street masked, in the list, on the order page and in the API', async () => {
    const list = await (await kefu.get('/orders?q=7700000001')).text();
    expect(list).toContain(MASKED_MOBILE);
    expect(list).toContain('王*明');
    expect(list).not.toContain(MOBILE);
    expect(list).not.toContain('data-testid="pii-clear"');

    const page = await (await kefu.get(`/orders/${encodeURIComponent(ID)}`)).text();
    expect(page).toContain(MASKED_MOBILE);
    expect(page).toContain('文三路****');
    expect(page).toContain('浙江省 杭州市 西湖区');
    expect(page).not.toContain(MOBILE);
    expect(page).not.toContain('5幢302室');
    expect(page).not.toContain('tb_wangxiaoming');

    const one = await kefuApi.get<{ receiver: { name: string; mobile: string; detail: string }; buyerNick: string }>(`/api/v1/orders/${encodeURIComponent(ID)}`);
    expect(one.body).toMatchObject({ buyerNick: 't**g', receiver: { name: '王*明', mobile: MASKED_MOBILE, detail: '文三路****' } });
    const found = await kefuApi.get<{ orders: Array<{ receiver: { mobile: string } }> }>(`/api/v1/orders?q=${MOBILE}`);
    expect(found.body.orders.map((o) => o.receiver.mobile)).toEqual([MASKED_MOBILE]);
    // Nothing clear was shown, so nothing was logged.
    expect(await logRows()).toEqual([]);
  });

  it('shows the warehouse the masked phone in the order list too', async () => {
    const html = await (await cangku.get('/orders?q=7700000001')).text();
    expect(html).toContain(MASKED_MOBILE);
    expect(html).not.toContain(MOBILE);
  });

  it('shows the order found at 退换登记 masked to customer service, and the scan desk the receiver masked for everyone', async () => {
    const register = await (await kefu.get('/after-sales/register?q=7700000001')).text();
    expect(register).toContain('value="order:zhiyuan:7700000001"');
    expect(register).toContain(MASKED_MOBILE);
    expect(register).toContain('王*明');
    expect(register).not.toContain(MOBILE);

    await seedOrders(web.db, [{ platformOrderNo: '7800000099', status: 'printed', waybillNo: 'ZTPRIV0099', receiverName: '李四光', printCount: 1, printedAt: new Date() }]);
    const scanned = await cangku.post('/scan', { actionId: '11111111-2222-3333-4444-555555555599', code: 'ZTPRIV0099' });
    const panel = await scanned.text();
    expect(panel).toContain('7800000099');
    expect(panel).toContain('李*光');
    expect(panel).not.toContain('李四光');
    expect(await logRows()).toEqual([]);
  });

  it('lists after-sales cases with the buyer nick masked, on the page and in the API', async () => {
    await web.db.em().insert(AfterSaleCase, {
      caseNo: 'SH-PRIVACY-1', workflowId: 'return:SH-PRIVACY-1', type: 'return', stage: 'awaiting_qc', version: 1, shopCode: 'zhiyuan', orderId: ID,
      platformOrderNo: '7700000001', buyerNick: 'tb_wangxiaoming', platformRefundId: '', reason: '质量问题', itemCount: 1, requestedFen: 0, refundFen: 0,
      returnWaybillNo: 'YT-PRIVACY-1', deadline: null, alert: '', childOrderIds: '', snapshot: null, registerActionId: null, createdBy: 'kefu',
      createdAt: new Date(), updatedAt: new Date(), closedAt: null, doneAt: null,
    });
    const html = await (await kefu.get('/after-sales/cases?stage=awaiting_qc')).text();
    expect(html).toContain('SH-PRIVACY-1');
    expect(html).toContain('t**g');
    expect(html).not.toContain('tb_wangxiaoming');
    const api = await kefuApi.get<{ cases: Array<{ caseNo: string; buyerNick: string }> }>('/api/v1/after-sales/cases?stage=awaiting_qc');
    expect(api.body.cases.find((x) => x.caseNo === 'SH-PRIVACY-1')?.buyerNick).toBe('t**g');
  });

  it('refuses clear values to someone who may not see them, and exports only to those with order.export', async () => {
    const api = await kefuApi.get<{ error: { code: string; message: string } }>('/api/v1/orders?pii=clear');
    expect(api.status).toBe(403);
    expect(api.body.error.message).toContain('审单、售后或管理员');
    const page = await kefu.get('/orders?pii=clear');
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain('没有权限查看买家完整信息');
    expect(html).not.toContain(MOBILE);
    expect((await kefu.get('/orders/export?format=csv')).status).toBe(403);
    expect((await kefuApi.get('/api/v1/orders/export')).status).toBe(403);
    expect(await logRows()).toEqual([]);
  });
});

describe('with order.viewPii', () => {
  it('shows a reviewer the order page in clear and logs who, which order, from where and through the page', async () => {
    const page = await (await shendan.get(`/orders/${encodeURIComponent(ID)}`)).text();
    expect(page).toContain(MOBILE);
    expect(page).toContain('文三路100号5幢302室');
    expect(await logRows()).toEqual([
      expect.objectContaining({ username: 'shendan', action: 'view', via: 'page', orderIds: ID, clientAddress: ADDRESS, rowCount: 1 }),
    ]);
  });

  it('keeps lists masked until 显示完整信息, then writes one row naming every order shown', async () => {
    const masked = await (await shendan.get('/orders?q=77000000')).text();
    expect(masked).toContain(MASKED_MOBILE);
    expect(masked).toContain('data-testid="pii-clear"');
    expect(await logRows()).toEqual([]);

    const clear = await (await shendan.get('/orders?q=77000000&pii=clear')).text();
    expect(clear).toContain(MOBILE);
    expect(clear).toContain('data-testid="pii-mask"');
    // Paging and sorting keep the list clear.
    expect(clear).toMatch(/href="[^"]*pii(=|&#x3D;)clear[^"]*"/);
    const rows = await logRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ username: 'shendan', action: 'view', via: 'page', rowCount: 5, clientAddress: ADDRESS });
    expect(rows[0]!.orderIds.split('\n').sort()).toEqual(['7700000001', '7700000010', '7700000011', '7700000012', '7700000013'].map((n) => `order:zhiyuan:${n}`));
    expect(rows[0]!.description).toContain('/orders?q=77000000&pii=clear');
  });

  it('answers the API in clear for one order and, on request, for a list, each call logged as through the API', async () => {
    const one = await shendanApi.get<{ receiver: { mobile: string } }>(`/api/v1/orders/${encodeURIComponent(ID)}`);
    expect(one.body.receiver.mobile).toBe(MOBILE);
    const list = await shendanApi.get<{ orders: Array<{ receiver: { mobile: string } }> }>(`/api/v1/orders?q=${MOBILE}&pii=clear`);
    expect(list.body.orders.map((o) => o.receiver.mobile)).toEqual([MOBILE]);
    const masked = await shendanApi.get<{ orders: Array<{ receiver: { mobile: string } }> }>(`/api/v1/orders?q=${MOBILE}`);
    expect(masked.body.orders.map((o) => o.receiver.mobile)).toEqual([MASKED_MOBILE]);
    const rows = await logRows();
    expect(rows.map((r) => ({ via: r.via, action: r.action, orderIds: r.orderIds, username: r.username }))).toEqual([
      { via: 'api', action: 'view', orderIds: ID, username: 'shendan' },
      { via: 'api', action: 'view', orderIds: ID, username: 'shendan' },
    ]);
  });

  it('exports masked by default and clear on request, logging each export with its filter and row count', async () => {
    const masked = await shendan.get('/orders/export?q=77000000&format=csv');
    expect(masked.status).toBe(200);
    expect(masked.headers.get('content-type')).toContain('text/csv');
    const maskedCsv = await masked.text();
    expect(maskedCsv).toContain(MASKED_MOBILE);
    expect(maskedCsv).not.toContain(MOBILE);
    expect(maskedCsv.split('\r\n').filter(Boolean)).toHaveLength(6);

    const clear = await (await shendanApi.raw('/api/v1/orders/export?q=7700000001&pii=clear&format=csv')).text();
    expect(clear).toContain(MOBILE);
    expect(clear).toContain('文三路100号5幢302室');

    const xlsx = await shendan.get('/orders/export?q=77000000&format=xlsx');
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    expect((await xlsx.arrayBuffer()).byteLength).toBeGreaterThan(1000);

    const rows = await logRows();
    expect(rows.map((r) => ({ action: r.action, via: r.via, rowCount: r.rowCount }))).toEqual([
      { action: 'export', via: 'page', rowCount: 5 },
      { action: 'export', via: 'api', rowCount: 1 },
      { action: 'export', via: 'page', rowCount: 5 },
    ]);
    expect(rows[0]!.description).toContain('脱敏');
    expect(rows[0]!.description).toContain('q=77000000');
    expect(rows[1]!.description).toContain('完整信息');
  });

  it('logs every download of a print batch PDF, whoever downloads it', async () => {
    await web.db.em().insert(PrintBatch, { id: 'PPRIVACY1', kinds: 'waybill', orderIds: [ID], createdBy: 'cangku', createdAt: new Date(), pdf: Buffer.from('%PDF-1.4') });
    const res = await cangku.get('/print/batches/PPRIVACY1.pdf');
    expect(res.status).toBe(200);
    expect(await logRows()).toEqual([expect.objectContaining({ username: 'cangku', action: 'print', via: 'page', orderIds: ID, clientAddress: ADDRESS })]);
  });
});

describe('the API’s page cap and rate limit', () => {
  it('refuses more than 200 orders a page with a message saying how to page, and gives what is asked within it', async () => {
    const over = await kefuApi.get<{ error: { code: string; message: string } }>('/api/v1/orders?limit=500');
    expect(over.status).toBe(400);
    expect(over.body.error).toEqual({ code: 'bad_request', message: '每页最多 200 条：请把 limit 改为 1 到 200 之间，再用 page 翻页' });
    const two = await kefuApi.get<{ orders: unknown[]; size: number }>('/api/v1/orders?q=77000000&limit=2');
    expect(two.status).toBe(200);
    expect(two.body.orders).toHaveLength(2);
    expect(two.body.size).toBe(2);
  });

  it('answers 429 with Retry-After once a token passes its calls per minute, counted in the database', async () => {
    const limited = createApp({ db: web.db, temporal: web.temporal, config: { taskQueue: 'guanjia-web-test', baseUrl: 'http://127.0.0.1:3000', secureCookies: false, sessionHours: 12, temporalUiUrl: 'http://127.0.0.1:8233', apiRatePerMinute: 3 } });
    const token = await createApiToken(web.db, 'cangku');
    const call = () => limited.request('/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
    for (let i = 0; i < 3; i++) expect((await call()).status).toBe(200);
    const refused = await call();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('too_many_requests');
    expect(body.error.message).toContain('每 60 秒最多 3 次');
    // Another token is counted apart, and a second web process (another app on the same database) counts the same calls.
    const other = await createApiToken(web.db, 'kefu');
    expect((await limited.request('/api/v1/me', { headers: { authorization: `Bearer ${other}` } })).status).toBe(200);
    const secondProcess = createApp({ db: web.db, temporal: web.temporal, config: { taskQueue: 'guanjia-web-test', baseUrl: 'http://127.0.0.1:3000', secureCookies: false, sessionHours: 12, temporalUiUrl: 'http://127.0.0.1:8233', apiRatePerMinute: 3 } });
    expect((await secondProcess.request('/api/v1/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(429);
  });
});

describe('the access log for admins', () => {
  it('searches by user, order and day, exports as CSV, and is closed to everyone else', async () => {
    await shendan.get(`/orders/${encodeURIComponent(ID)}`);
    await admin.get(`/orders/${encodeURIComponent('order:zhiyuan:7700000010')}`);
    const byUser = await (await admin.get('/admin/access-log?user=shendan')).text();
    expect(byUser).toContain('data-testid="access-log-table"');
    expect(byUser.match(/data-log-id=/g)).toHaveLength(1);
    expect(byUser).toContain(ADDRESS);
    const byOrder = await (await admin.get('/admin/access-log?order=7700000010')).text();
    expect(byOrder.match(/data-log-id=/g)).toHaveLength(1);
    expect(byOrder).toContain('admin');
    const future = await (await admin.get('/admin/access-log?from=2099-01-01')).text();
    expect(future).toContain('没有符合条件的记录');

    const csv = await (await admin.get('/admin/access-log/export?user=shendan')).text();
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(2);
    expect(csv).toContain(ID);
    expect(csv).toContain('查看');

    const adminApi = apiClient(app, await createApiToken(web.db, 'admin'));
    const api = await adminApi.get<{ total: number; entries: Array<{ username: string; orderIds: string[]; clientAddress: string }> }>('/api/v1/admin/access-log?order=7700000001');
    expect(api.body.entries.map((e) => ({ username: e.username, orderIds: e.orderIds }))).toEqual([{ username: 'shendan', orderIds: [ID] }]);

    expect((await shendan.get('/admin/access-log')).status).toBe(403);
    expect((await shendanApi.get('/api/v1/admin/access-log')).status).toBe(403);
  });
});

describe('retention settings', () => {
  it('refuses a period outside 1–3650 days with a message naming it and changes nothing, and saves good ones with an audit row', async () => {
    const bad = await admin.post('/admin/retention', { printPdfDays: '0', platformOrderDays: '90', accessLogDays: '365' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('打印 PDF 保留天数必须是 1 到 3650 之间的整数天数');
    expect(await web.db.em().count(RetentionSetting, {})).toBe(0);

    const ok = await admin.post('/admin/retention', { printPdfDays: '14', platformOrderDays: '180', accessLogDays: '730' });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('已保存数据保留期限');
    const adminApi = apiClient(app, await createApiToken(web.db, 'admin'));
    const read = await adminApi.get<{ printPdfDays: number; platformOrderDays: number; accessLogDays: number; updatedBy: string }>('/api/v1/admin/retention');
    expect(read.body).toMatchObject({ printPdfDays: 14, platformOrderDays: 180, accessLogDays: 730, updatedBy: 'admin' });

    const put = await adminApi.raw('/api/v1/admin/retention', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ printPdfDays: 30, platformOrderDays: 90, accessLogDays: 99999 }) });
    expect(put.status).toBe(400);
    const putOk = await adminApi.raw('/api/v1/admin/retention', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ printPdfDays: 30, platformOrderDays: 90, accessLogDays: 365 }) });
    expect(putOk.status).toBe(200);
    expect((await shendan.get('/admin/retention')).status).toBe(403);
  });
});

