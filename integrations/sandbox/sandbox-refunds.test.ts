import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { yuanToFen } from '../../domain/money';
import { sandboxAdmin } from '../../scripts/drill/sandbox-admin';
import type { TaobaoRefund } from '../taobao/taobao-refund';
import { SANDBOX_DEMO_APP_KEY, SANDBOX_DEMO_APP_SECRET, SANDBOX_DEMO_CATALOGUE, SANDBOX_DEMO_SESSION_KEY } from './sandbox-demo-app';
import { startSandboxFixture, type SandboxFixture } from './sandbox-fixture';
import { createSandboxPlatform } from './sandbox-platform';
import type { SandboxExchange, SandboxRefundPayment, SandboxTrade } from './sandbox-state';

const APPS = [{ appKey: SANDBOX_DEMO_APP_KEY, appSecret: SANDBOX_DEMO_APP_SECRET, sessionKey: SANDBOX_DEMO_SESSION_KEY }];

interface AdminBody {
  error: string;
  trade: SandboxTrade;
  refunds: TaobaoRefund[];
  refund: TaobaoRefund;
  payments: SandboxRefundPayment[];
  totalFen: number;
  exchange: SandboxExchange;
  exchanges: SandboxExchange[];
}

describe('sandbox /admin: the buyer\'s side of refunds and exchanges', () => {
  let sandbox: SandboxFixture;
  beforeAll(async () => {
    sandbox = await startSandboxFixture({ seed: 'refund-admin' });
  });
  afterAll(() => sandbox.close());

  const admin = async (path: string, body?: unknown) => {
    const res = await fetch(`${sandbox.server.url}/admin${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as AdminBody & TaobaoRefund };
  };
  const shipped = async (): Promise<SandboxTrade> => {
    const trade = sandbox.platform.generateTrades(30, { status: 'WAIT_SELLER_SEND_GOODS' }).find((t) => t.orders.order.length >= 2)!;
    await sandbox.api.offlineSend({ tid: trade.tid, companyCode: 'SF', outSid: `SF1${trade.tid.slice(-12)}` });
    return trade;
  };

  it('asks a partial refund of one sub-order before shipment, which blocks only that sub-order', async () => {
    const trade = sandbox.platform.generateTrades(30, { status: 'WAIT_SELLER_SEND_GOODS' }).find((t) => t.orders.order.length >= 2)!;
    const [first, second] = trade.orders.order;
    const { status, body } = await admin(`/trades/${trade.tid}/refunds`, { oids: [first!.oid], amountFen: 100, reason: '少发了赠品' });
    expect(status).toBe(200);
    expect(body.refunds.map((r) => [r.oid, r.refund_fee, r.status, r.dispute_type, r.refund_phase, r.has_good_return])).toEqual([
      [first!.oid, '1.00', 'WAIT_SELLER_AGREE', 'REFUND', 'onsale', false],
    ]);
    expect(body.trade.orders.order.map((o) => o.refund_status)).toEqual(['WAIT_SELLER_AGREE', second!.refund_status, ...trade.orders.order.slice(2).map((o) => o.refund_status)]);
    expect((await admin(`/refunds/${body.refunds[0]!.refund_id}`)).body.refund_fee).toBe('1.00');
    expect((await admin(`/refunds?tid=${trade.tid}`)).body.refunds).toHaveLength(1);
  });

  it('refuses, changing nothing, a return of goods not shipped, a second open refund, more than was paid, and a malformed body', async () => {
    const [trade] = sandbox.platform.generateTrades(1, { status: 'WAIT_SELLER_SEND_GOODS' });
    const oid = trade!.orders.order[0]!.oid;
    const before = JSON.stringify(sandbox.platform.getTrade(trade!.tid));
    const goods = await admin(`/trades/${trade!.tid}/refunds`, { hasGoodReturn: true });
    expect([goods.status, goods.body.error]).toEqual([409, expect.stringContaining('尚未发货')]);
    const tooMuch = await admin(`/trades/${trade!.tid}/refunds`, { oids: [oid], amountFen: yuanToFen(trade!.orders.order[0]!.payment) + 1 });
    expect([tooMuch.status, tooMuch.body.error]).toEqual([409, expect.stringContaining('最多可退')]);
    expect((await admin(`/trades/${trade!.tid}/refunds`, { amountFen: -5 })).status).toBe(400);
    expect((await admin(`/trades/${trade!.tid}/refunds`, { disputeType: 'GIFT' })).status).toBe(400);
    expect(JSON.stringify(sandbox.platform.getTrade(trade!.tid))).toBe(before);
    expect(sandbox.platform.listRefunds(trade!.tid)).toEqual([]);

    await admin(`/trades/${trade!.tid}/refunds`, {});
    const twice = await admin(`/trades/${trade!.tid}/refunds`, { oids: [oid] });
    expect([twice.status, twice.body.error]).toEqual([409, expect.stringContaining('已有进行中的退款')]);
  });

  it('sends the return parcel, then cancels: the refund closes on the platform and on its sub-order', async () => {
    const trade = await shipped();
    const oid = trade.orders.order[0]!.oid;
    const { body } = await admin(`/trades/${trade.tid}/refunds`, { oids: [oid], hasGoodReturn: true });
    const refund = body.refunds[0]!;
    expect([refund.dispute_type, refund.good_status]).toEqual(['REFUND_AND_RETURN', 'BUYER_RECEIVED']);
    const early = await admin(`/refunds/${refund.refund_id}/return-parcel`, { companyName: '顺丰速运', sid: 'SF1400000000001' });
    expect([early.status, early.body.error]).toEqual([409, expect.stringContaining('WAIT_SELLER_AGREE')]);
    await sandbox.api.agreeReturnGoods({ refundId: refund.refund_id, refundVersion: String(refund.refund_version), name: '退货仓', mobile: '13800000000', address: '杭州市余杭区 1 号' });
    const sent = await admin(`/refunds/${refund.refund_id}/return-parcel`, { companyName: '顺丰速运', sid: 'SF1400000000001' });
    expect([sent.body.refund.status, sent.body.refund.sid, sent.body.refund.company_name, sent.body.refund.good_status])
      .toEqual(['WAIT_SELLER_CONFIRM_GOODS', 'SF1400000000001', '顺丰速运', 'BUYER_RETURNED_GOODS']);
    const cancelled = await admin(`/refunds/${refund.refund_id}/cancel`, {});
    expect(cancelled.body.refund.status).toBe('CLOSED');
    expect(sandbox.platform.getTrade(trade.tid)?.orders.order[0]?.refund_status).toBe('CLOSED');
    expect((await admin(`/refunds/${refund.refund_id}/cancel`, {})).status).toBe(409);
    expect((await admin('/refunds/1/cancel', {})).status).toBe(404);
  });

  it('shows each refund paid once at /admin/refund-payments', async () => {
    const [trade] = sandbox.platform.generateTrades(1, { status: 'WAIT_SELLER_SEND_GOODS' });
    const [refund] = sandbox.platform.askRefund(trade!.tid);
    await sandbox.api.agreeRefunds([{ refundId: refund!.refund_id, amountFen: yuanToFen(refund!.refund_fee), refundVersion: String(refund!.refund_version), phase: 'onsale' }]);
    const { body } = await admin(`/refund-payments?tid=${trade!.tid}`);
    expect(body.payments.map((p) => [p.refund_id, p.amount_fen, p.by])).toEqual([[refund!.refund_id, yuanToFen(refund!.refund_fee), 'seller']]);
    expect(body.totalFen).toBe(yuanToFen(refund!.refund_fee));
  });

  it('gives the drill the same buyer actions through its admin client', async () => {
    const drill = sandboxAdmin(sandbox.server.url);
    const trade = await shipped();
    const [refund] = await drill.askRefund(trade.tid, { oids: [trade.orders.order[0]!.oid], hasGoodReturn: true });
    await sandbox.api.agreeReturnGoods({ refundId: refund!.refund_id, refundVersion: String(refund!.refund_version), name: '退货仓', mobile: '13800000000', address: '杭州市余杭区 1 号' });
    expect((await drill.sendReturnParcel(refund!.refund_id, { companyName: '顺丰速运', sid: 'SF1400000000002' })).status).toBe('WAIT_SELLER_CONFIRM_GOODS');
    const returned = sandbox.platform.getRefund(refund!.refund_id)!;
    await sandbox.api.agreeRefunds([{ refundId: returned.refund_id, amountFen: yuanToFen(returned.refund_fee), refundVersion: String(returned.refund_version), phase: 'onsale' }]);
    expect((await drill.refundPayments(trade.tid)).map((p) => p.refund_id)).toEqual([refund!.refund_id]);
    expect((await drill.refunds(trade.tid)).map((r) => r.status)).toEqual(['SUCCESS']);
    const exchange = await drill.askExchange(trade.tid, { oid: trade.orders.order[1]!.oid });
    expect((await drill.cancelRefund(refund!.refund_id).catch((e: Error) => e.message))).toContain('409');
    expect(exchange.status).toBe('换货待处理');
  });

  it('asks, sends back and cancels a Tmall exchange through /admin', async () => {
    const trade = await shipped();
    const asked = await admin(`/trades/${trade.tid}/exchanges`, { oid: trade.orders.order[1]!.oid, exchangeSku: '颜色:黑', reason: '颜色不喜欢' });
    expect([asked.body.exchange.status, asked.body.exchange.exchange_sku, asked.body.refund.dispute_type]).toEqual(['换货待处理', '颜色:黑', 'TMALL_EXCHANGE']);
    const id = asked.body.exchange.dispute_id;
    expect((await admin(`/exchanges/${id}/return-parcel`, { companyName: '中通快递', sid: '7550000000009' })).status).toBe(409);
    expect((await admin(`/exchanges?tid=${trade.tid}`)).body.exchanges.map((e) => e.dispute_id)).toEqual([id]);
    expect((await admin(`/exchanges/${id}/cancel`, {})).body.exchange.status).toBe('换货关闭');
    expect((await admin(`/refunds/${id}`)).body.status).toBe('CLOSED');
    expect((await admin('/exchanges/1')).status).toBe(404);
  });
});

describe('sandbox refund snapshot', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gj-sandbox-refunds-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a snapshot written before refunds had versions, deadlines and payments, and keeps payments across a restart', async () => {
    const dataFile = join(dir, 'sandbox.json');
    const now = () => new Date('2026-08-01T02:00:00Z');
    const first = createSandboxPlatform({ apps: APPS, catalogue: SANDBOX_DEMO_CATALOGUE, dataFile, now });
    const [trade] = first.generateTrades(1, { status: 'WAIT_SELLER_SEND_GOODS' });
    const refunds = first.askRefund(trade!.tid);
    const refund = refunds[0];
    await first.shutdown();

    // Rewritten as the older sandbox saved it: no payments, no exchanges, refunds without the new fields.
    const saved = JSON.parse(readFileSync(dataFile, 'utf8')) as { state: Record<string, unknown> & { refunds: Array<Record<string, unknown>> } };
    delete saved.state.refundPayments;
    delete saved.state.exchanges;
    for (const r of saved.state.refunds) {
      for (const key of ['dispute_type', 'refund_phase', 'refund_version', 'refund_remind_timeout']) delete r[key];
    }
    writeFileSync(dataFile, JSON.stringify(saved));

    const second = createSandboxPlatform({ apps: APPS, catalogue: SANDBOX_DEMO_CATALOGUE, dataFile, now });
    const loaded = second.getRefund(refund!.refund_id)!;
    expect([loaded.dispute_type, loaded.refund_phase, loaded.refund_remind_timeout?.exist_timeout]).toEqual(['REFUND', 'onsale', true]);
    expect(Number(loaded.refund_version)).toBeGreaterThan(0);
    expect([second.state.refundPayments, second.state.exchanges]).toEqual([[], []]);
    second.refundTrade(trade!.tid, { status: 'SUCCESS' });
    await second.shutdown();

    const third = createSandboxPlatform({ apps: APPS, catalogue: SANDBOX_DEMO_CATALOGUE, dataFile, now });
    expect(third.state.refundPayments.map((p) => p.refund_id).sort()).toEqual(refunds.map((r) => r.refund_id).sort());
    third.refundTrade(trade!.tid, { status: 'SUCCESS' });
    expect(third.state.refundPayments).toHaveLength(refunds.length);
    await third.shutdown();
  });
});
