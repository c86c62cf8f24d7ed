/**
 * /api/v1/settings/shops as an integrator uses it, on the real Temporal server and sandbox: a shop added with its own
 * credentials answers with its secrets write-only, a change without secrets keeps them and moves the schedule to the
 * new interval, 测试连接 names the problem (signature, session) in words, and the OpenAPI document marks the secrets
 * write-only.
 */
import { randomBytes } from 'node:crypto';
import { createApp } from '../../api/app';
import type { AppDeps } from '../../api/env';
import { shopPullScheduleId } from '../../api/shop-pull-schedules';
import type { SandboxApp } from '../../integrations/sandbox/sandbox-platform';
import { startStack, type Stack } from '../helpers/stack';
import { apiClient, createApiToken, type ApiClient } from './api-client';
import { webDeps } from '../helpers/web-deps';

const deps = {} as AppDeps;
const app = createApp(deps);
const OWN_APP: SandboxApp = { appKey: '21756666', appSecret: `api-secret-${randomBytes(6).toString('hex')}`, sessionKey: `6200api-${randomBytes(6).toString('hex')}` };
const code = `tbapi${randomBytes(3).toString('hex')}`;

let stack: Stack;
let api: ApiClient;

beforeAll(async () => {
  stack = await startStack({ seed: 61, extraApps: [OWN_APP] });
  Object.assign(deps, webDeps(stack));
  api = apiClient(app, await createApiToken(stack.db, 'admin'));
});
afterAll(async () => {
  await stack?.client.schedule.getHandle(shopPullScheduleId(code)).delete().catch(() => undefined);
  await stack?.close();
});

const patch = (path: string, body: unknown) => api.raw(path, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const every = async () => (await stack.client.schedule.getHandle(shopPullScheduleId(code)).describe()).spec.intervals?.[0]?.every;

describe('/api/v1/settings/shops', () => {
  it('adds a shop whose answer never holds its secrets, and keeps them through a change that leaves them out', async () => {
    const created = await api.post<{ shop: Record<string, unknown>; message: string }>('/api/v1/settings/shops', {
      code, name: 'API 开的店', platform: 'tmall', apiUrl: stack.sandboxServer.routerUrl, appKey: OWN_APP.appKey, appSecret: OWN_APP.appSecret,
      sessionKey: OWN_APP.sessionKey, signMethod: 'hmac-sha256', pullIntervalSeconds: 120, shipByHours: 24,
    });
    expect(created.status).toBe(201);
    expect(created.body.shop).toMatchObject({ code, platform: 'tmall', appSecretSet: true, sessionKeySet: true, pullIntervalSeconds: 120, active: true });
    expect(created.body.message).toBe(`店铺 ${code} 已添加；每 120 秒抓单一次`);
    expect(JSON.stringify(created.body)).not.toContain(OWN_APP.appSecret);
    expect(await every()).toBe(120_000);

    const changed = await patch(`/api/v1/settings/shops/${code}`, { pullIntervalSeconds: 300, name: 'API 开的店（改名）' });
    expect(changed.status).toBe(200);
    expect(await every()).toBe(300_000);
    const ok = await api.post<{ ok: boolean; message: string; sellerNick: string }>(`/api/v1/settings/shops/${code}/test-connection`, {});
    expect(ok.body).toMatchObject({ ok: true, sellerNick: '管家沙盒旗舰店' });

    const list = await api.get<{ items: Array<Record<string, unknown>> }>('/api/v1/settings/shops');
    expect(list.body.items.find((s) => s.code === code)).toMatchObject({ name: 'API 开的店（改名）', pullIntervalSeconds: 300 });
    expect(JSON.stringify(list.body)).not.toMatch(/"appSecret"|"sessionKey"/);
  });

  it('says what is wrong with credentials tried through 测试连接, and refuses bad JSON', async () => {
    const signature = await api.post<Record<string, unknown>>(`/api/v1/settings/shops/${code}/test-connection`, { appSecret: 'wrong' });
    expect(signature.status).toBe(200);
    expect(signature.body).toMatchObject({ ok: false, problem: 'signature', message: expect.stringContaining('签名错误') as string });
    const session = await api.post<Record<string, unknown>>(`/api/v1/settings/shops/${code}/test-connection`, { sessionKey: '6200someone-else' });
    expect(session.body).toMatchObject({ ok: false, problem: 'session', platformAnswer: expect.stringContaining('code 27') as string });
    const bad = await api.raw(`/api/v1/settings/shops/${code}/test-connection`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(bad.status).toBe(400);
  });

  it('describes the secrets as write-only in the OpenAPI document', async () => {
    const doc = (await (await app.request('/api/v1/openapi.json')).json()) as { components: { schemas: Record<string, { properties: Record<string, { writeOnly?: boolean }> }> } };
    expect(doc.components.schemas.ShopCreate!.properties.appSecret!.writeOnly).toBe(true);
    expect(doc.components.schemas.ShopChange!.properties.sessionKey!.writeOnly).toBe(true);
    expect(Object.keys(doc.components.schemas.Shop!.properties)).not.toContain('appSecret');
  });
});
