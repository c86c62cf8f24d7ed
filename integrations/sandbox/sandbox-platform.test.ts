import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isoToTaobaoTime } from '../../domain/taobao';
import { signTopRequest } from '../taobao/sign';
import type { TaobaoRefund } from '../taobao/taobao-refund';
import { SANDBOX_DEMO_APP_KEY, SANDBOX_DEMO_APP_SECRET, SANDBOX_DEMO_CATALOGUE, SANDBOX_DEMO_SESSION_KEY } from './sandbox-demo-app';
import { startSandboxFixture, type SandboxFixture } from './sandbox-fixture';
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
