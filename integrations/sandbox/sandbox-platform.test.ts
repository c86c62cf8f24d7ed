import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isoToTaobaoTime } from '../../domain/taobao';
import { signTopRequest } from '../taobao/sign';
import { createTopClient } from '../taobao/top-client';
import { TopError } from '../taobao/top-error';
import type { TaobaoRefund } from '../taobao/taobao-refund';
import { SANDBOX_DEMO_APP_KEY, SANDBOX_DEMO_APP_SECRET, SANDBOX_DEMO_CATALOGUE, SANDBOX_DEMO_SESSION_KEY } from './sandbox-demo-app';
import { startSandboxFixture, type SandboxFixture } from './sandbox-fixture';
import { NO_FAULTS } from './sandbox-faults';
import { createSandboxPlatform } from './sandbox-platform';
import type { SandboxShipment, SandboxTrade } from './sandbox-state';

const APPS = [{ appKey: SANDBOX_DEMO_APP_KEY, appSecret: SANDBOX_DEMO_APP_SECRET, sessionKey: SANDBOX_DEMO_SESSION_KEY }];

describe('sandbox platform over HTTP', () => {
  let sandbox: SandboxFixture;
  beforeAll(async () => {
    sandbox = await startSandboxFixture({ seed: 'platform' });
  });
  afterAll(() => sandbox.close());

  /** The admin answers' shapes, loosely: each route fills some of these. */
  interface AdminBody extends Partial<SandboxTrade> {
    trades: SandboxTrade[];
    trade: SandboxTrade;
    refunds: TaobaoRefund[];
    shipments: SandboxShipment[];
  }
  const admin = async (path: string, body?: unknown) => {
    const res = await fetch(`${sandbox.server.url}/admin${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as AdminBody };
  };

  it('answers a signed GET with everything in the query string', async () => {
    const [trade] = sandbox.platform.generateTrades(1);
    const params: Record<string, string> = {
      method: 'taobao.trade.fullinfo.get', app_key: SANDBOX_DEMO_APP_KEY, session: SANDBOX_DEMO_SESSION_KEY,
      timestamp: isoToTaobaoTime(new Date()), v: '2.0', format: 'json', sign_method: 'md5', fields: 'tid,receiver_state', tid: trade!.tid,
    };
    params.sign = signTopRequest(params, SANDBOX_DEMO_APP_SECRET, 'md5');
    const res = await fetch(`${sandbox.server.routerUrl}?${new URLSearchParams(params)}`);
    const body = (await res.json()) as { trade_fullinfo_get_response: { trade: unknown; request_id: string } };
    expect(body.trade_fullinfo_get_response.trade).toEqual({ tid: trade!.tid, receiver_state: trade!.receiver_state });
    expect(body.trade_fullinfo_get_response.request_id).toMatch(/^[0-9a-f]{12}$/);
  });

  it('lets a test place trades, ask a refund and close a trade through /admin', async () => {
    const generated = await admin('/trades/generate', { count: 3, status: 'WAIT_SELLER_SEND_GOODS' });
    const [a, b] = generated.body.trades;
    const refunded = await admin(`/trades/${a!.tid}/refund`, { reason: '不想要了' });
    expect(refunded.body.trade.orders.order.map((o) => o.refund_status)).toEqual(a!.orders.order.map(() => 'WAIT_SELLER_AGREE'));
    expect(refunded.body.refunds.map((r) => r.oid)).toEqual(a!.orders.order.map((o) => o.oid));
    expect((await admin(`/trades/${b!.tid}/close`, {})).body.trade.status).toBe('TRADE_CLOSED');
    expect((await admin(`/trades/${b!.tid}`)).body.status).toBe('TRADE_CLOSED');
    expect((await admin('/trades/1')).status).toBe(404);
    expect((await admin('/trades/generate', { count: 'many' })).status).toBe(400);
  });

  it('shows the shipments Guanjia reported at /admin/shipments', async () => {
    const [trade] = sandbox.platform.generateTrades(1, { status: 'WAIT_SELLER_SEND_GOODS' });
    await sandbox.api.offlineSend({ tid: trade!.tid, companyCode: 'EMS', outSid: '9800000000011' });
    const { body } = await admin(`/shipments?tid=${trade!.tid}`);
    expect(body.shipments).toEqual([{ tid: trade!.tid, companyCode: 'EMS', outSid: '9800000000011', at: expect.any(String) }]);
  });

  it('switches faults on and off through /admin/faults', async () => {
    const on = await admin('/faults', { rateLimit: true, methods: ['taobao.trade.fullinfo.get'] });
    expect(on.body).toMatchObject({ rateLimit: true, methods: ['taobao.trade.fullinfo.get'] });
    await expect(sandbox.api.getTrade('1')).rejects.toMatchObject({ code: '7', retryable: true });
    const off = await fetch(`${sandbox.server.url}/admin/faults`, { method: 'DELETE' });
    expect(await off.json()).toMatchObject({ rateLimit: false, methods: null });
    await expect(sandbox.api.getTrade('1')).rejects.toMatchObject({ subCode: 'isv.trade-not-exist' });
  });

  it('closes the trade once the only refund succeeds before shipment', () => {
    const [trade] = sandbox.platform.generateTrades(1, { status: 'WAIT_SELLER_SEND_GOODS' });
    sandbox.platform.refundTrade(trade!.tid);
    sandbox.platform.refundTrade(trade!.tid, { status: 'SUCCESS' });
    expect(sandbox.platform.getTrade(trade!.tid)?.status).toBe('TRADE_CLOSED');
    expect(sandbox.platform.state.refunds.filter((r) => r.tid === trade!.tid).map((r) => r.status)).toEqual(trade!.orders.order.map(() => 'SUCCESS'));
  });
});

describe('sandbox fault "applied, answer lost"', () => {
  let sandbox: SandboxFixture;
  beforeAll(async () => {
    sandbox = await startSandboxFixture({ seed: 'answer-lost' });
  });
  afterEach(() => sandbox.platform.setFaults(NO_FAULTS));
  afterAll(() => sandbox.close());

  const send = (tid: string, outSid: string) =>
    sandbox.client.call('taobao.logistics.offline.send', { tid, company_code: 'ZTO', out_sid: outSid });
  const failure = (call: Promise<unknown>) => call.then(() => { throw new Error('the call was answered'); }, (e: unknown) => e as TopError);

  it('ships the trade and then drops the connection, so the caller sees only a network failure', async () => {
    const [trade] = sandbox.platform.generateTrades(1, { status: 'WAIT_SELLER_SEND_GOODS' });
    const lostBefore = sandbox.platform.answersLost;
    sandbox.platform.setFaults({ loseNextAnswers: 1, methods: ['taobao.logistics.offline.send'] });
    const err = await failure(send(trade!.tid, '731000000101'));
    expect(err).toBeInstanceOf(TopError);
    expect([err.code, err.subCode, err.retryable]).toEqual(['transport', 'network', true]);
    expect(sandbox.platform.state.shipments.filter((s) => s.tid === trade!.tid).map((s) => s.outSid)).toEqual(['731000000101']);
    expect(sandbox.platform.getTrade(trade!.tid)?.status).toBe('WAIT_BUYER_CONFIRM_GOODS');
    expect(sandbox.platform.answersLost).toBe(lostBefore + 1);
    expect(sandbox.platform.faults.loseNextAnswers).toBe(0);
  });

  it('loses only the next N answers, and only of the methods named', async () => {
    const [a, b] = sandbox.platform.generateTrades(2, { status: 'WAIT_SELLER_SEND_GOODS' });
    sandbox.platform.setFaults({ loseNextAnswers: 1, methods: ['taobao.logistics.offline.send'] });
    await expect(sandbox.client.call('taobao.trade.fullinfo.get', { fields: 'tid', tid: a!.tid })).resolves.toEqual({ trade: { tid: a!.tid }, request_id: expect.any(String) });
    expect(sandbox.platform.faults.loseNextAnswers).toBe(1);
    await failure(send(a!.tid, '731000000102'));
    await expect(send(b!.tid, '731000000103')).resolves.toEqual({ shipping: { is_success: true }, request_id: expect.any(String) });
  });

  it('keeps the answer of a call that was refused, since it changed nothing', async () => {
    const [trade] = sandbox.platform.generateTrades(1, { status: 'WAIT_SELLER_SEND_GOODS' });
    sandbox.platform.closeTrade(trade!.tid);
    sandbox.platform.setFaults({ loseNextAnswers: 1 });
    const err = await failure(send(trade!.tid, '731000000104'));
    expect([err.subCode, err.retryable]).toEqual(['isv.logistics-offline-service-error:B01', false]);
    expect(sandbox.platform.faults.loseNextAnswers).toBe(1);
    expect(sandbox.platform.state.shipments.filter((s) => s.tid === trade!.tid)).toEqual([]);
  });

  it('loses a share of answers at answerLostRate, every applied call at rate 1 and none at rate 0', async () => {
    const trades = sandbox.platform.generateTrades(6, { status: 'WAIT_SELLER_SEND_GOODS' });
    sandbox.platform.setFaults({ answerLostRate: 1, methods: ['taobao.logistics.offline.send'] });
    const lost = await Promise.all(trades.slice(0, 3).map((t, i) => failure(send(t.tid, `73100000020${i}`))));
    expect(lost.map((e) => e.subCode)).toEqual(['network', 'network', 'network']);
    sandbox.platform.setFaults({ answerLostRate: 0 });
    await Promise.all(trades.slice(3).map((t, i) => send(t.tid, `73100000030${i}`)));
    expect(trades.map((t) => sandbox.platform.state.shipments.filter((s) => s.tid === t.tid).length)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('is switched through /admin/faults, which refuses a rate above 1 and changes nothing then', async () => {
    const post = (body: unknown) => fetch(`${sandbox.server.url}/admin/faults`, { method: 'POST', body: JSON.stringify(body) });
    const on = await post({ answerLostRate: 0.25, loseNextAnswers: 2, methods: ['cainiao.waybill.ii.get'] });
    expect(await on.json()).toMatchObject({ answerLostRate: 0.25, loseNextAnswers: 2, methods: ['cainiao.waybill.ii.get'] });
    expect((await post({ answerLostRate: 2 })).status).toBe(400);
    expect(sandbox.platform.faults).toMatchObject({ answerLostRate: 0.25, loseNextAnswers: 2 });
    const health = (await (await fetch(`${sandbox.server.url}/admin/health`)).json()) as { answersLost: number };
    expect(health.answersLost).toBe(sandbox.platform.answersLost);
  });
});

describe('sandbox platform clock and storage', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gj-sandbox-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('has an unpaid buyer pay later, with modified moved so the next pull sees the change', () => {
    let now = new Date('2026-07-01T08:00:00Z');
    const platform = createSandboxPlatform({ apps: APPS, catalogue: SANDBOX_DEMO_CATALOGUE, now: () => now });
    const [trade] = platform.generateTrades(1, { status: 'WAIT_BUYER_PAY' });
    expect(trade).toMatchObject({ status: 'WAIT_BUYER_PAY', modified: '2026-07-01 16:00:00' });
    expect(trade!.pay_time).toBeUndefined();
    now = new Date('2026-07-01T08:20:00Z');
    expect(platform.getTrade(trade!.tid)).toMatchObject({ status: 'WAIT_SELLER_SEND_GOODS', pay_time: '2026-07-01 16:20:00', modified: '2026-07-01 16:20:00' });
  });

  it('keeps its trades, shipments and id sequence across a restart when given a data file', async () => {
    const dataFile = join(dir, 'sandbox.json');
    const first = createSandboxPlatform({ apps: APPS, catalogue: SANDBOX_DEMO_CATALOGUE, dataFile, seed: 3 });
    const before = first.generateTrades(5, { status: 'WAIT_SELLER_SEND_GOODS' });
    const server = await first.listen(0);
    await server.close();
    expect(JSON.parse(readFileSync(dataFile, 'utf8')).state.trades).toHaveLength(5);

    const second = createSandboxPlatform({ apps: APPS, catalogue: SANDBOX_DEMO_CATALOGUE, dataFile, seed: 3 });
    expect(second.state.trades.map((t) => t.tid)).toEqual(before.map((t) => t.tid));
    const after = second.generateTrades(5);
    expect(after.some((t) => before.some((b) => b.tid === t.tid))).toBe(false);
    await second.shutdown();
  });

  it('has the change of a call whose answer is lost in its data file before the connection drops', async () => {
    const dataFile = join(dir, 'sandbox.json');
    const platform = createSandboxPlatform({ apps: APPS, catalogue: SANDBOX_DEMO_CATALOGUE, dataFile });
    const [trade] = platform.generateTrades(1, { status: 'WAIT_SELLER_SEND_GOODS' });
    const server = await platform.listen(0);
    const client = createTopClient({ url: server.routerUrl, appKey: SANDBOX_DEMO_APP_KEY, appSecret: SANDBOX_DEMO_APP_SECRET, session: SANDBOX_DEMO_SESSION_KEY });
    platform.setFaults({ loseNextAnswers: 1 });
    const err = await client.call('taobao.logistics.offline.send', { tid: trade!.tid, company_code: 'SF', out_sid: 'SF1000000000301' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ subCode: 'network' });
    // Read at once: the write-behind timer has not run, so only the flush before the drop can have put it there.
    const saved = JSON.parse(readFileSync(dataFile, 'utf8')) as { state: { shipments: SandboxShipment[] } };
    expect(saved.state.shipments.map((s) => [s.tid, s.outSid])).toEqual([[trade!.tid, 'SF1000000000301']]);
    await platform.shutdown();
  });

  it('writes changes to the data file shortly after they happen', async () => {
    const dataFile = join(dir, 'nested', 'sandbox.json');
    const platform = createSandboxPlatform({ apps: APPS, catalogue: SANDBOX_DEMO_CATALOGUE, dataFile });
    platform.generateTrades(2);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(JSON.parse(readFileSync(dataFile, 'utf8')).state.trades).toHaveLength(2);
    await platform.shutdown();
  });

  it('places trades on its own while listening at the configured rate, and stops when closed', async () => {
    const platform = createSandboxPlatform({ apps: APPS, catalogue: SANDBOX_DEMO_CATALOGUE, tradesPerMinute: 600 });
    const server = await platform.listen(0);
    await new Promise((resolve) => setTimeout(resolve, 2_300));
    await server.close();
    const placed = platform.state.trades.length;
    expect(placed).toBeGreaterThanOrEqual(10);
    expect(placed).toBeLessThanOrEqual(30);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(platform.state.trades.length).toBe(placed);
  });
});
