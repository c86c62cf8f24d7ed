/**
 * CSRF refusals for every state-changing form route, enumerated from the app's own routes: a missing, made-up or
 * other session's token is refused with 403 and a clear message, and what the form would have changed stays as it
 * was; the same form with the right token then does change it, so the refusal was not vacuous. Signing in is held
 * to a token bound to the login page's cookie (login CSRF).
 */
import iconv from 'iconv-lite';
import { createApp } from '../../api/app';
import { routeAccess, type RouteAccess } from '../../api/auth/route-access';
import type { AppDeps } from '../../api/env';
import { AfterSaleCase, ApiToken, Courier, ImportBatch, LoginAttempt, MoneyEntry, Order, OrderLine, PrintBatch, RetentionSetting, Session, Shop, StockLedgerEntry, StockTransfer, UnmatchedParcel, User, Warehouse, WaybillPoolNumber } from '../../db/entities';
import { DEMO_CATALOGUE } from '../../db/seeders/demo-catalogue';
import { DEMO_PASSWORD } from '../../db/seeders/demo-data';
import { orderWorkflowId } from '../../domain/order-draft';
import { itemReport, itemRow, orderReport, orderRow } from '../../integrations/csv/fixtures/taobao-report';
import { orderStateQuery, shipUpdate } from '../../workflows/messages';
import { createApiToken } from '../api/api-client';
import { orderSteps } from '../helpers/order-steps';
import { actors, eventually, startStack, type Stack } from '../helpers/stack';
import { createAgent, loginAgent, loginFormToken, type Agent } from './web-fixture';
import { webDeps } from '../helpers/web-deps';

const deps = {} as AppDeps;
// Built before the stack exists so that its routes can name the tests; the dependencies are filled in below.
const app = createApp(deps);
const request = async (path: string, init?: RequestInit) => app.request(path, init);
/**
 * The Temporal UI's codec endpoint takes JSON from the UI's origin with the session cookie: the UI cannot send a form
 * token, so an origin check and a JSON-only body guard it instead (test/web/codec-endpoint.test.ts).
 */
const CODEC_ROUTES = ['POST /codec/decode', 'POST /codec/encode'];
const FORM_ROUTES = routeAccess(app).filter((r) => r.method !== 'GET' && !r.path.startsWith('/api/v1/') && !CODEC_ROUTES.includes(r.key));
const CSRF_REFUSED = '安全校验未通过';

let stack: Stack;
let steps: ReturnType<typeof orderSteps>;
let admin: Agent | undefined;
let other: Agent;
let actionSeq = 0;
const actionId = () => `c5f0a1b2-0000-4000-8000-${String(++actionSeq).padStart(12, '0')}`;

/** The orders the forms act on, each in the state its form needs. */
const orders = { approve: '', approveOne: '', reserve: '', print: '', scan: '', retry: '', markSynced: '' };
let spareUserId = 0;
let adminTokenId = 0;

async function signedInAdmin(): Promise<Agent> {
  // The logout form really signs out: sign in again for the next form.
  if (!admin?.cookies.has('gj_sid')) admin = await loginAgent(request, 'admin', DEMO_PASSWORD);
  return admin;
}

const live = (id: string) => stack.client.workflow.getHandle(id).query(orderStateQuery);
const pick = async (id: string) => `${id}@${(await live(id)).version}`;

