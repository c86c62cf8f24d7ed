import { issueApiToken } from '../../api/auth/issue-api-token';
import { sha256Hex } from '../../api/auth/secret-token';
import { loadConfig } from '../../api/config';
import { ApiToken, Session, User } from '../../db/entities';
import { PASSWORD, startWebFixture, type Agent, type WebFixture } from './web-fixture';

let web: WebFixture;
beforeAll(async () => {
  web = await startWebFixture();
});
afterAll(() => web.close());

/** The pages this part of the site owns, as the roles that use them see them. */
const PAGES = ['/orders', '/review', '/print', '/scan', '/sync', '/import', '/admin/users', '/account/tokens', '/orders/order:zhiyuan:none', '/no-such-page'];

function directive(csp: string, name: string): string[] {
  const found = csp.split(';').map((d) => d.trim().split(/\s+/)).find(([n]) => n === name);
  return found ? found.slice(1) : [];
}

describe('Content-Security-Policy', () => {
  it.each(['/login', ...PAGES])('lets %s run only the site’s own script files, and the page has no inline script', async (path) => {
    const res = path === '/login' ? await web.request(path) : await (await web.login('admin')).get(path);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(directive(csp, 'script-src')).toEqual(["'self'"]);
    expect(directive(csp, 'object-src')).toEqual(["'none'"]);
    expect(directive(csp, 'base-uri')).toEqual(["'none'"]);
    expect(directive(csp, 'frame-ancestors')).toEqual(["'none'"]);
    const html = await res.text();
    expect(html).toMatch(/<\/html>/);
    // Every <script> has a src; no on*= handler attributes; no javascript: links.
    expect([...html.matchAll(/<script\b([^>]*)>/gi)].filter((m) => !/\bsrc=/.test(m[1] ?? ''))).toEqual([]);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/javascript:/i);
  });
});

describe('what browsers and proxies may keep', () => {
  it.each(['/login', ...PAGES])('tells browsers and proxies not to store %s', async (path) => {
    const res = path === '/login' ? await web.request(path) : await (await web.login('admin')).get(path);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('tells them not to store API answers either, while the script and style files stay cacheable', async () => {
    const em = web.db.em();
    const user = await em.findOneOrFail(User, { username: 'shendan' });
    const { token } = issueApiToken(em, user.id, 'cache test');
    await em.flush();
    const res = await web.request('/api/v1/orders', { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const page = await (await web.login('admin')).get('/orders');
    const version = /\/assets\/app\.js\?v(?:=|&#x3D;)([0-9a-f]+)"/.exec(await page.text())?.[1];
    expect(version).toBeDefined();
    expect((await web.request(`/assets/app.js?v=${version}`)).headers.get('cache-control')).toContain('immutable');
  });
});

describe('how long a session lasts', () => {
  it('reads the absolute session lifetime from the environment, 12 hours unless set', () => {
    expect(loadConfig({}).app.sessionMaxHours).toBe(12);
    expect(loadConfig({ SESSION_MAX_HOURS: '8' }).app.sessionMaxHours).toBe(8);
    expect(() => loadConfig({ SESSION_MAX_HOURS: '0' })).toThrow('SESSION_MAX_HOURS=0 must be between');
  });

  it('ends a session twelve hours after sign-in however busy it has been, and removes its row', async () => {
    const a = await web.login('kefu');
    const id = sha256Hex(a.cookies.get('gj_sid')!);
    // Signed in 12 hours and a minute ago, and active a moment ago (the idle expiry is still far off).
    await web.db.em().nativeUpdate(Session, { id }, { createdAt: new Date(Date.now() - 12 * 3600_000 - 60_000), expiresAt: new Date(Date.now() + 11 * 3600_000) });
    const res = await a.get('/orders');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^\/login/);
    expect(await web.db.em().findOne(Session, { id })).toBeNull();
  });

  it('never slides a session’s expiry past its absolute end', async () => {
    const a = await web.login('caiwu');
    const id = sha256Hex(a.cookies.get('gj_sid')!);
    const signedInAt = Date.now() - 11 * 3600_000;
    await web.db.em().nativeUpdate(Session, { id }, { createdAt: new Date(signedInAt), expiresAt: new Date(Date.now() + 60_000) });
    const res = await a.get('/finance/entries');
    expect(res.status).not.toBe(302);
    const row = await web.db.em().findOneOrFail(Session, { id });
    expect(row.expiresAt.getTime()).toBeLessThanOrEqual(signedInAt + 12 * 3600_000 + 1000);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('gj_sid='));
    if (cookie) expect(Number(/Max-Age=(\d+)/i.exec(cookie)?.[1])).toBeLessThanOrEqual(3600 + 5);
  });
});

describe('a password reset or deactivation', () => {
  async function tokenFor(agent: Agent, name: string): Promise<string> {
    const page = await (await agent.post('/account/tokens', { name })).text();
    return /data-testid="new-token">(gj_[A-Za-z0-9_-]+)</.exec(page)![1]!;
  }
  const me = (token: string) => web.request('/api/v1/me', { headers: { authorization: `Bearer ${token}` } });

  it('ends the user’s sessions and API tokens when an admin resets the password', async () => {
    const user = await web.login('cangku');
    const token = await tokenFor(user, 'warehouse script');
    expect((await me(token)).status).toBe(200);
    // A token made earlier still works until the reset: the rule is "before the reset", not "any old token".
    await new Promise((r) => setTimeout(r, 1100));
    const admin = await web.login('admin');
    const target = await web.db.em().findOneOrFail(User, { username: 'cangku' });
    expect((await admin.post(`/admin/users/${target.id}/password`, { password: 'new-password-42' })).status).toBe(200);
    expect((await user.get('/print')).status).toBe(302);
    expect((await me(token)).status).toBe(401);
    const row = await web.db.em().findOneOrFail(ApiToken, { name: 'warehouse script' });
    expect(row.revokedAt).not.toBeNull();
    // A token made with the new password works.
    await new Promise((r) => setTimeout(r, 1100));
    const again = await web.login('cangku', 'new-password-42');
    expect((await me(await tokenFor(again, 'after reset'))).status).toBe(200);
  });

  it('keeps a deactivated user’s old tokens dead after the account is activated again', async () => {
    const user = await web.login('chuna');
    const token = await tokenFor(user, 'cashier script');
    await new Promise((r) => setTimeout(r, 1100));
    const admin = await web.login('admin');
    const target = await web.db.em().findOneOrFail(User, { username: 'chuna' });
    await admin.post(`/admin/users/${target.id}/active`, { active: '0' });
    expect((await me(token)).status).toBe(401);
    expect((await user.get('/finance/entries')).status).toBe(302);
    await admin.post(`/admin/users/${target.id}/active`, { active: '1' });
    expect((await me(token)).status).toBe(401);
    expect((await web.login('chuna', PASSWORD)).cookies.has('gj_sid')).toBe(true);
  });
});
