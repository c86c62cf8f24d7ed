import { LoginAttempt, Session } from '../../db/entities';
import { loginFormToken, PASSWORD, startWebFixture, type WebFixture } from './web-fixture';

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
