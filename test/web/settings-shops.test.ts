/**
 * 设置 → 店铺 through the web app and /api/v1 on the real Temporal server and sandbox platform: a shop added through the
 * page with its own app key, secret and session pulls its orders under those credentials; the secrets are sealed in
 * the database and absent from the pull workflow's history; 测试连接 says what the platform answered; an expired
 * session pauses the schedule and shows it until a new session key is saved; bad input changes nothing; staff read
 * but only an admin edits.
 */
import { randomBytes } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { createApp } from '../../api/app';
import type { AppDeps } from '../../api/env';
import { describeShopPullSchedule, shopPullScheduleId } from '../../api/shop-pull-schedules';
import { guanjiaDataConverter } from '../../api/temporal/temporal-security';
import { AuditEvent, PlatformOrder, Shop } from '../../db/entities';
import { DEMO_PASSWORD } from '../../db/seeders/demo-data';
import { SANDBOX_DEMO_APP_SECRET, SANDBOX_DEMO_SESSION_KEY } from '../../integrations/sandbox/sandbox-demo-app';
import type { SandboxApp } from '../../integrations/sandbox/sandbox-platform';
import { apiClient, createApiToken } from '../api/api-client';
import { eventually, startStack, type Stack } from '../helpers/stack';
import { loginAgent, type Agent } from './web-fixture';
import { webDeps } from '../helpers/web-deps';

const deps = {} as AppDeps;
const app = createApp(deps);
const request = async (path: string, init?: RequestInit) => app.request(path, init);

/** The new shop's own app on the platform, registered beside the demo shop's; the test changes its session to expire it. */
const OWN_APP: SandboxApp = { appKey: '21758888', appSecret: `own-secret-${randomBytes(6).toString('hex')}`, sessionKey: `6200own-session-${randomBytes(6).toString('hex')}` };
const FIRST_SESSION = OWN_APP.sessionKey!;
const code = `tbnew${randomBytes(3).toString('hex')}`;

let stack: Stack;
let admin: Agent;
let kefu: Agent;

const shopForm = (over: Record<string, string> = {}) => ({
  code, name: '新开的淘宝店', platform: 'taobao', apiUrl: stack.sandboxServer.routerUrl, appKey: OWN_APP.appKey, appSecret: OWN_APP.appSecret,
  sessionKey: FIRST_SESSION, signMethod: 'md5', pullIntervalSeconds: '60', shipByHours: '36', returnRemindDays: '7', returnCloseDays: '15', ...over,
});
const shopRow = () => stack.db.em().fork().findOne(Shop, { code });
const bannerOf = (html: string) => /data-testid="(?:error-message|notice)">([^<]+)</.exec(html)?.[1] ?? '';
const connectionOf = (html: string) => /data-testid="connection-message">([^<]+)</.exec(html)?.[1] ?? '';

