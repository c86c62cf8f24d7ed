import { refundFactsFromTaobao } from '../../domain/platform-refund';
import { yuanToFen } from '../../domain/money';
import { taobaoTimeToIso } from '../../domain/taobao';
import { NO_FAULTS } from '../sandbox/sandbox-faults';
import { startSandboxFixture, type SandboxFixture } from '../sandbox/sandbox-fixture';
import type { SandboxTrade } from '../sandbox/sandbox-state';
import { REFUND_SUB_CODES } from './refund-sub-codes';
import { createTaobaoApi, isStaleRefundVersion, type AgreeRefundItem } from './taobao-api';
import type { TaobaoRefund } from './taobao-refund';
import type { TopClient } from './top-client';
import { TopError } from './top-error';

const HOUR = 3600_000;
const RETURN_TO = { name: '管家退货仓', mobile: '13800000000', address: '浙江省杭州市余杭区仓前街道 1 号', post: '311121' };

let clock = new Date('2026-06-01T02:00:00Z');
let sandbox: SandboxFixture;

beforeAll(async () => {
  sandbox = await startSandboxFixture({ seed: 'refunds', now: () => clock });
});
afterAll(() => sandbox.close());
afterEach(() => sandbox.platform.setFaults(NO_FAULTS));

const tick = (ms = 1_000): Date => (clock = new Date(clock.getTime() + ms));

async function failure(call: Promise<unknown>): Promise<TopError> {
  const err = await call.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(TopError);
  return err as TopError;
}

/** A paid trade; shipped through the real offline.send when asked. */
async function trade(shipped = false): Promise<SandboxTrade> {
  const [t] = sandbox.platform.generateTrades(1, { status: 'WAIT_SELLER_SEND_GOODS', from: clock, to: clock });
  if (shipped) await sandbox.api.offlineSend({ tid: t!.tid, companyCode: 'ZTO', outSid: `7310${t!.tid.slice(-8)}` });
  tick();
  return sandbox.platform.getTrade(t!.tid)!;
}

const item = (r: TaobaoRefund, amountFen = yuanToFen(r.refund_fee)): AgreeRefundItem => ({
  refundId: r.refund_id, amountFen, refundVersion: String(r.refund_version), phase: r.refund_phase === 'aftersale' ? 'aftersale' : 'onsale',
});
const paymentsOf = (refundId: string) => sandbox.platform.state.refundPayments.filter((p) => p.refund_id === refundId);

/** A client that counts what it sends, to see how agreeRefunds splits its calls. */
function recording(client: TopClient) {
  const calls: Array<{ method: string; params: Record<string, unknown> }> = [];
  const wrapped: TopClient = {
    call: (method, params = {}, options) => {
      calls.push({ method, params: { ...params } });
      return client.call(method, params, options);
    },
  };
  return { api: createTaobaoApi(wrapped), calls };
}

