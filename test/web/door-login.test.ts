import type { Hono } from 'hono';
import { createApp } from '../../api/app';
import { clientAddress } from '../../api/auth/client-address';
import { createLoginRateLimiter } from '../../api/auth/login-rate-limiter';
import { loadConfig } from '../../api/config';
import type { AppEnv } from '../../api/env';
import { createViews } from '../../api/views';
import { LoginAttempt, Session } from '../../db/entities';
import { createAgent, loginFormToken, PASSWORD, startWebFixture, type WebFixture } from './web-fixture';

let web: WebFixture;
beforeAll(async () => {
  web = await startWebFixture();
});
afterAll(() => web.close());

describe('the size of a sign-in', () => {
  it('refuses an oversized sign-in form before the password is tried or counted, even with the right password', async () => {
    const a = web.agent();
    const form = new URLSearchParams({ username: 'shendan', password: PASSWORD, _csrf: await loginFormToken(a), padding: 'x'.repeat(64 * 1024) });
    const cookie = [...a.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const attempts = await web.db.em().count(LoginAttempt, {});
    const sessions = await web.db.em().count(Session, {});
    const res = await web.request('/login', { method: 'POST', body: form, headers: { cookie } });
    expect(res.status).toBe(413);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('gj_sid='))).toBe(false);
    expect(await web.db.em().count(LoginAttempt, {})).toBe(attempts);
    expect(await web.db.em().count(Session, {})).toBe(sessions);
  });

  it('refuses an oversized sign-in sent without a length, as a stream', async () => {
    const a = web.agent();
    const token = await loginFormToken(a);
    const cookie = [...a.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const chunk = new TextEncoder().encode(`username=shendan&password=${PASSWORD}&_csrf=${token}&padding=`);
    const filler = new TextEncoder().encode('x'.repeat(16 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(chunk);
        else if (sent < 64) controller.enqueue(filler);
        else controller.close();
        sent += 1;
      },
    });
    const attempts = await web.db.em().count(LoginAttempt, {});
    const res = await web.request('/login', {
      method: 'POST',
      body,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await web.db.em().count(LoginAttempt, {})).toBe(attempts);
  });

  it('still signs in with an ordinary form', async () => {
    expect((await web.agent().post('/login', { username: 'shendan', password: PASSWORD, next: '/orders' })).status).toBe(303);
  });
});

describe('the client address behind proxies', () => {
  const fakeContext = (config: Record<string, unknown>, forwarded: string | undefined, socket = '10.9.9.9') =>
    ({ req: { header: (name: string) => (name.toLowerCase() === 'x-forwarded-for' ? forwarded : undefined) }, get: () => ({ config }), env: { incoming: { socket: { remoteAddress: socket } } } }) as never;

  it('believes no X-Forwarded-For by default: the address is the socket’s', () => {
    expect(clientAddress(fakeContext({}, '1.2.3.4'))).toBe('10.9.9.9');
  });

  it('takes the right-most address the trusted proxies added, never one the client wrote itself', () => {
    // The client wrote "6.6.6.6" itself; the one trusted proxy appended the address it saw.
    expect(clientAddress(fakeContext({ trustedProxyHops: 1 }, '6.6.6.6, 203.0.113.7'))).toBe('203.0.113.7');
    expect(clientAddress(fakeContext({ trustedProxyHops: 2 }, '6.6.6.6, 203.0.113.7, 10.0.0.2'))).toBe('203.0.113.7');
    expect(clientAddress(fakeContext({ trustedProxies: ['10.9.9.9', '10.0.0.2'] }, '6.6.6.6, 203.0.113.7, 10.0.0.2'))).toBe('203.0.113.7');
    // A proxy not on the list is the client as far as this site can tell.
    expect(clientAddress(fakeContext({ trustedProxies: ['10.0.0.2'] }, '6.6.6.6, 203.0.113.7'))).toBe('10.9.9.9');
    expect(clientAddress(fakeContext({ trustedProxyHops: 1 }, undefined))).toBe('10.9.9.9');
    expect(clientAddress(fakeContext({ trustedProxyHops: 1 }, 'not-an-address'))).toBe('10.9.9.9');
    expect(clientAddress(fakeContext({}, undefined, '::ffff:192.0.2.5'))).toBe('192.0.2.5');
  });

  it('reads the proxy settings from the environment and names a bad one', () => {
    expect(loadConfig({}).app).toMatchObject({ trustedProxyHops: 0, trustedProxies: [] });
    expect(loadConfig({ TRUSTED_PROXY_HOPS: '2', TRUSTED_PROXIES: '10.0.0.2, 10.0.0.3' }).app).toMatchObject({ trustedProxyHops: 2, trustedProxies: ['10.0.0.2', '10.0.0.3'] });
    expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.2, proxy.local' })).toThrow('TRUSTED_PROXIES: "proxy.local" is not an IP address');
  });
});