beforeAll(async () => {
  stack = await startStack({ realPasswords: true });
  steps = orderSteps(stack);
  Object.assign(deps, webDeps(stack));
  other = await loginAgent(request, 'shendan', DEMO_PASSWORD);
  const em = stack.db.em();
  const spare = em.create(User, { username: 'linshi', displayName: '临时工', passwordHash: 'x', roles: ['customer_service'], createdAt: new Date() });
  await em.flush();
  spareUserId = spare.id;
  await createApiToken(stack.db, 'admin');
  adminTokenId = (await stack.db.em().findOneOrFail(ApiToken, { name: 'test admin' })).id;

  const trades = stack.sandbox.generateTrades(16, { from: new Date(Date.now() - 5 * 60_000), to: new Date(Date.now() - 61_000) });
  await steps.pull();
  const ids = trades.filter((t) => t.status === 'WAIT_SELLER_SEND_GOODS' && !/新疆|西藏|内蒙古/.test(t.receiver_state)).map((t) => orderWorkflowId(stack.shopCode, t.tid));
  const settled = await Promise.all(
    ids.map((id) => eventually(async () => stack.db.em().findOne(Order, { id, status: { $in: ['review', 'waybill_pending', 'ready_to_print'] } }), `${id} reviewed`)),
  );
  const inReview = settled.filter((o) => o.status === 'review').map((o) => o.id);
  const others = settled.filter((o) => o.status !== 'review').map((o) => o.id);
  expect(inReview.length + others.length).toBeGreaterThanOrEqual(7);
  expect(inReview.length).toBeGreaterThanOrEqual(3);
  [orders.approve, orders.approveOne, orders.reserve] = inReview.splice(0, 3) as [string, string, string];
  // An empty EMS number pool leaves an approved order waiting for its tracking number (待预约单号).
  await stack.db.em().nativeUpdate(WaybillPoolNumber, { courierCode: 'EMS', status: 'free' }, { status: 'reserved', orderId: 'csrf-test' });
  expect((await steps.approve(orders.reserve, { courierCode: 'EMS' })).ok).toBe(true);
  expect((await live(orders.reserve)).status).toBe('waybill_pending');
  await stack.db.em().nativeUpdate(WaybillPoolNumber, { courierCode: 'EMS', orderId: 'csrf-test' }, { status: 'free', orderId: null });

  const rest = [...others, ...inReview];
  for (const id of rest) if ((await live(id)).status === 'review') await steps.approve(id);
  const ready = [];
  for (const id of rest) if ((await live(id)).status === 'ready_to_print') ready.push(id);
  expect(ready.length).toBeGreaterThanOrEqual(4);
  [orders.print, orders.scan, orders.retry, orders.markSynced] = ready as [string, string, string, string];

  for (const id of [orders.scan, orders.retry, orders.markSynced]) await steps.markPrinted(id);
  // The platform refuses every shipment sync, so the shipped orders stay 已发货 for "retry now" and "mark synced".
  stack.sandbox.setFaults({ errorRate: 1, methods: ['taobao.logistics.offline.send'] });
  for (const id of [orders.retry, orders.markSynced]) {
    const shipped = await stack.client.workflow.getHandle(id).executeUpdate(shipUpdate, { args: [{ actor: actors.warehouse, scannedBarcodes: await steps.barcodes(id) }] });
    expect(shipped.status).toBe('shipped');
  }
});
afterAll(async () => {
  stack?.sandbox.setFaults({ errorRate: 0, methods: null });
  await stack?.close();
});

interface Sample {
  path: string;
  form(): Record<string, string | string[]> | FormData;
  /** What the form would change, read from where it would change it. */
  probe(): Promise<unknown>;
}

const sku = DEMO_CATALOGUE[0]!;

function importFiles(): FormData {
  const no = '3900000000000007001';
  const form = new FormData();
  form.append('actionId', actionId());
  form.append('shopCode', stack.shopCode);
  const ordersCsv = orderReport([orderRow({ 订单编号: no, 买家会员名: 'tb_csrf', 店铺名称: stack.shopCode })]);
  const itemsCsv = itemReport([itemRow({ 订单编号: no, 标题: sku.productName, 价格: '59.00', 商家编码: sku.code })]);
  form.append('orders', new File([new Uint8Array(iconv.encode(ordersCsv, 'gbk'))], 'ExportOrderList-csrf.csv', { type: 'text/csv' }));
  form.append('items', new File([new Uint8Array(iconv.encode(itemsCsv, 'gbk'))], 'ExportOrderDetailList-csrf.csv', { type: 'text/csv' }));
  return form;
}