describe('pullRefunds', () => {
  /** One refund on each of `count` trades, asked `stepMs` apart from `start`. */
  async function askedApart(count: number, start: Date, stepMs: number): Promise<TaobaoRefund[]> {
    const asked: TaobaoRefund[] = [];
    for (let i = 0; i < count; i++) {
      const t = await trade();
      clock = new Date(start.getTime() + i * stepMs);
      asked.push(sandbox.platform.askRefund(t.tid, { oids: [t.orders.order[0]!.oid] })[0]!);
    }
    return asked;
  }

  it('finds every refund modified in a day, one page per window, each page within the page size', async () => {
    const start = tick(HOUR);
    const asked = (await askedApart(250, start, 7_000)).map((r) => r.refund_id);
    const end = tick(HOUR);
    const pages = [];
    for await (const page of sandbox.api.pullRefunds({ start, end, pageSize: 100 })) pages.push(page);
    const seen = pages.flatMap((p) => p.refunds.map((r) => r.refund_id));
    expect([...seen].sort()).toEqual([...asked].sort());
    expect(pages.every((p) => p.refunds.length <= 100 && p.windowDone && p.pageNo === 1)).toBe(true);
    expect(pages.map((p) => p.windowStart)).toEqual([...pages.map((p) => p.windowStart)].sort());
    expect(pages.at(-1)!.windowEnd).toBe(end.toISOString());
  });

  it('pages through one second that holds more refunds than a page, with has_next, and marks only the last page done', async () => {
    const at = tick(HOUR);
    const trades = sandbox.platform.generateTrades(150, { status: 'WAIT_SELLER_SEND_GOODS', from: new Date(at.getTime() - HOUR), to: at });
    const asked = trades.map((t) => sandbox.platform.askRefund(t.tid, { oids: [t.orders.order[0]!.oid] })[0]!.refund_id);
    const pages = [];
    for await (const page of sandbox.api.pullRefunds({ start: at, end: at, pageSize: 100 })) pages.push(page);
    expect(new Set(pages.flatMap((p) => p.refunds.map((r) => r.refund_id)))).toEqual(new Set(asked));
    expect(pages.map((p) => [p.pageNo, p.windowDone])).toEqual(pages.map((_, i) => [i + 1, i === pages.length - 1]));
    expect(pages.length).toBeGreaterThanOrEqual(2);
  });

  it('loses no refund when buyers change refunds while the pull reads them', async () => {
    const start = tick(HOUR);
    const asked = await askedApart(90, start, 20_000);
    const end = tick(HOUR);
    const seen = new Set<string>();
    const cancelled: string[] = [];
    for await (const page of sandbox.api.pullRefunds({ start, end, pageSize: 20 })) {
      page.refunds.forEach((r) => seen.add(r.refund_id));
      // The earliest refunds leave the window (modified = now), which would shift the rest forward under a page-by-page reader.
      if (cancelled.length < 3) cancelled.push(sandbox.platform.cancelRefund(asked[cancelled.length]!.refund_id).refund_id);
    }
    expect(asked.filter((r) => !seen.has(r.refund_id) && !cancelled.includes(r.refund_id))).toEqual([]);
  });
});

