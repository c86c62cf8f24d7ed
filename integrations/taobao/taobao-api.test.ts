import { yuanToFen } from '../../domain/money';
import { draftFromTaobaoTrade, isoToTaobaoTime } from '../../domain/taobao';
import { NO_FAULTS } from '../sandbox/sandbox-faults';
import { startSandboxFixture, type SandboxFixture } from '../sandbox/sandbox-fixture';
import type { WaybillApplication } from './taobao-api';
import { TopError } from './top-error';

let sandbox: SandboxFixture;

beforeAll(async () => {
  sandbox = await startSandboxFixture({ seed: 'taobao-api' });
});
afterAll(() => sandbox.close());

async function failure(call: Promise<unknown>): Promise<TopError> {
  const err = await call.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(TopError);
  return err as TopError;
}

const HOUR = 3600_000;

describe('trades.sold.increment.get paging', () => {
  it('pages 250 trades with has_next, 100 at a time, in order of modification', async () => {
    const to = new Date('2026-03-02T04:00:00Z');
    sandbox.platform.generateTrades(250, { from: new Date(to.getTime() - HOUR), to, status: 'WAIT_SELLER_SEND_GOODS' });
    const range = { start_modified: isoToTaobaoTime(new Date(to.getTime() - HOUR)), end_modified: isoToTaobaoTime(to), fields: 'tid,modified' };
    const pages: Array<{ has_next: boolean; trades?: { trade: Array<{ tid: string; modified: string }> } }> = [];
    for (let pageNo = 1; pageNo <= 3; pageNo++) {
      pages.push(await sandbox.client.call('taobao.trades.sold.increment.get', { ...range, page_no: pageNo, page_size: 100, use_has_next: true }));
    }
    expect(pages.map((p) => [p.has_next, p.trades?.trade.length])).toEqual([[true, 100], [true, 100], [false, 50]]);
    const rows = pages.flatMap((p) => p.trades?.trade ?? []);
    expect(new Set(rows.map((r) => r.tid)).size).toBe(250);
    expect(rows.map((r) => r.modified)).toEqual([...rows.map((r) => r.modified)].sort());
    expect(Object.keys(rows[0]!)).toEqual(['tid', 'modified']);
  });

  it('refuses a window longer than one day with code 41', async () => {
    const err = await failure(sandbox.client.call('taobao.trades.sold.increment.get', {
      start_modified: '2026-03-01 00:00:00', end_modified: '2026-03-02 00:00:01',
    }));
    expect([err.code, err.subCode, err.retryable]).toEqual(['41', 'isv.invalid-parameter', false]);
    expect(err.subMsg).toContain('一天');
  });

  it('refuses a page size over 100', async () => {
    const err = await failure(sandbox.client.call('taobao.trades.sold.increment.get', {
      start_modified: '2026-03-01 00:00:00', end_modified: '2026-03-01 01:00:00', page_size: 101,
    }));
    expect([err.code, err.msg]).toEqual(['41', 'Invalid arguments:page_size']);
  });
});