describe('the sign-in limit, per account and per address', () => {
  const viaProxy = () => {
    const config = { taskQueue: 'guanjia-web-test', baseUrl: 'http://127.0.0.1:3000', secureCookies: false, sessionHours: 12, temporalUiUrl: 'http://127.0.0.1:8233', trustedProxyHops: 1 };
    return createApp({ db: web.db, temporal: web.temporal, config }, { views: createViews() });
  };
  const signIn = (app: Hono<AppEnv>, username: string, password: string, address: string) =>
    createAgent(async (p, init) => app.request(p, init)).post('/login', { username, password }, { headers: { 'x-forwarded-for': address } });

  it('refuses a name that no account could have before looking it up, so accent and case variants are not fresh keys', async () => {
    const app = viaProxy();
    const before = await web.db.em().count(LoginAttempt, {});
    for (const name of ['ádmin', 'admın', 'ad min', 'ａｄｍｉｎ']) {
      const res = await signIn(app, name, PASSWORD, '10.20.0.1');
      expect([name, res.status]).toEqual([name, 401]);
      expect(await res.text()).toContain('用户名或密码错误');
    }
    expect(await web.db.em().count(LoginAttempt, {})).toBe(before);
  });

  it('counts failures on the account from every address, and slows the next guess rather than locking the name', async () => {
    let clock = Date.now();
    const limiter = createLoginRateLimiter({ db: web.db }, { now: () => clock });
    const app = createApp({ db: web.db, temporal: web.temporal, config: { taskQueue: 'guanjia-web-test', baseUrl: 'http://127.0.0.1:3000', secureCookies: false, sessionHours: 12, temporalUiUrl: '', trustedProxyHops: 1 } }, { views: createViews(), loginRateLimiter: limiter });
    // Five guessers, five addresses, two spellings of the name: one account.
    for (let i = 0; i < 5; i++) expect((await signIn(app, i % 2 ? 'KeFu' : 'kefu', `wrong-${i}-aa`, `10.21.0.${i}`)).status).toBe(401);
    const slowed = await signIn(app, 'kefu', PASSWORD, '10.21.1.1');
    expect(slowed.status).toBe(429);
    const wait = Number(slowed.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    // After the wait the real user gets in with the right password, from anywhere.
    clock += wait * 1000;
    expect((await signIn(app, 'kefu', PASSWORD, '10.21.1.1')).status).toBe(303);
  });

  it('makes each further wait longer while guessing goes on, up to a cap of minutes, not a lock-out', async () => {
    let clock = Date.now();
    const limiter = createLoginRateLimiter({ db: web.db }, { now: () => clock });
    const key = { account: 'user:9001', clientAddress: '10.22.0.1' };
    for (let i = 0; i < 5; i++) expect(await limiter.admit(key)).toEqual({ allowed: true });
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const refused = await limiter.admit(key);
      if (refused.allowed) throw new Error('a guess past the free ones was let straight through');
      waits.push(refused.retryAfterSeconds);
      clock += refused.retryAfterSeconds * 1000;
      expect(await limiter.admit(key)).toEqual({ allowed: true });
    }
    for (let i = 1; i < waits.length; i++) expect(waits[i]!).toBeGreaterThanOrEqual(waits[i - 1]!);
    expect(waits[waits.length - 1]!).toBeGreaterThan(waits[0]!);
    expect(Math.max(...waits)).toBeLessThanOrEqual(5 * 60);
  });

  it('slows one address guessing at many accounts, without slowing those accounts from elsewhere', async () => {
    const app = viaProxy();
    for (let i = 0; i < 20; i++) expect((await signIn(app, `ghost-${i}`, `spray-${i}-bb`, '10.23.0.1')).status).toBe(401);
    expect((await signIn(app, 'cangku', PASSWORD, '10.23.0.1')).status).toBe(429);
    expect((await signIn(app, 'cangku', PASSWORD, '10.23.0.2')).status).toBe(303);
  });

  it('lets an office behind one address sign in all morning: right passwords never slow the address', async () => {
    const app = viaProxy();
    for (let i = 0; i < 25; i++) expect((await signIn(app, i % 2 ? 'admin' : 'caiwu', PASSWORD, '10.25.0.1')).status).toBe(303);
  });

  it('keeps a rotating client address from resetting the account’s count', async () => {
    const app = viaProxy();
    for (let i = 0; i < 5; i++) expect((await signIn(app, 'chuna', `rotate-${i}-cc`, `10.24.${i}.1`)).status).toBe(401);
    expect((await signIn(app, 'chuna', `rotate-x-cc`, '10.24.99.1')).status).toBe(429);
  });
});