describe('a return, agreed and refunded', () => {
  it('agrees the return, sees the buyer\'s parcel, pays once, and counts a repeated agree as done', async () => {
    const t = await trade(true);
    const [asked] = sandbox.platform.askRefund(t.tid, { oids: [t.orders.order[0]!.oid], hasGoodReturn: true, reason: '尺码不合适' });
    const read = await sandbox.api.getRefund(asked!.refund_id);
    expect(refundFactsFromTaobao('tb', read)).toMatchObject({
      disputeType: 'REFUND_AND_RETURN', status: 'WAIT_SELLER_AGREE', hasGoodReturn: true,
      deadline: new Date(Date.parse(taobaoTimeToIso(read.created)) + 48 * HOUR).toISOString(),
    });
    tick();
    await expect(sandbox.api.agreeReturnGoods({ refundId: read.refund_id, refundVersion: String(read.refund_version), ...RETURN_TO }))
      .resolves.toEqual({ status: 'WAIT_BUYER_RETURN_GOODS', alreadyDone: false });
    expect(sandbox.platform.getRefund(read.refund_id)?.address).toContain('浙江省杭州市余杭区仓前街道 1 号');

    tick();
    sandbox.platform.sendReturnParcel(read.refund_id, { companyName: '中通快递', sid: '7550012345678' });
    const returned = await sandbox.api.getRefund(read.refund_id);
    expect(refundFactsFromTaobao('tb', returned)).toMatchObject({ status: 'WAIT_SELLER_CONFIRM_GOODS', returnCompany: '中通快递', returnWaybillNo: '7550012345678' });

    tick();
    const [paid] = await sandbox.api.agreeRefunds([item(returned)]);
    expect(paid).toEqual({ refundId: read.refund_id, ok: true, alreadyDone: false, staleVersion: false, status: 'SUCCESS', message: expect.any(String) });
    const [again] = await sandbox.api.agreeRefunds([item(returned)]);
    expect([again!.ok, again!.alreadyDone]).toEqual([true, true]);
    expect(paymentsOf(read.refund_id).map((p) => [p.amount_fen, p.by])).toEqual([[yuanToFen(read.refund_fee), 'seller']]);
    expect(sandbox.platform.getTrade(t.tid)?.orders.order[0]?.refund_status).toBe('SUCCESS');
  });

  it('refuses to agree a return for a refund without goods, and to agree the refund before the goods come back', async () => {
    const t = await trade(true);
    const [moneyOnly] = sandbox.platform.askRefund(t.tid, { oids: [t.orders.order[0]!.oid] });
    const err = await failure(sandbox.api.agreeReturnGoods({ refundId: moneyOnly!.refund_id, refundVersion: String(moneyOnly!.refund_version), ...RETURN_TO }));
    expect([err.subCode, err.retryable]).toEqual([REFUND_SUB_CODES.refundStatusForbids, false]);

    const t2 = await trade(true);
    const [ret] = sandbox.platform.askRefund(t2.tid, { oids: [t2.orders.order[0]!.oid], hasGoodReturn: true });
    await sandbox.api.agreeReturnGoods({ refundId: ret!.refund_id, refundVersion: String(ret!.refund_version), ...RETURN_TO });
    const waiting = await sandbox.api.getRefund(ret!.refund_id);
    const [early] = await sandbox.api.agreeRefunds([item(waiting)]);
    expect([early!.ok, early!.status, early!.staleVersion]).toEqual([false, 'WAIT_BUYER_RETURN_GOODS', false]);
    expect(early!.message).toContain('WAIT_BUYER_RETURN_GOODS');
    expect(paymentsOf(ret!.refund_id)).toEqual([]);
  });

  it('closes an unshipped trade whose every sub-order was refunded, paying what the buyer paid', async () => {
    const t = await trade();
    const refunds = sandbox.platform.askRefund(t.tid);
    const results = await sandbox.api.agreeRefunds(refunds.map((r) => item(r)));
    expect(results.every((r) => r.ok && !r.alreadyDone)).toBe(true);
    expect(sandbox.platform.getTrade(t.tid)?.status).toBe('TRADE_CLOSED');
    const paid = sandbox.platform.state.refundPayments.filter((p) => p.tid === t.tid).reduce((s, p) => s + p.amount_fen, 0);
    expect(paid).toBe(t.orders.order.reduce((s, o) => s + yuanToFen(o.payment), 0));
  });

  it('refuses to pay more than the buyer paid for the sub-order, paying nothing', async () => {
    const t = await trade();
    const [r] = sandbox.platform.askRefund(t.tid, { oids: [t.orders.order[0]!.oid] });
    const [over] = await sandbox.api.agreeRefunds([item(r!, yuanToFen(t.orders.order[0]!.payment) + 1)]);
    expect([over!.ok, over!.status]).toEqual([false, 'WAIT_SELLER_AGREE']);
    expect(over!.message).toContain('超过买家实付');
    expect(paymentsOf(r!.refund_id)).toEqual([]);
  });
});