const orderProbe = (id: string) => async () => {
  const s = await live(id);
  return { status: s.status, version: s.version, waybillNo: s.waybillNo, printCount: s.printCount };
};

/** Picks as the list showed them (id@version), read when the test starts. */
const pickNow = { approve: '', reserve: '', print: '', retry: '', markSynced: '' };

/** A form for each route that really changes something when its token is right. */
const SAMPLES: Record<string, () => Promise<Sample>> = {
  'POST /logout': async () => {
    const userId = (await stack.db.em().findOneOrFail(User, { username: 'admin' })).id;
    return { path: '/logout', form: () => ({}), probe: () => stack.db.em().count(Session, { userId }) };
  },
  'POST /review/approve': async () => ({
    path: '/review/approve',
    form: () => ({ actionId: actionId(), pick: pickNow.approve, filter: '' }),
    probe: orderProbe(orders.approve),
  }),
  'POST /review/orders/:id/approve': async () => {
    const expectedVersion = String((await live(orders.approveOne)).version);
    return { path: `/review/orders/${encodeURIComponent(orders.approveOne)}/approve`, form: () => ({ actionId: actionId(), expectedVersion }), probe: orderProbe(orders.approveOne) };
  },
  'POST /print/reserve': async () => ({ path: '/print/reserve', form: () => ({ actionId: actionId(), pick: pickNow.reserve, filter: '' }), probe: orderProbe(orders.reserve) }),
  'POST /print/run': async () => ({
    path: '/print/run',
    form: () => ({ actionId: actionId(), pick: pickNow.print, kinds: 'waybill', filter: '' }),
    probe: async () => ({ order: await orderProbe(orders.print)(), batches: await stack.db.em().count(PrintBatch, {}) }),
  }),
  'POST /scan': async () => {
    const scans = JSON.stringify(await steps.barcodes(orders.scan));
    return { path: '/scan', form: () => ({ actionId: actionId(), orderId: orders.scan, scans, ship: '1' }), probe: orderProbe(orders.scan) };
  },
  'POST /sync/retry': async () => ({
    path: '/sync/retry',
    form: () => ({ actionId: actionId(), only: pickNow.retry, filter: '' }),
    // A retry is a Signal: the workflow's history says whether one arrived, at once and whatever it then did.
    probe: async () => {
      const { events } = await stack.client.workflow.getHandle(orders.retry).fetchHistory();
      return (events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'retrySync').length;
    },
  }),
  'POST /sync/mark-synced': async () => ({
    path: '/sync/mark-synced',
    form: () => ({ actionId: actionId(), only: pickNow.markSynced, reason: '已在平台后台手工发货', filter: '' }),
    probe: orderProbe(orders.markSynced),
  }),
  'POST /import': async () => ({
    path: '/import',
    form: importFiles,
    probe: async () => ({ imports: await stack.db.em().count(ImportBatch, {}), orders: await stack.db.em().count(Order, {}) }),
  }),
  'POST /admin/users': async () => ({
    path: '/admin/users',
    form: () => ({ username: 'csrf-new', displayName: '新同事', password: 'long-enough-1', roles: 'reviewer' }),
    probe: () => stack.db.em().count(User, { username: 'csrf-new' }),
  }),
  'POST /admin/users/:id/roles': async () => ({
    path: `/admin/users/${spareUserId}/roles`,
    form: () => ({ roles: ['customer_service', 'finance'] }),
    probe: async () => (await stack.db.em().findOneOrFail(User, { id: spareUserId })).roles,
  }),
  'POST /admin/users/:id/password': async () => ({
    path: `/admin/users/${spareUserId}/password`,
    form: () => ({ password: 'another-long-1' }),
    probe: async () => (await stack.db.em().findOneOrFail(User, { id: spareUserId })).passwordHash,
  }),
  'POST /admin/users/:id/active': async () => ({
    path: `/admin/users/${spareUserId}/active`,
    form: () => ({ active: '0' }),
    probe: async () => (await stack.db.em().findOneOrFail(User, { id: spareUserId })).active,
  }),
  'POST /admin/retention': async () => ({
    path: '/admin/retention',
    form: () => ({ printPdfDays: '15', platformOrderDays: '60', accessLogDays: '400' }),
    probe: async () => (await stack.db.em().findOne(RetentionSetting, { id: 1 }))?.printPdfDays ?? null,
  }),
  'POST /account/tokens': async () => ({
    path: '/account/tokens',
    form: () => ({ name: 'CSRF 测试' }),
    probe: () => stack.db.em().count(ApiToken, { name: 'CSRF 测试' }),
  }),
  'POST /after-sales/register': async () => {
    const [line] = await stack.db.em().find(OrderLine, { orderId: orders.retry }, { orderBy: { lineNo: 'asc' }, limit: 1 });
    return {
      path: '/after-sales/register',
      form: () => ({ actionId: actionId(), type: 'return', reason: '质量问题', orderId: orders.retry, oid_0: line!.oid, qty_0: '1' }),
      probe: () => stack.db.em().count(AfterSaleCase, { orderId: orders.retry }),
    };
  },
  'POST /after-sales/returns': async () => ({
    path: '/after-sales/returns',
    form: () => ({ actionId: actionId(), code: 'CSRF-RETURN-0001', warehouseCode: 'RET' }),
    probe: () => stack.db.em().count(UnmatchedParcel, { waybillNo: 'CSRF-RETURN-0001' }),
  }),
  'POST /stock/transfers': async () => ({
    path: '/stock/transfers',
    form: () => ({ actionId: actionId(), from: 'MAIN', to: 'RET', quality: 'good', costBasis: 'same_price', lines: `${sku.code} 1`, memo: 'CSRF' }),
    probe: () => stack.db.em().count(StockTransfer, {}),
  }),
  'POST /settings/shops': async () => ({
    path: '/settings/shops',
    form: () => ({ code: 'csrf-shop', name: 'CSRF 测试店', platform: 'csv', signMethod: 'md5', pullIntervalSeconds: '60', shipByHours: '48', returnRemindDays: '7', returnCloseDays: '15' }),
    probe: () => stack.db.em().count(Shop, { code: 'csrf-shop' }),
  }),
  'POST /settings/warehouses': async () => ({
    path: '/settings/warehouses',
    form: () => ({ code: 'CSRFW', name: 'CSRF 仓', kind: 'normal' }),
    probe: () => stack.db.em().count(Warehouse, { code: 'CSRFW' }),
  }),
  'POST /settings/warehouses/:code': async () => ({
    path: '/settings/warehouses/RET',
    form: () => ({ name: '退货仓（CSRF）', kind: 'returns' }),
    probe: async () => (await stack.db.em().findOneOrFail(Warehouse, { code: 'RET' })).name,
  }),
  'POST /settings/warehouses/:code/active': async () => {
    const em = stack.db.em();
    if (!(await em.count(Warehouse, { code: 'CSRFA' }))) await em.insert(Warehouse, { code: 'CSRFA', name: 'CSRF 空仓', kind: 'normal', allowNegative: false, isDefault: false, active: true });
    return { path: '/settings/warehouses/CSRFA/active', form: () => ({ active: '0' }), probe: async () => (await stack.db.em().findOneOrFail(Warehouse, { code: 'CSRFA' })).active };
  },
  'POST /settings/couriers': async () => ({
    path: '/settings/couriers',
    form: () => ({ code: 'CSRFC', name: 'CSRF 快递', provider: 'pool', template: 'waybill-100x180' }),
    probe: () => stack.db.em().count(Courier, { code: 'CSRFC' }),
  }),
  'POST /settings/couriers/:code': async () => ({
    path: '/settings/couriers/EMS',
    form: () => ({ name: '中国邮政 EMS', provider: 'pool', template: 'waybill-76x130', lowRollThreshold: '77', reuseCancelled: '1' }),
    probe: async () => (await stack.db.em().findOneOrFail(Courier, { code: 'EMS' })).lowRollThreshold,
  }),
  'POST /settings/couriers/:code/active': async () => {
    const em = stack.db.em();
    if (!(await em.count(Courier, { code: 'CSRFD' }))) await em.insert(Courier, { code: 'CSRFD', name: 'CSRF 停用快递', provider: 'pool', settings: {}, regionsNotServed: [], template: 'waybill-100x180', isDefault: false, active: true });
    return { path: '/settings/couriers/CSRFD/active', form: () => ({ active: '0' }), probe: async () => (await stack.db.em().findOneOrFail(Courier, { code: 'CSRFD' })).active };
  },
  'POST /settings/number-rolls/range': async () => ({
    path: '/settings/number-rolls/range',
    form: () => ({ courier: 'EMS', prefix: 'CS', start: '0001', end: '0005' }),
    probe: () => stack.db.em().count(WaybillPoolNumber, { courierCode: 'EMS' }),
  }),
  'POST /settings/number-rolls/list': async () => ({
    path: '/settings/number-rolls/list',
    form: () => ({ courier: 'SF', numbers: 'SFCSRF000001\nSFCSRF000002' }),
    probe: () => stack.db.em().count(WaybillPoolNumber, { courierCode: 'SF' }),
  }),
  'POST /account/tokens/:id/revoke': async () => ({
    path: `/account/tokens/${adminTokenId}/revoke`,
    form: () => ({}),
    probe: async () => (await stack.db.em().findOneOrFail(ApiToken, { id: adminTokenId })).revokedAt,
  }),
};