describe('createTaobaoApi', () => {
  it('pulls a three-day range as one-day windows and finds every trade in it', async () => {
    const start = new Date('2026-04-01T00:00:00Z');
    const end = new Date(start.getTime() + 72 * HOUR);
    const placed = sandbox.platform.generateTrades(230, { from: start, to: end });
    const seen = new Map<string, number>();
    const windows = new Set<string>();
    for await (const page of sandbox.api.pullIncrement({ start, end, pageSize: 40 })) {
      windows.add(page.windowStart);
      for (const t of page.trades) seen.set(t.tid, (seen.get(t.tid) ?? 0) + 1);
    }
    expect(windows.size).toBe(3);
    expect([...seen.keys()].sort()).toEqual(placed.map((t) => t.tid).sort());
  });

  it('loses no trade when trades change while their pages are being read', async () => {
    const start = new Date('2026-05-01T00:00:00Z');
    const end = new Date(start.getTime() + 6 * HOUR);
    const placed = sandbox.platform.generateTrades(120, { from: start, to: end, status: 'WAIT_SELLER_SEND_GOODS' });
    const seen = new Set<string>();
    const closed: string[] = [];
    for await (const page of sandbox.api.pullIncrement({ start, end, pageSize: 20 })) {
      page.trades.forEach((t) => seen.add(t.tid));
      // Buyers close early trades mid-pull: those leave the window and every later row shifts forward.
      if (closed.length < 3) closed.push(sandbox.platform.closeTrade(placed[closed.length + 1]!.tid).tid);
    }
    expect(placed.filter((t) => !seen.has(t.tid) && !closed.includes(t.tid)).map((t) => t.tid)).toEqual([]);
    // The closed ones now carry a later modified time: the next pull, from where this one ended, has them.
    const later = new Set<string>();
    for await (const page of sandbox.api.pullIncrement({ start: end, end: new Date() })) page.trades.forEach((t) => later.add(t.tid));
    expect(closed.filter((tid) => !later.has(tid))).toEqual([]);
  });

  it('marks an empty window done so the pull cursor can move past it', async () => {
    const start = new Date('2020-01-01T00:00:00Z');
    const pages = [];
    for await (const page of sandbox.api.pullIncrement({ start, end: new Date(start.getTime() + HOUR) })) pages.push(page);
    expect(pages).toEqual([{ windowStart: start.toISOString(), windowEnd: '2020-01-01T01:00:00.000Z', pageNo: 1, trades: [], windowDone: true }]);
  });

  it('reads a trade whose money adds up once it becomes an order draft', async () => {
    const [placed] = sandbox.platform.generateTrades(1, { status: 'WAIT_SELLER_SEND_GOODS' });
    const trade = await sandbox.api.getTrade(placed!.tid);
    const draft = draftFromTaobaoTrade('tb-test', trade);
    expect(draft.platformOrderNo).toBe(placed!.tid);
    expect(draft.lines.map((l) => l.skuCode)).toEqual(placed!.orders.order.map((o) => o.outer_sku_id));
    expect(draft.paidFen).toBe(draft.lines.reduce((s, l) => s + l.amountFen, 0) + draft.postFen);
    expect(draft.goodsFen).toBe(yuanToFen(trade.total_fee));
  });

  describe('offlineSend', () => {
    it('records the shipment on the platform and moves the trade to WAIT_BUYER_CONFIRM_GOODS', async () => {
      const [trade] = sandbox.platform.generateTrades(1, { status: 'WAIT_SELLER_SEND_GOODS' });
      await expect(sandbox.api.offlineSend({ tid: trade!.tid, companyCode: 'ZTO', outSid: '731000000001' })).resolves.toEqual({ shipped: true, alreadyShipped: false });
      expect(sandbox.platform.state.shipments.filter((s) => s.tid === trade!.tid)).toEqual([
        { tid: trade!.tid, companyCode: 'ZTO', outSid: '731000000001', at: expect.any(String) },
      ]);
      const after = await sandbox.api.getTrade(trade!.tid);
      expect(after.status).toBe('WAIT_BUYER_CONFIRM_GOODS');
      expect(after.modified >= trade!.created).toBe(true);
    });

    it('counts a repeat with the same tracking number as done, and records it once', async () => {
      const [trade] = sandbox.platform.generateTrades(1, { status: 'WAIT_SELLER_SEND_GOODS' });
      const send = { tid: trade!.tid, companyCode: 'SF', outSid: 'SF1000000000002' };
      await sandbox.api.offlineSend(send);
      await expect(sandbox.api.offlineSend(send)).resolves.toEqual({ shipped: true, alreadyShipped: true });
      expect(sandbox.platform.state.shipments.filter((s) => s.tid === trade!.tid)).toHaveLength(1);
    });

    it('refuses a second tracking number for a shipped trade, naming the first', async () => {
      const [trade] = sandbox.platform.generateTrades(1, { status: 'WAIT_SELLER_SEND_GOODS' });
      await sandbox.api.offlineSend({ tid: trade!.tid, companyCode: 'ZTO', outSid: '731000000003' });
      const err = await failure(sandbox.api.offlineSend({ tid: trade!.tid, companyCode: 'ZTO', outSid: '731000000004' }));
      expect([err.subCode, err.retryable]).toEqual(['isv.logistics-offline-service-error:B04', false]);
      expect(err.subMsg).toContain('731000000003');
    });

    it('refuses a closed trade and a trade with a refund asked for, recording nothing', async () => {
      const [closed, refunded] = sandbox.platform.generateTrades(2, { status: 'WAIT_SELLER_SEND_GOODS' });
      sandbox.platform.closeTrade(closed!.tid);
      sandbox.platform.refundTrade(refunded!.tid);
      const closedErr = await failure(sandbox.api.offlineSend({ tid: closed!.tid, companyCode: 'ZTO', outSid: '731000000005' }));
      const refundErr = await failure(sandbox.api.offlineSend({ tid: refunded!.tid, companyCode: 'ZTO', outSid: '731000000006' }));
      expect([closedErr.subCode, closedErr.retryable]).toEqual(['isv.logistics-offline-service-error:B01', false]);
      expect([refundErr.subCode, refundErr.retryable]).toEqual(['isv.logistics-offline-service-error:B27', false]);
      expect(sandbox.platform.state.shipments.filter((s) => [closed!.tid, refunded!.tid].includes(s.tid))).toEqual([]);
    });

    it('ships a split order part by part', async () => {
      const trade = sandbox.platform.generateTrades(40, { status: 'WAIT_SELLER_SEND_GOODS' }).find((t) => t.orders.order.length >= 2)!;
      const [first, ...rest] = trade.orders.order.map((o) => o.oid);
      await sandbox.api.offlineSend({ tid: trade.tid, companyCode: 'YTO', outSid: 'YT1000000000007', oids: [first!] });
      expect((await sandbox.api.getTrade(trade.tid)).status).toBe('SELLER_CONSIGNED_PART');
      await sandbox.api.offlineSend({ tid: trade.tid, companyCode: 'YTO', outSid: 'YT1000000000008', oids: rest });
      expect((await sandbox.api.getTrade(trade.tid)).status).toBe('WAIT_BUYER_CONFIRM_GOODS');
      await expect(sandbox.api.offlineSend({ tid: trade.tid, companyCode: 'YTO', outSid: 'YT1000000000007', oids: [first!] })).resolves.toEqual({ shipped: true, alreadyShipped: true });
    });
  });

  it('reads the refunds buyers asked for, filtered by status', async () => {
    const [trade] = sandbox.platform.generateTrades(1, { status: 'WAIT_SELLER_SEND_GOODS' });
    sandbox.platform.refundTrade(trade!.tid, { reason: '拍错了' });
    const refunds = await sandbox.api.getRefunds({ status: 'WAIT_SELLER_AGREE' });
    const mine = refunds.filter((r) => r.tid === trade!.tid);
    expect(mine.map((r) => [r.oid, r.status, r.reason, r.refund_fee])).toEqual(
      trade!.orders.order.map((o) => [o.oid, 'WAIT_SELLER_AGREE', '拍错了', o.payment]),
    );
    expect((await sandbox.api.getTrade(trade!.tid)).orders.order.every((o) => o.refund_status === 'WAIT_SELLER_AGREE')).toBe(true);
  });

  describe('e-waybills', () => {
    const application = (tid: string, cpCode = 'ZTO', packageId?: string): WaybillApplication => ({
      cpCode,
      sender: { name: '管家仓', mobile: '13800000000', address: { province: '浙江省', city: '杭州市', district: '余杭区', detail: '仓前街道 1 号' } },
      parcels: [{
        objectId: `obj-${tid}`,
        tradeOrderList: [tid],
        packageId,
        items: [{ name: '马克杯', count: 1 }],
        recipient: { name: '阿依古丽', mobile: '13900000000', address: { province: '新疆维吾尔自治区', city: '乌鲁木齐市', district: '天山区', detail: '人民路 1 号' } },
      }],
    });

    it('gives another number to another request (object_id) for the same order', async () => {
      const first = application('5000000000000000009');
      const other = application('5000000000000000009');
      other.parcels[0]!.objectId = 'obj-second-reservation';
      const [a] = await sandbox.api.getWaybills(first);
      const [b] = await sandbox.api.getWaybills(other);
      expect(b!.waybillCode).not.toBe(a!.waybillCode);
      expect(b!.objectId).toBe('obj-second-reservation');
    });

    it('gives the same number when asked again for the same order and package, another for another package', async () => {
      const [first] = await sandbox.api.getWaybills(application('5000000000000000001'));
      const [again] = await sandbox.api.getWaybills(application('5000000000000000001'));
      const [second] = await sandbox.api.getWaybills(application('5000000000000000001', 'ZTO', '2'));
      expect(again!.waybillCode).toBe(first!.waybillCode);
      expect(second!.waybillCode).not.toBe(first!.waybillCode);
      expect(first!.objectId).toBe('obj-5000000000000000001');
      expect(JSON.parse(first!.printData)).toMatchObject({ data: { waybillCode: first!.waybillCode, recipient: { name: '阿依古丽' } } });
    });

    it('hands out unique numbers in each courier\'s format', async () => {
      const codes = await Promise.all(
        Array.from({ length: 30 }, (_, i) => sandbox.api.getWaybills(application(`51000000000000000${String(i).padStart(2, '0')}`, i % 2 ? 'SF' : 'ZTO'))),
      );
      const numbers = codes.map(([w]) => w!.waybillCode);
      expect(new Set(numbers).size).toBe(30);
      numbers.forEach((n, i) => expect(n).toMatch(i % 2 ? /^SF\d{13}$/ : /^7\d{11}$/));
    });

    it('cancels a number once, counts a repeat as done, refuses unknown numbers, and issues a fresh one afterwards', async () => {
      const [issued] = await sandbox.api.getWaybills(application('5200000000000000001', 'YUNDA'));
      await expect(sandbox.api.cancelWaybill({ cpCode: 'YUNDA', waybillCode: issued!.waybillCode })).resolves.toEqual({ cancelled: true, alreadyCancelled: false });
      await expect(sandbox.api.cancelWaybill({ cpCode: 'YUNDA', waybillCode: issued!.waybillCode })).resolves.toEqual({ cancelled: true, alreadyCancelled: true });
      const err = await failure(sandbox.api.cancelWaybill({ cpCode: 'YUNDA', waybillCode: '4300000000000' }));
      expect([err.subCode, err.retryable]).toEqual(['isv.waybill-not-exist', false]);
      const [fresh] = await sandbox.api.getWaybills(application('5200000000000000001', 'YUNDA'));
      expect(fresh!.waybillCode).not.toBe(issued!.waybillCode);
    });

    it('refuses to cancel a number a parcel has shipped with', async () => {
      const [trade] = sandbox.platform.generateTrades(1, { status: 'WAIT_SELLER_SEND_GOODS' });
      const [issued] = await sandbox.api.getWaybills(application(trade!.tid));
      await sandbox.api.offlineSend({ tid: trade!.tid, companyCode: 'ZTO', outSid: issued!.waybillCode });
      const err = await failure(sandbox.api.cancelWaybill({ cpCode: 'ZTO', waybillCode: issued!.waybillCode }));
      expect(err.subCode).toBe('isv.waybill-already-shipped');
    });

    it('refuses a request without a recipient phone as invalid arguments', async () => {
      const bad = application('5300000000000000001');
      bad.parcels[0]!.recipient.mobile = '';
      const err = await failure(sandbox.api.getWaybills(bad));
      expect([err.code, err.retryable]).toEqual(['41', false]);
    });
  });
});