/** Every string a history holds, its payloads decoded with the codec the workers encrypt them with. */
async function historyText(workflowId: string): Promise<string> {
  const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
  const payloads: Payload[] = [];
  const walk = (v: unknown): void => {
    if (!v || typeof v !== 'object') return;
    if ('metadata' in v && 'data' in v && (v as Payload).data instanceof Uint8Array) payloads.push(v as Payload);
    for (const child of Object.values(v)) walk(child);
  };
  walk(history);
  const decoded = await guanjiaDataConverter().payloadCodecs![0]!.decode(payloads);
  expect(decoded.length).toBeGreaterThan(0);
  return [JSON.stringify(history), ...decoded.map((p) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8'))].join('\n');
}

beforeAll(async () => {
  stack = await startStack({ realPasswords: true, seed: 83, extraApps: [OWN_APP] });
  Object.assign(deps, webDeps(stack));
  [admin, kefu] = await Promise.all([loginAgent(request, 'admin', DEMO_PASSWORD), loginAgent(request, 'kefu', DEMO_PASSWORD)]);
});
afterAll(async () => {
  await stack?.client.schedule.getHandle(shopPullScheduleId(code)).delete().catch(() => undefined);
  await stack?.close();
});

describe('a shop added through the 店铺 page', () => {
  it('pulls its own orders from the sandbox under its own app key, secret and session', async () => {
    const created = await admin.post('/settings/shops', shopForm());
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toBe(`/settings/shops/${code}?saved=created`);
    const schedule = await describeShopPullSchedule(stack.client, code);
    expect(schedule).toMatchObject({ exists: true, paused: false });

    const trades = stack.sandbox.generateTrades(3, { from: new Date(Date.now() - 30 * 60_000), to: new Date(Date.now() - 60_000), status: 'WAIT_SELLER_SEND_GOODS' });
    const pulled = await admin.post(`/settings/shops/${code}/pull-now`);
    expect(pulled.status).toBe(200);
    expect(bannerOf(await pulled.text())).toContain('已开始抓单');
    await eventually(async () => (await stack.db.em().fork().count(PlatformOrder, { shopCode: code, platformOrderNo: { $in: trades.map((t) => t.tid) } })) === 3, 'the new shop’s three trades to be pulled', 60_000);

    const page = await (await kefu.get(`/settings/shops/${code}`)).text();
    expect(Number(/data-testid="pulled-today">(\d+)</.exec(page)?.[1])).toBeGreaterThanOrEqual(3);
    expect(/data-testid="last-pull">([^<]+)</.exec(page)?.[1]).toMatch(/^\d{4}-\d{2}-\d{2} /);
    expect(/data-testid="last-error"[^>]*>([^<]+)</.exec(page)?.[1]).toBe("—");
    expect(page).toContain('data-testid="next-run">20');
  });

  it('keeps the secrets sealed in the database, out of the page and out of the pull workflow’s history', async () => {
    const [row] = await stack.db.em().fork().getConnection().execute<Array<Record<string, unknown>>>('select * from shop where code = ?', [code]);
    const raw = JSON.stringify(row);
    expect(raw).not.toContain(OWN_APP.appSecret);
    expect(raw).not.toContain(FIRST_SESSION);
    expect(String(row!.app_secret)).toMatch(/^v1:[0-9a-f]{8}:/);
    // The demo shop went through the same save: its sandbox secret is sealed too.
    const demo = JSON.stringify(await stack.db.em().fork().getConnection().execute('select * from shop where code = ?', [stack.shopCode]));
    expect(demo).not.toContain(SANDBOX_DEMO_APP_SECRET);
    expect(demo).not.toContain(SANDBOX_DEMO_SESSION_KEY);

    const page = await (await admin.get(`/settings/shops/${code}`)).text();
    expect(page).not.toContain(OWN_APP.appSecret);
    expect(page).not.toContain(FIRST_SESSION);
    expect(page).toContain('已设置，留空不修改');

    const described = await stack.client.schedule.getHandle(shopPullScheduleId(code)).describe();
    const runs = described.info.recentActions.map((a) => a.action.workflow.workflowId);
    expect(runs.length).toBeGreaterThan(0);
    for (const id of runs) {
      const text = await historyText(id);
      expect(text).toContain(code);
      expect(text).not.toContain(OWN_APP.appSecret);
      expect(text).not.toContain(FIRST_SESSION);
    }
  });

  it('says in words what the platform answers to 测试连接: a wrong secret is 签名错误, the saved credentials work', async () => {
    const wrong = await admin.post(`/settings/shops/${code}/test-connection`, shopForm({ appSecret: 'not-the-secret' }), { headers: { 'hx-request': 'true' } });
    expect(wrong.status).toBe(502);
    const wrongHtml = await wrong.text();
    expect(connectionOf(wrongHtml)).toContain('签名错误');
    expect(wrongHtml).toContain('isv.invalid-signature');
    const saved = await admin.post(`/settings/shops/${code}/test-connection`, shopForm({ appSecret: '', sessionKey: '' }), { headers: { 'hx-request': 'true' } });
    expect(saved.status).toBe(200);
    expect(connectionOf(await saved.text())).toContain('连接成功');
  });

  it('shows an expired session as 授权已过期 and pauses its schedule, and a new session key resumes it', async () => {
    // The seller's authorisation ends on the platform: the session the shop holds is refused from now on.
    const renewed = `6200renewed-${randomBytes(6).toString('hex')}`;
    OWN_APP.sessionKey = renewed;
    const auditsBefore = await stack.db.em().fork().count(AuditEvent, { entityType: 'shop', entityId: code, action: 'shop.auth_expired' });
    expect((await admin.post(`/settings/shops/${code}/pull-now`)).status).toBe(200);
    const expired = await eventually(async () => (await shopRow())?.authExpiredAt ? shopRow() : null, 'the shop to be marked 授权已过期', 60_000);
    expect(expired!.lastPullError).toContain('授权已过期');
    const paused = await describeShopPullSchedule(stack.client, code);
    expect(paused).toMatchObject({ exists: true, paused: true, nextRunAt: null });
    expect(paused!.note).toContain('授权已过期');
    expect(await stack.db.em().fork().count(AuditEvent, { entityType: 'shop', entityId: code, action: 'shop.auth_expired' })).toBe(auditsBefore + 1);

    const page = await (await kefu.get(`/settings/shops/${code}`)).text();
    expect(page).toContain('data-testid="auth-expired"');
    expect(/data-testid="schedule-state">([^<]+)</.exec(page)?.[1]).toContain('已暂停');
    const list = await (await kefu.get('/settings/shops')).text();
    expect(new RegExp(`data-code="${code}"[\\s\\S]*?data-testid="shop-state">授权已过期<`).test(list)).toBe(true);
    const refused = await admin.post(`/settings/shops/${code}/pull-now`);
    expect(refused.status).toBe(409);
    expect(bannerOf(await refused.text())).toContain('授权已过期');

    const saved = await admin.post(`/settings/shops/${code}`, shopForm({ appSecret: '', sessionKey: renewed, shipByHours: '48' }));
    expect(saved.status).toBe(200);
    const savedHtml = await saved.text();
    expect(savedHtml).not.toContain('data-testid="auth-expired"');
    // 修改记录 in words: the field's label, old → new; the new session key only as 已修改, never its value.
    const history = /data-testid="shop-history"[\s\S]*?<\/ol>/.exec(savedHtml)?.[0] ?? '';
    const newest = /<li[\s\S]*?<\/li>/.exec(history)?.[0] ?? '';
    expect(newest).toContain('修改店铺');
    expect(newest).toContain('发货时限（小时）：36 → 48');
    expect(newest).toContain('SessionKey：已修改');
    expect(newest).not.toContain('SessionKey：已修改 →');
    expect(savedHtml).not.toContain(renewed);
    expect(savedHtml).not.toContain(FIRST_SESSION);
    expect(history).toContain('授权已过期');
    expect(history).toMatch(/添加：店铺编码 tbnew[0-9a-f]+，平台 淘宝（TOP 接口），店铺名称 新开的淘宝店，/);
    expect(history).toContain('App Secret 已设置');
    expect(history).not.toMatch(/sessionKeySet|\{&quot;|\{"/);
    expect((await shopRow())!.authExpiredAt).toBeNull();
    expect(await describeShopPullSchedule(stack.client, code)).toMatchObject({ exists: true, paused: false });
    const trades = stack.sandbox.generateTrades(1, { from: new Date(Date.now() - 60_000), to: new Date(Date.now() - 30_000), status: 'WAIT_SELLER_SEND_GOODS' });
    expect((await admin.post(`/settings/shops/${code}/pull-now`)).status).toBe(200);
    await eventually(async () => (await stack.db.em().fork().count(PlatformOrder, { shopCode: code, platformOrderNo: trades[0]!.tid })) === 1, 'a pull under the new session', 60_000);
  });
});

describe('bad input and permissions', () => {
  const state = async () => ({
    shops: (await stack.db.em().fork().find(Shop, {}, { orderBy: { code: 'asc' } })).map((s) => [s.code, s.name, s.pullIntervalSeconds, s.appSecret, s.active]),
    audits: await stack.db.em().fork().count(AuditEvent, { entityType: 'shop' }),
  });

  it('refuses an empty name, a taken code and a bad interval with a clear message, changing nothing', async () => {
    const before = await state();
    const cases: Array<[string, Record<string, string>, number, string]> = [
      ['/settings/shops', { code: 'tbother', name: '  ' }, 400, '请填写店铺名称'],
      ['/settings/shops', { code }, 409, `店铺编码 ${code} 已被使用`],
      ['/settings/shops', { code: 'tbother', pullIntervalSeconds: 'abc' }, 400, '抓单间隔必须是 10 到 86400 之间的整数秒'],
      ['/settings/shops', { code: 'tbother', sessionKey: '' }, 400, '请填写 SessionKey'],
      [`/settings/shops/${code}`, { pullIntervalSeconds: '5' }, 400, '抓单间隔'],
      [`/settings/shops/${code}`, { name: '' }, 400, '请填写店铺名称'],
    ];
    for (const [path, over, status, message] of cases) {
      const res = await admin.post(path, shopForm({ appSecret: path === '/settings/shops' ? OWN_APP.appSecret : '', ...over }));
      const html = await res.text();
      expect({ path, over, status: res.status, message: bannerOf(html) }).toEqual({ path, over, status, message: expect.stringContaining(message) as string });
      // The form keeps what was typed, except the secrets.
      expect(html).not.toContain(OWN_APP.appSecret);
    }
    const api = apiClient(app, await createApiToken(stack.db, 'admin'));
    const bad = await api.post('/api/v1/settings/shops', { code: 'tbother', name: '', platform: 'taobao', appKey: 'k', appSecret: 's', sessionKey: 'x', apiUrl: 'http://127.0.0.1:9/router/rest' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: { code: 'bad_request', message: '请填写店铺名称' } });
    expect(await state()).toEqual(before);
  });

  it('lets staff read shops but only an admin change them, on the page and in the API', async () => {
    expect((await kefu.get('/settings/shops')).status).toBe(200);
    expect((await kefu.get(`/settings/shops/${code}`)).status).toBe(200);
    const before = await state();
    for (const path of [`/settings/shops/${code}`, `/settings/shops/${code}/deactivate`, `/settings/shops/${code}/pull-now`, '/settings/shops']) {
      const res = await kefu.post(path, shopForm({ name: '客服改的名字' }));
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
    }
    const kefuApi = apiClient(app, await createApiToken(stack.db, 'kefu'));
    expect((await kefuApi.get(`/api/v1/settings/shops/${code}`)).status).toBe(200);
    expect((await kefuApi.raw(`/api/v1/settings/shops/${code}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: '客服改的名字' }) })).status).toBe(403);
    expect(await state()).toEqual(before);
  });

  it('answers the API with the secrets write-only and deactivates a shop, pausing its schedule', async () => {
    const api = apiClient(app, await createApiToken(stack.db, 'admin'));
    const one = await api.get<Record<string, unknown>>(`/api/v1/settings/shops/${code}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ code, appSecretSet: true, sessionKeySet: true, status: { authExpired: false } });
    expect(JSON.stringify(one.body)).not.toContain(OWN_APP.appSecret);
    expect(JSON.stringify(one.body)).not.toMatch(/"appSecret"|"sessionKey"/);
    const off = await api.post<{ message: string }>(`/api/v1/settings/shops/${code}/deactivate`, {});
    expect(off.status).toBe(200);
    expect(off.body.message).toContain('已停用');
    expect(await describeShopPullSchedule(stack.client, code)).toMatchObject({ paused: true });
    expect((await shopRow())!.active).toBe(false);
    const refused = await api.post(`/api/v1/settings/shops/${code}/pull-now`, {});
    expect(refused.status).toBe(409);
    const csv = await api.post<{ shop: Record<string, unknown> }>('/api/v1/settings/shops', { code: `csv${code}`, name: '线下 CSV 店', platform: 'csv' });
    expect(csv.status).toBe(201);
    expect(csv.body.shop).toMatchObject({ platform: 'csv', appSecretSet: false, sessionKeySet: false });
    expect(await describeShopPullSchedule(stack.client, `csv${code}`)).toMatchObject({ exists: false });
  });
});
