/**
 * Failure text is as private as payloads: a courier that refuses an e-waybill quoting the buyer's phone and address
 * leaves neither in clear in the order's history as the Temporal server stores it (read without the codec, as the
 * Temporal UI or CLI would); the failure's message is an encrypted payload, which the project's converter reads
 * back; the workflow still gets the words (the order's alert) and the order page's timeline shows them to staff.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { decodeOptionalFailureToOptionalError, encodeErrorToFailure, loadDataConverter } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';
import { createApp } from '../api/app';
import type { AppDeps } from '../api/env';
import { guanjiaDataConverter } from '../api/temporal/temporal-security';
import { Shop } from '../db/entities';
import { DEMO_PASSWORD } from '../db/seeders/demo-data';
import { orderStateQuery } from '../workflows/messages';
import { orderSteps } from './helpers/order-steps';
import { startStack, type Stack } from './helpers/stack';
import { webDeps } from './helpers/web-deps';
import { loginAgent } from './web/web-fixture';

const WAYBILL_METHOD = 'cainiao.waybill.ii.get';

/**
 * The shop's TOP gateway as seen through a courier desk that refuses addresses: every call is passed to the sandbox,
 * except an e-waybill request while `refusal` is set, which gets the platform's business error with that text.
 */
async function refusingGateway(target: string): Promise<{ url: string; refusal: { text: string }; close(): Promise<void> }> {
  const refusal = { text: '' };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const method = new URLSearchParams(body).get('method') ?? new URL(req.url ?? '/', 'http://x').searchParams.get('method');
      if (method === WAYBILL_METHOD && refusal.text) {
        res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
        res.end(JSON.stringify({ error_response: { code: 15, msg: 'Remote service error', sub_code: 'isv.address-not-served', sub_msg: refusal.text, request_id: 'refuse1' } }));
        return;
      }
      fetch(target, { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded' }, body })
        .then(async (answer) => {
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
          res.end(await answer.text());
        })
        .catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/router/rest`, refusal, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

let stack: Stack;
let connection: Connection;
let raw: Client;
let gateway: Awaited<ReturnType<typeof refusingGateway>>;
const deps = {} as AppDeps;
const app = createApp(deps);

beforeAll(async () => {
  stack = await startStack({ realPasswords: true, seed: 43 });
  Object.assign(deps, webDeps(stack));
  connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  raw = new Client({ connection });
  gateway = await refusingGateway(stack.sandboxServer.routerUrl);
  const em = stack.db.em();
  const shop = await em.findOneOrFail(Shop, { code: stack.shopCode });
  shop.apiUrl = gateway.url;
  await em.flush();
}, 120_000);
afterAll(async () => {
  await gateway?.close();
  await connection?.close();
  await stack?.close();
});

describe('failure text in Temporal history', () => {
  it('keeps a courier refusal that quotes the buyer’s phone and address encrypted, and still shows staff its words', async () => {
    const steps = orderSteps(stack);
    const { id, trade } = await steps.newOrder();
    const mobile = trade.receiver_mobile ?? '';
    const address = trade.receiver_address ?? '';
    expect(mobile).toMatch(/^1\d{10}$/);
    expect(address.length).toBeGreaterThan(3);
    const words = `收件人电话 ${mobile}、地址 ${address} 不在派送范围`;
    gateway.refusal.text = words;

    // ZTO takes its numbers from the e-waybill desk, which refuses: the order waits with the reason.
    expect((await steps.approve(id, { courierCode: 'ZTO' })).ok).toBe(true);
    await steps.waitForStatus(id, ['waybill_pending']);
    // The workflow read the failure decoded (the worker decrypts before the workflow sees it).
    const state = await stack.client.workflow.getHandle(id).query(orderStateQuery);
    expect(state.alert).toContain('预约单号失败');
    expect(state.alert).toContain(mobile);

    // As the server stores it: no phone or address anywhere, and the failure says only that it is encoded.
    const history = await raw.workflow.getHandle(id).fetchHistory();
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    expect({ phoneInClear: bytes.includes(Buffer.from(mobile, 'utf8')), addressInClear: bytes.includes(Buffer.from(address, 'utf8')) }).toEqual({
      phoneInClear: false,
      addressInClear: false,
    });
    const failed = history.events!.find((e) => e.activityTaskFailedEventAttributes)?.activityTaskFailedEventAttributes?.failure;
    expect(failed).toBeDefined();
    expect(failed!.message).toBe('Encoded failure');
    expect(failed!.stackTrace ?? '').toBe('');
    expect(Buffer.from(failed!.encodedAttributes!.metadata!.encoding!).toString()).toBe('binary/encrypted');
    // A client without the codec cannot read it; the project's converter can.
    await expect(decodeOptionalFailureToOptionalError(loadDataConverter({}), failed)).rejects.toThrow(/binary\/encrypted/);
    const decoded = await decodeOptionalFailureToOptionalError(loadDataConverter(guanjiaDataConverter()), failed);
    // The decrypted message holds the phone the byte search above did not find, so its silence means something.
    expect(decoded?.message).toContain(words);
    expect(decoded?.stack ?? '').toContain('activities/waybill');

    // The order page's timeline shows staff the courier's words.
    const admin = await loginAgent(async (path, init) => app.request(path, init), 'admin', DEMO_PASSWORD);
    const page = await (await admin.get(`/orders/${encodeURIComponent(id)}`)).text();
    expect(page).toContain('ActivityTaskFailed');
    expect(page).toContain(words);
    expect(page).not.toContain('Encoded failure');

    // Customer service, who may not see buyers' data, reads the same refusal with the phone and address masked.
    const kefu = await loginAgent(async (path, init) => app.request(path, init), 'kefu', DEMO_PASSWORD);
    const masked = await (await kefu.get(`/orders/${encodeURIComponent(id)}`)).text();
    expect(masked).toContain('预约单号失败');
    expect(masked).toContain(`${mobile.slice(0, 3)}****${mobile.slice(-4)}`);
    expect({ phoneShown: masked.includes(mobile), addressShown: masked.includes(address) }).toEqual({ phoneShown: false, addressShown: false });
  });

  it('reads a failure recorded in clear before the change as it was', async () => {
    const before = loadDataConverter({});
    const clear = await encodeErrorToFailure(before, ApplicationFailure.nonRetryable('快递 ZTO 不存在或已停用', 'UnknownCourier'));
    expect(clear.encodedAttributes).toBeFalsy();
    const now = loadDataConverter(guanjiaDataConverter());
    expect((await decodeOptionalFailureToOptionalError(now, clear))?.message).toBe('快递 ZTO 不存在或已停用');
    // And what is written now is encoded, and read back the same.
    const sealed = await encodeErrorToFailure(now, ApplicationFailure.nonRetryable('快递 ZTO 不存在或已停用', 'UnknownCourier'));
    expect(sealed.message).toBe('Encoded failure');
    expect((await decodeOptionalFailureToOptionalError(now, sealed))?.message).toBe('快递 ZTO 不存在或已停用');
  });
});