/**
 * A form route nobody wrote a sample for is still refused on a missing or wrong token; what it might change is
 * then looked for everywhere a form could write.
 */
async function anywhere(route: RouteAccess): Promise<Sample> {
  return {
    path: route.path.replace(/:(\w+)(\{[^}]*\})?\??/g, '1'),
    form: () => ({ actionId: actionId() }),
    probe: async () => {
      const em = stack.db.em();
      return {
        users: await em.find(User, {}, { orderBy: { id: 'asc' } }),
        sessions: await em.count(Session, {}),
        tokens: await em.find(ApiToken, {}, { orderBy: { id: 'asc' } }),
        prints: await em.count(PrintBatch, {}),
        imports: await em.count(ImportBatch, {}),
        cases: await em.count(AfterSaleCase, {}),
        unmatchedParcels: await em.count(UnmatchedParcel, {}),
        moneyEntries: await em.count(MoneyEntry, {}),
        transfers: await em.find(StockTransfer, {}, { orderBy: { transferNo: 'asc' }, fields: ['transferNo', 'stage'] }),
        stockMovements: await em.count(StockLedgerEntry, {}),
        // Versions move while failing syncs retry in the background; status, number and print count do not.
        orders: (await em.find(Order, {}, { orderBy: { id: 'asc' } })).map((o) => [o.id, o.status, o.waybillNo, o.printCount, o.reviewedBy]),
      };
    },
  };
}