describe('agreeRefunds batch limits', () => {
  it('agrees 21 refunds in two calls of at most 20 and pays each once', async () => {
    const refunds: TaobaoRefund[] = [];
    for (let i = 0; i < 21; i++) {
      const t = await trade();
      refunds.push(sandbox.platform.askRefund(t.tid, { oids: [t.orders.order[0]!.oid], amountFen: 100 })[0]!);
    }
    const { api, calls } = recording(sandbox.client);
    const results = await api.agreeRefunds(refunds.map((r) => item(r)));
    expect(results.map((r) => r.ok)).toEqual(refunds.map(() => true));
    const agreeCalls = calls.filter((c) => c.method === 'taobao.rp.refunds.agree').map((c) => String(c.params.refund_infos).split(',').length);
    expect(agreeCalls).toEqual([20, 1]);
    expect(refunds.map((r) => paymentsOf(r.refund_id).length)).toEqual(refunds.map(() => 1));
  });

  it('refuses an over-limit call made directly, paying nothing', async () => {
    const refunds: TaobaoRefund[] = [];
    for (let i = 0; i < 21; i++) {
      const t = await trade();
      refunds.push(sandbox.platform.askRefund(t.tid, { oids: [t.orders.order[0]!.oid], amountFen: 100 })[0]!);
    }
    const infos = (rs: TaobaoRefund[], fen: (r: TaobaoRefund) => number) => rs.map((r) => `${r.refund_id}|${fen(r)}|${String(r.refund_version)}|onsale`).join(',');
    const tooMany = await failure(sandbox.client.call('taobao.rp.refunds.agree', { refund_infos: infos(refunds, () => 100) }));
    expect([tooMany.subCode, tooMany.retryable]).toEqual([REFUND_SUB_CODES.refundAgreeLimit, false]);
    const tooMuch = await failure(sandbox.client.call('taobao.rp.refunds.agree', { refund_infos: infos(refunds.slice(0, 2), () => 300_001) }));
    expect(tooMuch.subMsg).toContain('6000');
    expect(refunds.flatMap((r) => paymentsOf(r.refund_id))).toEqual([]);
  });
});

describe('agreeRefunds above ¥6,000', () => {
  let big: SandboxFixture;
  beforeAll(async () => {
    big = await startSandboxFixture({ seed: 'big-refunds', catalogue: [{ outerSkuId: 'TV-65', title: '65 寸电视', priceFen: 350_000 }] });
  });
  afterAll(() => big.close());

  it('splits refunds worth more than ¥6,000 into calls of at most ¥6,000 each', async () => {
    const trades = big.platform.generateTrades(4, { status: 'WAIT_SELLER_SEND_GOODS' });
    const refunds = trades.map((t) => big.platform.askRefund(t.tid, { oids: [t.orders.order[0]!.oid], amountFen: 250_000 })[0]!);
    const { api, calls } = recording(big.client);
    const results = await api.agreeRefunds(refunds.map((r) => item(r)));
    expect(results.every((r) => r.ok)).toBe(true);
    const sums = calls
      .filter((c) => c.method === 'taobao.rp.refunds.agree')
      .map((c) => String(c.params.refund_infos).split(',').reduce((s, info) => s + Number(info.split('|')[1]), 0));
    expect(sums).toEqual([500_000, 500_000]);
    expect(big.platform.state.refundPayments.reduce((s, p) => s + p.amount_fen, 0)).toBe(1_000_000);
  });
});

describe('refund_version', () => {
  it('refuses a stale version: the item says so, nothing is paid, and the re-read version is agreed', async () => {
    const t = await trade(true);
    const [asked] = sandbox.platform.askRefund(t.tid, { oids: [t.orders.order[0]!.oid], hasGoodReturn: true });
    await sandbox.api.agreeReturnGoods({ refundId: asked!.refund_id, refundVersion: String(asked!.refund_version), ...RETURN_TO });
    const afterAgree = await sandbox.api.getRefund(asked!.refund_id);
    tick();
    sandbox.platform.sendReturnParcel(asked!.refund_id, { companyName: '韵达快递', sid: '4312345678901' });
    const [stale] = await sandbox.api.agreeRefunds([item(afterAgree)]);
    expect([stale!.ok, stale!.staleVersion, isStaleRefundVersion(stale)]).toEqual([false, true, true]);
    expect(paymentsOf(asked!.refund_id)).toEqual([]);
    const [fresh] = await sandbox.api.agreeRefunds([item(await sandbox.api.getRefund(asked!.refund_id))]);
    expect(fresh!.ok).toBe(true);
  });

  it('throws a TopError the caller recognises when a refusal or return agreement carries a stale version', async () => {
    const t = await trade(true);
    const [asked] = sandbox.platform.askRefund(t.tid, { oids: [t.orders.order[0]!.oid], hasGoodReturn: true });
    const err = await failure(sandbox.api.refuseRefund({ refundId: asked!.refund_id, refundVersion: '1', phase: 'onsale', reason: '商品已影响二次销售' }));
    expect([isStaleRefundVersion(err), err.retryable]).toEqual([true, false]);
    const err2 = await failure(sandbox.api.agreeReturnGoods({ refundId: asked!.refund_id, refundVersion: '1', ...RETURN_TO }));
    expect(isStaleRefundVersion(err2)).toBe(true);
    expect(sandbox.platform.getRefund(asked!.refund_id)?.status).toBe('WAIT_SELLER_AGREE');
  });
});

