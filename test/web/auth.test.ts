import type { Hono } from 'hono';
import { createApp } from '../../api/app';
import { createLoginRateLimiter } from '../../api/auth/login-rate-limiter';
import { sha256Hex } from '../../api/auth/secret-token';
import type { AppEnv } from '../../api/env';
import { createViews } from '../../api/views';
import { ApiToken, LoginAttempt, Session } from '../../db/entities';
import { createAgent, loginFormToken, PASSWORD, startWebFixture, type WebFixture } from './web-fixture';

let web: WebFixture;
beforeAll(async () => {
  web = await startWebFixture();
});
afterAll(() => web.close());

describe('signing in', () => {
  it('shows the login page in Chinese with username and password fields', async () => {
    const res = await web.request('/login');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('用户名');
    expect(html).toContain('密码');
    expect(html).toContain('data-testid="login-submit"');
  });

  it('signs in with the right password and keeps only the hash of the session cookie', async () => {
    const a = web.agent();
    const res = await a.post('/login', { username: 'shendan', password: PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/review');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('gj_sid='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);
    const value = a.cookies.get('gj_sid')!;
    expect(Buffer.from(value, 'base64url')).toHaveLength(32);
    const session = await web.db.em().findOne(Session, { id: sha256Hex(value) });
    expect(session).not.toBeNull();
    expect(await web.db.em().findOne(Session, { id: value })).toBeNull();
    expect((await a.get('/review')).status).toBe(200);
  });

  it('refuses a wrong password without creating a session', async () => {
    const before = await web.db.em().count(Session, {});
    const res = await web.agent().post('/login', { username: 'shendan', password: 'wrong-password' });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('用户名或密码错误');
    expect(res.headers.getSetCookie().some((c) => c.startsWith('gj_sid='))).toBe(false);
    expect(await web.db.em().count(Session, {})).toBe(before);
  });

  it('slows a sixth attempt after five failures for the same name, even with the right password', async () => {
    const a = web.agent();
    for (let i = 0; i < 5; i++) expect((await a.post('/login', { username: 'chuna', password: `nope-${i}-xx` })).status).toBe(401);
    const blocked = await a.post('/login', { username: 'chuna', password: PASSWORD });
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toContain('登录失败次数过多');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another person is not slowed by someone guessing at chuna.
    expect((await web.agent().post('/login', { username: 'kefu', password: PASSWORD })).status).toBe(303);
  });

  it('sends a visitor without a session to the login page and back afterwards', async () => {
    const res = await web.request('/review?shop=zhiyuan');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/login?next=%2Freview%3Fshop%3Dzhiyuan');
    const a = web.agent();
    const login = await a.post('/login', { username: 'shendan', password: PASSWORD, next: '/review?shop=zhiyuan' });
    expect(login.headers.get('location')).toBe('/review?shop=zhiyuan');
    const offsite = await web.agent().post('/login', { username: 'shendan', password: PASSWORD, next: '//evil.example/' });
    expect(offsite.headers.get('location')).toBe('/review');
  });

  it('lands each role on the page its work starts from', async () => {
    expect((await (await web.login('cangku')).get('/')).headers.get('location')).toBe('/print');
    expect((await (await web.login('kefu')).get('/')).headers.get('location')).toBe('/orders');
    expect((await (await web.login('admin')).get('/')).headers.get('location')).toBe('/review');
  });

  it('marks the cookie Secure when configured for HTTPS', async () => {
    const secure = await startWebFixture({ secureCookies: true });
    try {
      const res = await secure.agent().post('/login', { username: 'admin', password: PASSWORD });
      expect(res.headers.getSetCookie().find((c) => c.startsWith('gj_sid='))).toMatch(/Secure/);
    } finally {
      await secure.close();
    }
  });
});

describe('the sign-in limit, kept in the database', () => {
  /** Two web processes of one deployment: two apps on the same database, behind a proxy that names the client. */
  const twoProcesses = () => {
    const config = { taskQueue: 'guanjia-web-test', baseUrl: 'http://127.0.0.1:3000', secureCookies: false, sessionHours: 12, temporalUiUrl: 'http://127.0.0.1:8233', trustProxy: true };
    const views = createViews();
    return [createApp({ db: web.db, temporal: web.temporal, config }, { views }), createApp({ db: web.db, temporal: web.temporal, config }, { views })] as const;
  };
  const signIn = (app: Hono<AppEnv>, username: string, password: string, address: string) =>
    createAgent(async (p, init) => app.request(p, init)).post('/login', { username, password }, { headers: { 'x-forwarded-for': address } });

  it('counts failures on one web process against the other, and slows the sixth on either with the old message', async () => {
    const [one, two] = twoProcesses();
    for (let i = 0; i < 3; i++) expect((await signIn(one, 'caiwu', `wrong-${i}-xx`, '10.1.0.7')).status).toBe(401);
    for (let i = 0; i < 2; i++) expect((await signIn(two, 'caiwu', `wrong-${i}-yy`, '10.1.0.7')).status).toBe(401);
    expect(await web.db.em().count(LoginAttempt, { accountKey: 'caiwu' })).toBe(5);
    expect(await web.db.em().count(LoginAttempt, { clientAddress: '10.1.0.7' })).toBe(5);
    for (const app of [one, two]) {
      const blocked = await signIn(app, 'caiwu', PASSWORD, '10.1.0.7');
      expect(blocked.status).toBe(429);
      expect(await blocked.text()).toContain('登录失败次数过多，请 1 分钟后再试');
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(20);
    }
    // Refused attempts do not count, so they do not make the wait longer.
    expect(await web.db.em().count(LoginAttempt, { accountKey: 'caiwu' })).toBe(5);
  });

  it('lets no more than five of a burst of simultaneous guesses on two processes reach the password check', async () => {
    const [one, two] = twoProcesses();
    const agents = await Promise.all(Array.from({ length: 12 }, async (_, i) => {
      const a = createAgent(async (p, init) => (i % 2 ? one : two).request(p, init));
      return { a, token: await loginFormToken(a) };
    }));
    const statuses = await Promise.all(
      agents.map(({ a, token }, i) => a.post('/login', { username: 'cangku', password: `burst-${i}-xx` }, { csrf: token, headers: { 'x-forwarded-for': '10.2.0.1' } }).then((r) => r.status)),
    );
    const checked = statuses.filter((s) => s === 401).length;
    expect(checked + statuses.filter((s) => s === 429).length).toBe(12);
    expect(checked).toBeLessThanOrEqual(5);
    // Refused attempts leave no row, so what the burst leaves behind is exactly the guesses that were checked.
    expect(await web.db.em().count(LoginAttempt, { accountKey: 'cangku' })).toBe(checked);
    expect((await signIn(one, 'cangku', PASSWORD, '10.2.0.1')).status).toBe(checked < 5 ? 303 : 429);
  });

  it('clears an account’s failures when it signs in, but not the address’s', async () => {
    const [one, two] = twoProcesses();
    for (let i = 0; i < 4; i++) expect((await signIn(one, 'kefu', `wrong-${i}-zz`, '10.3.0.1')).status).toBe(401);
    expect((await signIn(two, 'kefu', PASSWORD, '10.3.0.1')).status).toBe(303);
    expect(await web.db.em().count(LoginAttempt, { accountKey: 'kefu' })).toBe(0);
    expect(await web.db.em().count(LoginAttempt, { clientAddress: '10.3.0.1' })).toBe(4);
  });

  it('forgets failures once they are older than the hour it counts, and deletes their rows', async () => {
    let clock = Math.floor(Date.now() / 1000) * 1000;
    const start = clock;
    const limiter = createLoginRateLimiter({ db: web.db }, { now: () => clock });
    const key = { account: 'window-test', clientAddress: '10.4.0.1' };
    for (let i = 0; i < 5; i++) {
      clock = start + i * 1000;
      expect(await limiter.admit(key)).toEqual({ allowed: true });
    }
    clock = start + 5000;
    expect(await limiter.admit(key)).toEqual({ allowed: false, retryAfterSeconds: 29 });
    clock = start + 60 * 60_000 + 5000;
    expect(await limiter.admit(key)).toEqual({ allowed: true });
    expect(await web.db.em().count(LoginAttempt, { attemptedAt: { $lte: new Date(start + 4000) } })).toBe(0);
    expect(await web.db.em().count(LoginAttempt, { accountKey: 'window-test' })).toBe(1);
  });
});

describe('signing out', () => {
  it('deletes the session row, so the old cookie opens nothing', async () => {
    const a = await web.login('shendan');
    const value = a.cookies.get('gj_sid')!;
    const res = await a.post('/logout');
    expect(res.status).toBe(303);
    expect(await web.db.em().findOne(Session, { id: sha256Hex(value) })).toBeNull();
    const again = await web.request('/review', { headers: { cookie: `gj_sid=${value}` } });
    expect(again.status).toBe(302);
  });
});

describe('CSRF protection', () => {
  it('accepts the token in the x-csrf-token header, as htmx sends it', async () => {
    const admin = await web.login('admin');
    const res = await admin.post('/account/tokens', { name: 'via header' }, { csrf: false, headers: { 'x-csrf-token': admin.csrf, 'hx-request': 'true' } });
    expect(res.status).toBe(200);
    expect(await web.db.em().count(ApiToken, { name: 'via header' })).toBe(1);
  });
});

describe('menus', () => {
  it('hides menu entries the role cannot use', async () => {
    const html = await (await (await web.login('kefu')).get('/orders')).text();
    expect(html).toContain('href="/orders"');
    expect(html).not.toContain('href="/review"');
    expect(html).not.toContain('href="/admin/users"');
  });
});

describe('API tokens', () => {
  it('creates a token shown once that opens /api/v1 without a cookie or CSRF, until revoked', async () => {
    const a = await web.login('shendan');
    const page = await (await a.post('/account/tokens', { name: '对账脚本' })).text();
    const token = /data-testid="new-token">(gj_[A-Za-z0-9_-]+)</.exec(page)?.[1];
    expect(token).toBeDefined();
    const row = await web.db.em().findOneOrFail(ApiToken, { name: '对账脚本' });
    expect(row.tokenHash).toBe(sha256Hex(token!));
    expect((await (await a.get('/account/tokens')).text()).includes(token!)).toBe(false);

    const me = await web.request('/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ username: 'shendan', roles: ['reviewer'] });
    const bad = await web.request('/api/v1/orders/x/approve', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ actionId: 'nope' }),
    });
    expect(bad.status).toBe(400);

    await a.post(`/account/tokens/${row.id}/revoke`);
    expect((await web.request('/api/v1/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('holds a token to its owner’s roles', async () => {
    const a = await web.login('kefu');
    const token = /data-testid="new-token">(gj_[A-Za-z0-9_-]+)</.exec(await (await a.post('/account/tokens', { name: 'kefu script' })).text())![1];
    const res = await web.request('/api/v1/orders/order:zhiyuan:1/approve', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ actionId: '11111111-2222-3333-4444-555555555555', expectedVersion: 1 }),
    });
    expect(res.status).toBe(403);
    expect((await web.request('/api/v1/orders', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it('refuses /api/v1 without a token even with a session cookie', async () => {
    const a = await web.login('admin');
    expect((await a.get('/api/v1/me')).status).toBe(401);
  });
});
