/**
 * The Temporal UI's codec endpoint: signed out it asks for sign-in, other roles are refused, an admin sees encrypted
 * payloads in clear, and every decode leaves an audit row; only the Temporal UI's origin may call it from a browser.
 */
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { guanjiaDataConverter } from '../../api/temporal/temporal-security';
import { AuditEvent } from '../../db/entities';
import { createApiToken } from '../api/api-client';
import { seedOrders, startWebFixture, type Agent, type WebFixture } from './web-fixture';

const UI_ORIGIN = 'http://127.0.0.1:8233';
const BUYER = { receiverName: '王小明', receiverMobile: '13812348000', address: '浙江省杭州市西湖区文三路 90 号' };

let web: WebFixture;

beforeAll(async () => {
  web = await startWebFixture();
});
afterAll(() => web?.close());

const wire = (payloads: Payload[]) => ({
  payloads: payloads.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(p.data ?? []).toString('base64'),
  })),
});

async function encrypted(value: unknown): Promise<Payload[]> {
  const [codec] = guanjiaDataConverter().payloadCodecs!;
  return codec!.encode([defaultPayloadConverter.toPayload(value)]);
}

function post(path: string, body: unknown, options: { agent?: Agent; origin?: string | null; contentType?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json', 'x-namespace': 'default' };
  if (options.origin !== null) headers.origin = options.origin ?? UI_ORIGIN;
  if (options.agent) headers.cookie = [...options.agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return web.request(path, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

const decodeAudits = () => web.db.em().find(AuditEvent, { action: 'temporal.decode' }, { orderBy: { id: 'asc' } });

describe('the codec endpoint for the Temporal UI', () => {
  it('asks a signed-out caller to sign in and refuses a reviewer, decoding nothing for either', async () => {
    const body = wire(await encrypted(BUYER));
    const signedOut = await post('/codec/decode', body);
    expect(signedOut.status).toBe(401);
    expect(await signedOut.text()).not.toContain(BUYER.receiverMobile);
    const reviewer = await web.login('shendan');
    const refused = await post('/codec/decode', body, { agent: reviewer });
    expect(refused.status).toBe(403);
    const text = await refused.text();
    expect(text).toContain('没有权限');
    expect(text).not.toContain(BUYER.receiverMobile);
    expect(await decodeAudits()).toEqual([]);
  });

  it('decodes for an admin, with CORS for the Temporal UI, and audits who decoded how many payloads', async () => {
    const admin = await web.login('admin');
    const payloads = [...(await encrypted(BUYER)), ...(await encrypted({ n: 2 }))];
    // What Temporal stores says nothing about the buyer.
    expect(JSON.stringify(wire(payloads))).not.toContain(Buffer.from(BUYER.receiverMobile).toString('base64'));
    expect(Buffer.from(payloads[0]!.metadata!.encoding!).toString()).toBe('binary/encrypted');
    const res = await post('/codec/decode', wire(payloads), { agent: admin });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    const answer = (await res.json()) as ReturnType<typeof wire>;
    expect(answer.payloads).toHaveLength(2);
    expect(Buffer.from(answer.payloads[0]!.metadata!.encoding!, 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(answer.payloads[0]!.data!, 'base64').toString())).toEqual(BUYER);
    const audits = await decodeAudits();
    expect(audits.map((a) => ({ actor: a.actor, after: a.after }))).toEqual([{ actor: 'admin', after: { payloads: 2, namespace: 'default', origin: UI_ORIGIN } }]);
  });

  it('lets the CLI decode with an admin’s personal API token, and no one else’s', async () => {
    const body = JSON.stringify(wire(await encrypted(BUYER)));
    const cli = (token: string) => web.request('/codec/decode', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
    const admin = await cli(await createApiToken(web.db, 'admin'));
    expect(admin.status).toBe(200);
    expect(JSON.stringify(await admin.json())).toContain(Buffer.from(JSON.stringify(BUYER)).toString('base64').slice(0, 20));
    expect((await cli(await createApiToken(web.db, 'kefu'))).status).toBe(403);
    expect((await cli('gj_notarealtokennotarealtoken')).status).toBe(401);
  });

  it('passes payloads written before the codec through unchanged', async () => {
    const admin = await web.login('admin');
    const plain = defaultPayloadConverter.toPayload({ old: true });
    const res = await post('/codec/decode', wire([plain]), { agent: admin });
    expect(res.status).toBe(200);
    expect(((await res.json()) as ReturnType<typeof wire>).payloads[0]!.data).toBe(Buffer.from(plain.data!).toString('base64'));
  });

  it('encodes for the UI so what it sends is encrypted like the rest', async () => {
    const admin = await web.login('admin');
    const res = await post('/codec/encode', wire([defaultPayloadConverter.toPayload(BUYER)]), { agent: admin });
    expect(res.status).toBe(200);
    const [p] = ((await res.json()) as ReturnType<typeof wire>).payloads;
    expect(Buffer.from(p!.metadata!.encoding!, 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(p!.data!, 'base64').toString('latin1')).not.toContain(BUYER.receiverMobile);
  });

  it('answers the UI’s preflight and refuses any other origin, before anything is decoded', async () => {
    const preflight = await web.request('/codec/decode', { method: 'OPTIONS', headers: { origin: UI_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/X-Namespace/);
    const evilPreflight = await web.request('/codec/decode', { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(evilPreflight.status).toBe(403);
    expect(evilPreflight.headers.get('access-control-allow-origin')).toBeNull();

    const admin = await web.login('admin');
    const before = (await decodeAudits()).length;
    const evil = await post('/codec/decode', wire(await encrypted(BUYER)), { agent: admin, origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(await evil.text()).not.toContain(BUYER.receiverMobile);
    // A form post (what a cross-site page could send without asking) is refused too.
    const form = await post('/codec/decode', 'payloads=x', { agent: admin, contentType: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect((await decodeAudits()).length).toBe(before);
  });

  it('links an order page to the Temporal UI for admins only', async () => {
    const [order] = await seedOrders(web.db, [{}]);
    const path = `/orders/${encodeURIComponent(order!.id)}`;
    const adminPage = await (await web.login('admin')).get(path);
    expect(adminPage.status).toBe(200);
    expect(await adminPage.text()).toContain(`http://127.0.0.1:8233/namespaces/default/workflows/${encodeURIComponent(order!.id)}`);
    for (const user of ['shendan', 'kefu', 'cangku']) {
      const page = await (await web.login(user)).get(path);
      expect({ user, status: page.status }).toEqual({ user, status: 200 });
      const html = await page.text();
      expect({ user, link: html.includes('127.0.0.1:8233') || html.includes('在 Temporal 中查看') }).toEqual({ user, link: false });
    }
  });

  it('says what is wrong with a malformed body and decodes nothing', async () => {
    const admin = await web.login('admin');
    const before = (await decodeAudits()).length;
    for (const body of ['not json', { payloads: 'x' }, { payloads: [{ data: '***' }] }]) {
      const res = await post('/codec/decode', body, { agent: admin });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toContain('payloads');
    }
    const foreign = await post('/codec/decode', { payloads: [{ metadata: { encoding: Buffer.from('binary/encrypted').toString('base64'), 'encryption-key-id': Buffer.from('nokey').toString('base64') }, data: 'AAAA' }] }, { agent: admin });
    expect(foreign.status).toBe(400);
    expect(((await foreign.json()) as { message: string }).message).toContain('nokey');
    expect((await decodeAudits()).length).toBe(before);
  });
});