describe('refuseRefund', () => {
  it('refuses a shipped order\'s refund with a reason, and counts a repeat as done', async () => {
    const t = await trade(true);
    const [asked] = sandbox.platform.askRefund(t.tid, { oids: [t.orders.order[0]!.oid] });
    const input = { refundId: asked!.refund_id, refundVersion: String(asked!.refund_version), phase: 'onsale' as const, reason: '买家已签收，商品完好' };
    await expect(sandbox.api.refuseRefund(input)).resolves.toEqual({ status: 'SELLER_REFUSE_BUYER', alreadyDone: false });
    await expect(sandbox.api.refuseRefund(input)).resolves.toEqual({ status: 'SELLER_REFUSE_BUYER', alreadyDone: true });
    expect(sandbox.platform.getTrade(t.tid)?.orders.order[0]?.refund_status).toBe('SELLER_REFUSE_BUYER');
  });

  it('may not refuse the refund of an unshipped order, and refuses a one-letter reason before calling', async () => {
    const t = await trade();
    const [asked] = sandbox.platform.askRefund(t.tid, { oids: [t.orders.order[0]!.oid] });
    const input = { refundId: asked!.refund_id, refundVersion: String(asked!.refund_version), phase: 'onsale' as const, reason: '不同意退款' };
    const err = await failure(sandbox.api.refuseRefund(input));
    expect([err.subCode, err.subMsg]).toEqual([REFUND_SUB_CODES.refundStatusForbids, expect.stringContaining('未发货')]);
    await expect(sandbox.api.refuseRefund({ ...input, reason: '否' })).rejects.toThrow('2 到 200');
    expect(sandbox.platform.getRefund(asked!.refund_id)?.status).toBe('WAIT_SELLER_AGREE');
  });
});

describe('platform deadlines', () => {
  it('decides for the buyer when the seller lets a deadline pass, as Taobao does', async () => {
    const [moneyTrade, returnTrade, confirmTrade, buyerTrade] = [await trade(true), await trade(true), await trade(true), await trade(true)];
    const [money] = sandbox.platform.askRefund(moneyTrade.tid, { oids: [moneyTrade.orders.order[0]!.oid] });
    const [ret] = sandbox.platform.askRefund(returnTrade.tid, { oids: [returnTrade.orders.order[0]!.oid], hasGoodReturn: true });
    const [confirm] = sandbox.platform.askRefund(confirmTrade.tid, { oids: [confirmTrade.orders.order[0]!.oid], hasGoodReturn: true });
    const [buyer] = sandbox.platform.askRefund(buyerTrade.tid, { oids: [buyerTrade.orders.order[0]!.oid], hasGoodReturn: true });
    for (const r of [confirm!, buyer!]) await sandbox.api.agreeReturnGoods({ refundId: r.refund_id, refundVersion: String(r.refund_version), ...RETURN_TO });
    sandbox.platform.sendReturnParcel(confirm!.refund_id, { companyName: '圆通速递', sid: 'YT1234567890123' });

    tick(47 * HOUR);
    expect((await sandbox.api.getRefund(money!.refund_id)).status).toBe('WAIT_SELLER_AGREE');
    tick(2 * HOUR);
    expect((await sandbox.api.getRefund(money!.refund_id)).status).toBe('SUCCESS');
    expect(paymentsOf(money!.refund_id).map((p) => p.by)).toEqual(['timeout']);
    const agreed = await sandbox.api.getRefund(ret!.refund_id);
    expect([agreed.status, agreed.address]).toEqual(['WAIT_BUYER_RETURN_GOODS', expect.stringContaining('退货仓')]);

    tick(6 * 24 * HOUR);
    expect((await sandbox.api.getRefund(buyer!.refund_id)).status).toBe('CLOSED');
    expect((await sandbox.api.getRefund(confirm!.refund_id)).status).toBe('WAIT_SELLER_CONFIRM_GOODS');
    tick(2 * 24 * HOUR);
    expect((await sandbox.api.getRefund(confirm!.refund_id)).status).toBe('SUCCESS');
    expect(paymentsOf(confirm!.refund_id)).toHaveLength(1);
    expect(paymentsOf(buyer!.refund_id)).toEqual([]);
  });
});

