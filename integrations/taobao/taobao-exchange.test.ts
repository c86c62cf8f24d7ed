import { refundFactsFromTaobao } from '../../domain/platform-refund';
import { NO_FAULTS } from '../sandbox/sandbox-faults';
import { startSandboxFixture, type SandboxFixture } from '../sandbox/sandbox-fixture';
import type { SandboxTrade } from '../sandbox/sandbox-state';
import { REFUND_SUB_CODES } from './refund-sub-codes';
import { EXCHANGE_STATUSES } from './taobao-exchange';
import { TopError } from './top-error';

let clock = new Date('2026-07-01T02:00:00Z');
let sandbox: SandboxFixture;

beforeAll(async () => {
  sandbox = await startSandboxFixture({ seed: 'exchanges', now: () => clock });
});
afterAll(() => sandbox.close());
afterEach(() => sandbox.platform.setFaults(NO_FAULTS));

const tick = (ms = 1_000): Date => (clock = new Date(clock.getTime() + ms));
const RETURN_TO = { address: '浙江省杭州市余杭区仓前街道 1 号 管家退货仓', mobile: '13800000000', post: '311121' };

async function shippedTrade(): Promise<SandboxTrade> {
  const [t] = sandbox.platform.generateTrades(1, { status: 'WAIT_SELLER_SEND_GOODS', from: clock, to: clock });
  await sandbox.api.offlineSend({ tid: t!.tid, companyCode: 'ZTO', outSid: `7311${t!.tid.slice(-8)}` });
  tick();
  return sandbox.platform.getTrade(t!.tid)!;
}

async function failure(call: Promise<unknown>): Promise<TopError> {
  const err = await call.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(TopError);
  return err as TopError;
}

describe('Tmall exchanges', () => {
  it('takes an exchange from the buyer\'s request to the replacement received, and shows it as a TMALL_EXCHANGE refund', async () => {
    const trade = await shippedTrade();
    const oid = trade.orders.order[0]!.oid;
    const start = clock;
    const asked = sandbox.platform.askExchange(trade.tid, { oid, exchangeSku: '尺码:L;颜色:白', reason: '尺码偏小' });
    tick();

    const listed = await sandbox.api.getExchanges({ start, end: clock });
    expect(listed.map((e) => [e.dispute_id, e.biz_order_id, e.status, e.exchange_sku])).toEqual([[asked.dispute_id, oid, EXCHANGE_STATUSES[1], '尺码:L;颜色:白']]);
    const refunds = [];
    for await (const page of sandbox.api.pullRefunds({ start, end: clock })) refunds.push(...page.refunds);
    expect(refunds.map((r) => refundFactsFromTaobao('tm', r)).map((f) => [f.refundId, f.disputeType, f.status, f.refundFeeFen]))
      .toEqual([[asked.dispute_id, 'TMALL_EXCHANGE', 'WAIT_SELLER_AGREE', 0]]);

    await expect(sandbox.api.agreeExchange({ disputeId: asked.dispute_id, ...RETURN_TO })).resolves.toMatchObject({ status: EXCHANGE_STATUSES[2], alreadyDone: false });
    expect(sandbox.platform.getExchange(asked.dispute_id)?.address).toContain('管家退货仓');
    tick();
    sandbox.platform.sendExchangeReturnParcel(asked.dispute_id, { companyName: '中通快递', sid: '7550098765432' });
    await expect(sandbox.api.agreeExchangeReturnGoods({ disputeId: asked.dispute_id })).resolves.toMatchObject({ status: EXCHANGE_STATUSES[12] });
    tick();
    await expect(sandbox.api.consignExchangeGoods({ disputeId: asked.dispute_id, logisticsNo: '7550011112222', companyName: '中通快递' }))
      .resolves.toMatchObject({ status: EXCHANGE_STATUSES[13] });
    const sent = await sandbox.api.getExchange(asked.dispute_id);
    expect([sent.seller_logistic_no, sent.seller_logistic_name, sent.buyer_logistic_no]).toEqual(['7550011112222', '中通快递', '7550098765432']);

    sandbox.platform.confirmExchangeReceived(asked.dispute_id);
    expect((await sandbox.api.getExchange(asked.dispute_id)).status).toBe(EXCHANGE_STATUSES[5]);
    expect((await sandbox.api.getRefund(asked.dispute_id)).status).toBe('SUCCESS');
    expect(sandbox.platform.state.refundPayments.filter((p) => p.tid === trade.tid)).toEqual([]);
  });

  it('refuses a step out of order, and the refund calls on an exchange, changing nothing', async () => {
    const trade = await shippedTrade();
    const asked = sandbox.platform.askExchange(trade.tid, { oid: trade.orders.order[0]!.oid });
    const err = await failure(sandbox.api.consignExchangeGoods({ disputeId: asked.dispute_id, logisticsNo: '7550011113333', companyName: '中通快递' }));
    expect([err.subCode, err.retryable]).toEqual([REFUND_SUB_CODES.exchangeStatusForbids, false]);
    const twin = await sandbox.api.getRefund(asked.dispute_id);
    const [agreed] = await sandbox.api.agreeRefunds([{ refundId: twin.refund_id, amountFen: 100, refundVersion: String(twin.refund_version), phase: 'onsale' }]);
    expect([agreed!.ok, agreed!.message]).toEqual([false, expect.stringContaining('换货')]);
    expect((await sandbox.api.getExchange(asked.dispute_id)).status).toBe(EXCHANGE_STATUSES[1]);
  });

  it('counts a repeated agreement as done after its answer was lost', async () => {
    const trade = await shippedTrade();
    const asked = sandbox.platform.askExchange(trade.tid, { oid: trade.orders.order[0]!.oid });
    sandbox.platform.setFaults({ loseNextAnswers: 1, methods: ['tmall.exchange.agree'] });
    expect(await failure(sandbox.api.agreeExchange({ disputeId: asked.dispute_id, ...RETURN_TO }))).toMatchObject({ retryable: true });
    await expect(sandbox.api.agreeExchange({ disputeId: asked.dispute_id, ...RETURN_TO })).resolves.toMatchObject({ status: EXCHANGE_STATUSES[2], alreadyDone: true });
  });

  it('lists only the statuses asked for, and refuses an exchange of goods not yet shipped', async () => {
    const start = tick();
    const trade = await shippedTrade();
    const waiting = sandbox.platform.askExchange(trade.tid, { oid: trade.orders.order[0]!.oid });
    const other = await shippedTrade();
    const agreed = sandbox.platform.askExchange(other.tid, { oid: other.orders.order[0]!.oid });
    await sandbox.api.agreeExchange({ disputeId: agreed.dispute_id, ...RETURN_TO });
    tick();
    const onlyAgreed = await sandbox.api.getExchanges({ start, end: clock, statuses: [2] });
    expect(onlyAgreed.map((e) => e.dispute_id)).toEqual([agreed.dispute_id]);
    expect((await sandbox.api.getExchanges({ start, end: clock })).map((e) => e.dispute_id).sort()).toEqual([waiting.dispute_id, agreed.dispute_id].sort());

    const [unshipped] = sandbox.platform.generateTrades(1, { status: 'WAIT_SELLER_SEND_GOODS' });
    expect(() => sandbox.platform.askExchange(unshipped!.tid, { oid: unshipped!.orders.order[0]!.oid })).toThrow('尚未发货');
    expect(sandbox.platform.state.exchanges.filter((e) => e.tid === unshipped!.tid)).toEqual([]);
  });
});