describe('the form routes', () => {
  it('each run a CSRF check before their handler: the session’s token, or the login form’s for signing in', () => {
    expect(FORM_ROUTES.filter((r) => r.csrf === null).map((r) => r.key)).toEqual([]);
    expect(FORM_ROUTES.filter((r) => r.csrf === 'login').map((r) => r.key)).toEqual(['POST /login']);
    // The issue names these; the list comes from the routes, so check it found them.
    expect(FORM_ROUTES.map((r) => r.key)).toEqual(
      expect.arrayContaining([
        'POST /import', 'POST /print/run', 'POST /scan', 'POST /review/approve', 'POST /sync/retry', 'POST /sync/mark-synced', 'POST /admin/users', 'POST /account/tokens', 'POST /logout',
        'POST /after-sales/register', 'POST /after-sales/returns', 'POST /after-sales/cases/batch', 'POST /after-sales/qc/:caseNo', 'POST /finance/refunds/confirm', 'POST /finance/payments/confirm',
        'POST /stock/transfers', 'POST /stock/transfers/:no/outbound', 'POST /stock/transfers/:no/reverse-decision',
        'POST /admin/retention',
      ]),
    );
  });
});

describe.each(FORM_ROUTES.filter((r) => r.csrf === 'session').map((r) => [r.key, r] as const))('%s', (key, route) => {
  it('refuses a missing, made-up or other session’s token with 403 and changes nothing; the right token goes through', async () => {
    const agent = await signedInAdmin();
    for (const k of Object.keys(pickNow) as Array<keyof typeof pickNow>) pickNow[k] = await pick(orders[k]);
    const sample = await (SAMPLES[key]?.() ?? anywhere(route));
    const before = await sample.probe();
    for (const [label, csrf] of [
      ['missing', false],
      ['made up', 'A'.repeat(43)],
      ['another session’s', other.csrf],
    ] as const) {
      const res = await agent.post(sample.path, sample.form(), { csrf });
      expect({ label, status: res.status }).toEqual({ label, status: 403 });
      expect(await res.text()).toContain(CSRF_REFUSED);
      expect({ label, state: await sample.probe() }).toEqual({ label, state: before });
    }
    if (!SAMPLES[key]) return;
    const accepted = await agent.post(sample.path, sample.form());
    const answer = accepted.status < 400 ? 'accepted' : `${accepted.status}: ${/banner-error[^>]*>([^<]*)/.exec(await accepted.text())?.[1] ?? ''}`;
    expect(answer).toBe('accepted');
    await eventually(async () => JSON.stringify(await sample.probe()) !== JSON.stringify(before), `${key} with the right token to change what it acts on`, 60_000);
  });
});