describe('platform calls whose answer was lost', () => {
  afterEach(() => sandbox.platform.setFaults(NO_FAULTS));
  const loseNext = (method: string) => sandbox.platform.setFaults({ loseNextAnswers: 1, methods: [method] });
  const waybillRequest = (tid: string, objectId: string): WaybillApplication => ({
    cpCode: 'ZTO',
    sender: { name: '管家仓', mobile: '13800000000', address: { province: '浙江省', city: '杭州市', district: '余杭区', detail: '仓前街道 1 号' } },
    parcels: [{ objectId, tradeOrderList: [tid], recipient: { name: '王芳', mobile: '13900000001', address: { province: '江苏省', city: '南京市', district: '鼓楼区', detail: '中山路 1 号' } } }],
  });

  it('ships once: the retried offline.send finds its own tracking number and counts as done', async () => {
    const [trade] = sandbox.platform.generateTrades(1, { status: 'WAIT_SELLER_SEND_GOODS' });
    const send = { tid: trade!.tid, companyCode: 'ZTO', outSid: '731000000901' };
    loseNext('taobao.logistics.offline.send');
    expect(await failure(sandbox.api.offlineSend(send))).toMatchObject({ subCode: 'network', retryable: true });
    await expect(sandbox.api.offlineSend(send)).resolves.toEqual({ shipped: true, alreadyShipped: true });
    expect(sandbox.platform.state.shipments.filter((s) => s.tid === trade!.tid).map((s) => s.outSid)).toEqual(['731000000901']);
  });

  it('refuses, for good, a retry that carries another tracking number than the one the lost call shipped with', async () => {
    const [trade] = sandbox.platform.generateTrades(1, { status: 'WAIT_SELLER_SEND_GOODS' });
    loseNext('taobao.logistics.offline.send');
    await failure(sandbox.api.offlineSend({ tid: trade!.tid, companyCode: 'ZTO', outSid: '731000000902' }));
    const err = await failure(sandbox.api.offlineSend({ tid: trade!.tid, companyCode: 'ZTO', outSid: '731000000903' }));
    expect([err.subCode, err.retryable]).toEqual(['isv.logistics-offline-service-error:B04', false]);
    expect(err.subMsg).toContain('731000000902');
    expect(sandbox.platform.state.shipments.filter((s) => s.tid === trade!.tid)).toHaveLength(1);
  });

  it('takes one e-waybill number: the retried get with the same object_id returns the number the lost call took', async () => {
    const tid = '5400000000000000001';
    loseNext('cainiao.waybill.ii.get');
    expect(await failure(sandbox.api.getWaybills(waybillRequest(tid, `${tid}:waybill:1`)))).toMatchObject({ subCode: 'network' });
    const taken = sandbox.platform.state.waybills.filter((w) => w.tradeOrderList.includes(tid));
    expect(taken).toHaveLength(1);
    const [again] = await sandbox.api.getWaybills(waybillRequest(tid, `${tid}:waybill:1`));
    expect(again!.waybillCode).toBe(taken[0]!.waybillCode);
    expect(sandbox.platform.state.waybills.filter((w) => w.tradeOrderList.includes(tid))).toHaveLength(1);
  });

  it('cancels once: the retried cancel of the number the lost call cancelled is success', async () => {
    const [issued] = await sandbox.api.getWaybills(waybillRequest('5400000000000000002', 'obj-cancel-lost'));
    loseNext('cainiao.waybill.ii.cancel');
    expect(await failure(sandbox.api.cancelWaybill({ cpCode: 'ZTO', waybillCode: issued!.waybillCode }))).toMatchObject({ subCode: 'network' });
    const cancelled = sandbox.platform.state.waybills.find((w) => w.waybillCode === issued!.waybillCode)!;
    expect(cancelled.cancelled).toBe(true);
    const at = cancelled.cancelledAt;
    await expect(sandbox.api.cancelWaybill({ cpCode: 'ZTO', waybillCode: issued!.waybillCode })).resolves.toEqual({ cancelled: true, alreadyCancelled: true });
    expect(sandbox.platform.state.waybills.find((w) => w.waybillCode === issued!.waybillCode)!.cancelledAt).toBe(at);
  });
});