describe('refund calls under faults', () => {
  it('pays once when the answer of rp.refunds.agree is lost and the call is repeated', async () => {
    const t = await trade();
    const [asked] = sandbox.platform.askRefund(t.tid, { oids: [t.orders.order[0]!.oid] });
    sandbox.platform.setFaults({ loseNextAnswers: 1, methods: ['taobao.rp.refunds.agree'] });
    expect(await failure(sandbox.api.agreeRefunds([item(asked!)]))).toMatchObject({ subCode: 'network', retryable: true });
    expect(paymentsOf(asked!.refund_id)).toHaveLength(1);
    const [retried] = await sandbox.api.agreeRefunds([item(asked!)]);
    expect([retried!.ok, retried!.alreadyDone]).toEqual([true, true]);
    expect(paymentsOf(asked!.refund_id)).toHaveLength(1);
  });

  it('counts a repeated return agreement as done after its answer was lost', async () => {
    const t = await trade(true);
    const [asked] = sandbox.platform.askRefund(t.tid, { oids: [t.orders.order[0]!.oid], hasGoodReturn: true });
    const input = { refundId: asked!.refund_id, refundVersion: String(asked!.refund_version), ...RETURN_TO };
    sandbox.platform.setFaults({ loseNextAnswers: 1, methods: ['taobao.rp.returngoods.agree'] });
    expect(await failure(sandbox.api.agreeReturnGoods(input))).toMatchObject({ retryable: true });
    await expect(sandbox.api.agreeReturnGoods(input)).resolves.toEqual({ status: 'WAIT_BUYER_RETURN_GOODS', alreadyDone: true });
  });

  it('fails the refund calls retryably while the platform errors, changing nothing', async () => {
    const t = await trade();
    const [asked] = sandbox.platform.askRefund(t.tid, { oids: [t.orders.order[0]!.oid] });
    sandbox.platform.setFaults({ failNextCalls: 1, methods: ['taobao.rp.refunds.agree'] });
    expect(await failure(sandbox.api.agreeRefunds([item(asked!)]))).toMatchObject({ subCode: 'isp.remote-service-error', retryable: true });
    expect(paymentsOf(asked!.refund_id)).toEqual([]);
    sandbox.platform.setFaults({ rateLimit: true, methods: ['taobao.refund.get'] });
    expect(await failure(sandbox.api.getRefund(asked!.refund_id))).toMatchObject({ rateLimited: true, retryable: true });
  });

  it('refuses bad input before calling the platform', async () => {
    const t = await trade();
    const [asked] = sandbox.platform.askRefund(t.tid, { oids: [t.orders.order[0]!.oid] });
    await expect(sandbox.api.agreeRefunds([{ ...item(asked!), amountFen: 12.5 }])).rejects.toThrow('正整数分');
    await expect(sandbox.api.agreeRefunds([item(asked!), item(asked!)])).rejects.toThrow('两次');
    await expect(sandbox.api.agreeRefunds([{ ...item(asked!), phase: 'later' as 'onsale' }])).rejects.toThrow('onsale 或 aftersale');
    await expect(sandbox.api.getRefund('abc')).rejects.toThrow('数字');
    expect(paymentsOf(asked!.refund_id)).toEqual([]);
  });
});