describe('signing in', () => {
  const credentials = { username: 'kefu', password: DEMO_PASSWORD };
  const counts = async () => ({ sessions: await stack.db.em().count(Session, {}), attempts: await stack.db.em().count(LoginAttempt, {}) });

  it('refuses a sign-in without the login form’s token, signing nobody in and counting no attempt', async () => {
    const before = await counts();
    const a = createAgent(request);
    const res = await a.post('/login', credentials, { csrf: false });
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toContain(CSRF_REFUSED);
    // The form comes back with a fresh token, so the person can simply sign in again.
    expect(html).toMatch(/name="_csrf" value="[A-Za-z0-9_-]{43}"/);
    expect(a.cookies.has('gj_sid')).toBe(false);
    expect(await counts()).toEqual(before);
    expect((await a.post('/login', credentials)).status).toBe(303);
  });

  it('refuses a token taken from another browser’s login page, and a token without its cookie', async () => {
    const before = await counts();
    const attacker = createAgent(request);
    const stolen = await loginFormToken(attacker);
    const victim = createAgent(request);
    await loginFormToken(victim);
    expect((await victim.post('/login', credentials, { csrf: stolen })).status).toBe(403);
    const cookieless = createAgent(request);
    expect((await cookieless.post('/login', credentials, { csrf: stolen })).status).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('binds the token to an HttpOnly, SameSite cookie of the login page, kept until sign-in succeeds', async () => {
    const a = createAgent(request);
    const page = await a.get('/login');
    const cookie = page.headers.getSetCookie().find((c) => c.startsWith('gj_login='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
    expect(token).toBe(a.cookies.get('gj_login'));
    // A second look at the page (another tab) keeps the same token, so an open form still works.
    expect(await loginFormToken(a)).toBe(token);
    const signedIn = await a.post('/login', credentials);
    expect(signedIn.status).toBe(303);
    expect(a.cookies.has('gj_login')).toBe(false);
  });
});
