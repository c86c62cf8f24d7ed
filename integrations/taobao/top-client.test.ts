import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TaobaoTrade } from '../../domain/taobao';
import { SANDBOX_DEMO_APP_SECRET } from '../sandbox/sandbox-demo-app';
import { NO_FAULTS } from '../sandbox/sandbox-faults';
import { startSandboxFixture, type SandboxFixture } from '../sandbox/sandbox-fixture';
import { createTopClient } from './top-client';
import { TopError } from './top-error';

let sandbox: SandboxFixture;

beforeAll(async () => {
  sandbox = await startSandboxFixture({ seed: 'top-client' });
});
afterAll(() => sandbox.close());
afterEach(() => {
  sandbox.platform.setFaults(NO_FAULTS);
});

/** Runs the call and returns the TopError it must fail with. */
async function failure(call: Promise<unknown>): Promise<TopError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TopError);
  return err as TopError;
}

function fullinfo(tid: string) {
  return { fields: 'tid,status', tid };
}

describe('createTopClient against the sandbox gateway', () => {
  it('reads a trade with a correctly signed call, in each sign method', async () => {
    const [trade] = sandbox.platform.generateTrades(1);
    for (const signMethod of ['md5', 'hmac', 'hmac-sha256'] as const) {
      const res = await sandbox.clientWith({ signMethod }).call<{ trade: Partial<TaobaoTrade> }>('taobao.trade.fullinfo.get', fullinfo(trade!.tid));
      expect(res.trade).toEqual({ tid: trade!.tid, status: 'WAIT_SELLER_SEND_GOODS' });
    }
  });

  it('is refused with code 25 when signed with the wrong secret, and that is not worth retrying', async () => {
    const err = await failure(sandbox.clientWith({ appSecret: `${SANDBOX_DEMO_APP_SECRET}x` }).call('taobao.trade.fullinfo.get', fullinfo('1')));
    expect([err.code, err.msg, err.retryable]).toEqual(['25', 'Invalid Signature', false]);
  });

  it('is refused with code 31 when its clock is more than ten minutes off', async () => {
    const skewed = sandbox.clientWith({ now: () => new Date(Date.now() - 11 * 60_000) });
    const err = await failure(skewed.call('taobao.trade.fullinfo.get', fullinfo('1')));
    expect([err.code, err.retryable]).toEqual(['31', false]);
    const slightlyOff = sandbox.clientWith({ now: () => new Date(Date.now() - 9 * 60_000) });
    const [trade] = sandbox.platform.generateTrades(1);
    await expect(slightlyOff.call('taobao.trade.fullinfo.get', fullinfo(trade!.tid))).resolves.toHaveProperty('trade.tid', trade!.tid);
  });

  it('is refused with code 29 for an app key the platform does not know', async () => {
    const err = await failure(sandbox.clientWith({ appKey: '99999999' }).call('taobao.trade.fullinfo.get', fullinfo('1')));
    expect([err.code, err.msg, err.retryable]).toEqual(['29', 'Invalid App Key', false]);
  });

  it('is refused with code 27 for another seller\'s session and 22 for a method that does not exist', async () => {
    expect((await failure(sandbox.clientWith({ session: 'stolen' }).call('taobao.trade.fullinfo.get', fullinfo('1')))).code).toBe('27');
    expect((await failure(sandbox.client.call('taobao.trade.nonsense.get', {}))).code).toBe('22');
  });

  it('reports missing arguments as code 40 naming the argument', async () => {
    const err = await failure(sandbox.client.call('taobao.trade.fullinfo.get', { fields: 'tid' }));
    expect([err.code, err.msg, err.retryable]).toEqual(['40', 'Missing required arguments:tid', false]);
  });

  it('treats a business refusal (isv.*) as final', async () => {
    const err = await failure(sandbox.client.call('taobao.trade.fullinfo.get', fullinfo('1234567890123456789')));
    expect([err.code, err.subCode, err.retryable]).toEqual(['15', 'isv.trade-not-exist', false]);
  });

  it('treats a rate limit as retryable after the wait the gateway names', async () => {
    sandbox.platform.setFaults({ rateLimit: true });
    const err = await failure(sandbox.client.call('taobao.trade.fullinfo.get', fullinfo('1')));
    expect([err.code, err.subCode, err.retryable, err.rateLimited, err.retryAfterMs]).toEqual(['7', 'isv.call-limited', true, true, 1_000]);
  });

  it('treats a platform fault (isp.*) as retryable, and the next call goes through', async () => {
    const [trade] = sandbox.platform.generateTrades(1);
    sandbox.platform.setFaults({ failNextCalls: 1 });
    const err = await failure(sandbox.client.call('taobao.trade.fullinfo.get', fullinfo(trade!.tid)));
    expect([err.code, err.subCode, err.retryable]).toEqual(['15', 'isp.remote-service-error', true]);
    await expect(sandbox.client.call('taobao.trade.fullinfo.get', fullinfo(trade!.tid))).resolves.toHaveProperty('trade.tid', trade!.tid);
  });

  it('fails only the methods a fault is aimed at', async () => {
    const [trade] = sandbox.platform.generateTrades(1);
    sandbox.platform.setFaults({ errorRate: 1, methods: ['taobao.logistics.offline.send'] });
    await expect(sandbox.client.call('taobao.trade.fullinfo.get', fullinfo(trade!.tid))).resolves.toHaveProperty('trade.tid');
    const err = await failure(sandbox.client.call('taobao.logistics.offline.send', { tid: trade!.tid, company_code: 'ZTO', out_sid: '731234567890' }));
    expect(err.subCode).toBe('isp.remote-service-error');
    expect(sandbox.platform.state.shipments.filter((s) => s.tid === trade!.tid)).toEqual([]);
  });

  it('sees an outage as a retryable HTTP 503 and works again once the platform recovers', async () => {
    const [trade] = sandbox.platform.generateTrades(1);
    sandbox.platform.setFaults({ outage: true });
    const down = await failure(sandbox.client.call('taobao.trade.fullinfo.get', fullinfo(trade!.tid)));
    expect([down.code, down.subCode, down.httpStatus, down.retryable]).toEqual(['transport', 'http-503', 503, true]);
    sandbox.platform.setFaults({ outage: 'reset' });
    const dropped = await failure(sandbox.client.call('taobao.trade.fullinfo.get', fullinfo(trade!.tid)));
    expect([dropped.subCode, dropped.retryable]).toEqual(['network', true]);
    sandbox.platform.setFaults({ outage: false });
    await expect(sandbox.client.call('taobao.trade.fullinfo.get', fullinfo(trade!.tid))).resolves.toHaveProperty('trade.tid', trade!.tid);
  });

  it('gives up after its timeout and calls that retryable', async () => {
    sandbox.platform.setFaults({ latencyMs: 1_000 });
    const err = await failure(sandbox.clientWith({ timeoutMs: 200 }).call('taobao.trade.fullinfo.get', fullinfo('1')));
    expect([err.code, err.subCode, err.retryable]).toEqual(['transport', 'timeout', true]);
  });

  it('sees a closed port as a retryable network failure', async () => {
    const client = createTopClient({ url: 'http://127.0.0.1:9/router/rest', appKey: 'k', appSecret: 's', timeoutMs: 2_000 });
    const err = await failure(client.call('taobao.trade.fullinfo.get', fullinfo('1')));
    expect([err.code, err.subCode, err.retryable]).toEqual(['transport', 'network', true]);
  });
});

describe('createTopClient against a gateway that writes ids as JSON numbers', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    // The real gateway writes tid as a bare number past 2^53; JSON.parse alone would change its digits.
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(
        '{"trade_fullinfo_get_response":{"trade":{"tid":3912345678901234567,"buyer_message":"上一单:3912345678901234560,\\"谢谢\\"",' +
          '"payment":"12.50","orders":{"order":[{"oid":3912345678901234568,"num":2}]}},"request_id":"x"}}',
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/router/rest`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('keeps every digit of a 19-digit tid and oid, and leaves numbers inside text alone', async () => {
    const client = createTopClient({ url, appKey: 'k', appSecret: 's' });
    const res = await client.call<{ trade: { tid: string; buyer_message: string; orders: { order: Array<{ oid: string; num: number }> } } }>(
      'taobao.trade.fullinfo.get',
      fullinfo('1'),
    );
    expect(res.trade.tid).toBe('3912345678901234567');
    expect(res.trade.buyer_message).toBe('上一单:3912345678901234560,"谢谢"');
    expect(res.trade.orders.order[0]).toEqual({ oid: '3912345678901234568', num: 2 });
  });
});
