import { ApiToken, Session, User } from '../../db/entities';
import { sha256Hex } from '../../api/auth/secret-token';
import { PASSWORD, startWebFixture, type WebFixture } from './web-fixture';

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
    const res = await a.post('/login', { username: 'shendan', password: PASSWORD }, { csrf: false });
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
    const res = await web.agent().post('/login', { username: 'shendan', password: 'wrong-password' }, { csrf: false });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('用户名或密码错误');
    expect(res.headers.getSetCookie().some((c) => c.startsWith('gj_sid='))).toBe(false);
    expect(await web.db.em().count(Session, {})).toBe(before);
  });

  it('refuses a sixth attempt after five failures for the same name, even with the right password', async () => {
    const a = web.agent();
    for (let i = 0; i < 5; i++) expect((await a.post('/login', { username: 'chuna', password: `nope-${i}-xx` }, { csrf: false })).status).toBe(401);
    const blocked = await a.post('/login', { username: 'chuna', password: PASSWORD }, { csrf: false });
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toContain('登录失败次数过多');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another person is not locked out by someone guessing at chuna.
    expect((await web.agent().post('/login', { username: 'kefu', password: PASSWORD }, { csrf: false })).status).toBe(303);
  });

  it('sends a visitor without a session to the login page and back afterwards', async () => {
    const res = await web.request('/review?shop=zhiyuan');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/login?next=%2Freview%3Fshop%3Dzhiyuan');
    const a = web.agent();
    const login = await a.post('/login', { username: 'shendan', password: PASSWORD, next: '/review?shop=zhiyuan' }, { csrf: false });
    expect(login.headers.get('location')).toBe('/review?shop=zhiyuan');
    const offsite = await web.agent().post('/login', { username: 'shendan', password: PASSWORD, next: '//evil.example/' }, { csrf: false });
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
      const res = await secure.agent().post('/login', { username: 'admin', password: PASSWORD }, { csrf: false });
      expect(res.headers.getSetCookie().find((c) => c.startsWith('gj_sid='))).toMatch(/Secure/);
    } finally {
      await secure.close();
    }
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

  it('refuses a logout without the CSRF token and keeps the session', async () => {
    const a = await web.login('shendan');
    const res = await a.post('/logout', {}, { csrf: false });
    expect(res.status).toBe(403);
    expect((await a.get('/review')).status).toBe(200);
  });
});

describe('CSRF protection', () => {
  it('refuses a form without a token and changes nothing', async () => {
    const admin = await web.login('admin');
    const form = { username: 'csrf-victim', displayName: 'X', password: 'long-enough-1', roles: 'reviewer' };
    const missing = await admin.post('/admin/users', form, { csrf: false });
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain('安全校验未通过');
    const wrong = await admin.post('/admin/users', form, { csrf: 'A'.repeat(43) });
    expect(wrong.status).toBe(403);
    expect(await web.db.em().findOne(User, { username: 'csrf-victim' })).toBeNull();
  });

  it('accepts the token in the x-csrf-token header, as htmx sends it', async () => {
    const admin = await web.login('admin');
    const res = await admin.post('/account/tokens', { name: 'via header' }, { csrf: false, headers: { 'x-csrf-token': admin.csrf, 'hx-request': 'true' } });
    expect(res.status).toBe(200);
    expect(await web.db.em().count(ApiToken, { name: 'via header' })).toBe(1);
  });

  it('does not accept the token of another session', async () => {
    const a = await web.login('shendan');
    const b = await web.login('admin');
    const res = await b.post('/account/tokens', { name: 'stolen' }, { csrf: a.csrf });
    expect(res.status).toBe(403);
    expect(await web.db.em().count(ApiToken, { name: 'stolen' })).toBe(0);
  });
});

describe('roles', () => {
  const forbidden: Array<[string, string, string]> = [
    ['cangku', 'GET', '/review'],
    ['cangku', 'POST', '/review/approve'],
    ['cangku', 'GET', '/import'],
    ['cangku', 'GET', '/admin/users'],
    ['kefu', 'GET', '/print'],
    ['kefu', 'POST', '/print/run'],
    ['kefu', 'GET', '/scan'],
    ['kefu', 'POST', '/scan'],
    ['kefu', 'GET', '/sync'],
    ['kefu', 'POST', '/sync/retry'],
    ['shendan', 'GET', '/scan'],
    ['shendan', 'GET', '/admin/users'],
    ['shendan', 'POST', '/admin/users'],
    ['caiwu', 'GET', '/review'],
    ['caiwu', 'GET', '/import'],
    ['caiwu', 'POST', '/import'],
    ['caiwu', 'GET', '/print/batches/P1.pdf'],
  ];
  it.each(forbidden)('refuses %s on %s %s with a reason', async (username, method, path) => {
    const a = await web.login(username);
    const res = method === 'GET' ? await a.get(path) : await a.post(path, { actionId: '11111111-2222-3333-4444-555555555555' });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('没有权限');
  });

  it('lets a warehouse user mark nothing synced by hand', async () => {
    const a = await web.login('cangku');
    expect((await a.get('/sync')).status).toBe(200);
    const res = await a.post('/sync/mark-synced', { actionId: '11111111-2222-3333-4444-555555555555', reason: 'x' });
    expect(res.status).toBe(403);
  });

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
