/**
 * What reaches an order after intake, and what the order keeps: a buyer's change on the platform, oversized text,
 * a refused approval's edits, and read-model writes that race.
 */
import { randomBytes } from 'node:crypto';
import { createOrderActivities } from '../activities/order';
import { AuditEvent, Order, PlatformOrder, StockLevel } from '../db/entities';
import { draftFromTaobaoTrade } from '../domain/taobao';
import { initialSnapshot } from '../workflows/order-state';
import { shipUpdate } from '../workflows/messages';
import { orderSteps } from './helpers/order-steps';
import { actors, eventually, startStack, type Stack } from './helpers/stack';

let stack: Stack;
let steps: ReturnType<typeof orderSteps>;

beforeAll(async () => {
  stack = await startStack();
  steps = orderSteps(stack);
});
afterAll(async () => {
  await stack?.close();
});

const NEW_ADDRESS = { receiver_state: '浙江省', receiver_city: '杭州市', receiver_district: '西湖区', receiver_address: '文三路 90 号 新地址' };

function changeAddressOnPlatform(tid: string): void {
  const trade = stack.sandbox.getTrade(tid)!;
  Object.assign(trade, NEW_ADDRESS);
  steps.touch(trade);
}

async function audit(id: string, action: string): Promise<AuditEvent[]> {
  return stack.db.em().find(AuditEvent, { entityId: id, action }, { orderBy: { id: 'asc' } });
}

describe('a buyer who changes the order on the platform', () => {
  it('gets the new address on an order still in review, on the record', async () => {
    const { id, trade } = await steps.newOrder();
    const oldAddress = trade.receiver_address;
    changeAddressOnPlatform(trade.tid);
    await steps.pull();
    const row = await eventually(async () => {
      const o = await steps.orderRow(id);
      return o?.address === NEW_ADDRESS.receiver_address ? o : null;
    }, 'the new address on the order');
    expect(row).toMatchObject({ status: 'review', province: '浙江省', city: '杭州市' });
    expect(row.reviewReasons).toContain('平台上收货地址已修改');
    const [changed] = await audit(id, 'platform_changed');
    expect(changed?.before).toMatchObject({ receiver: { detail: oldAddress } });
    expect(changed?.after).toMatchObject({ receiver: { detail: NEW_ADDRESS.receiver_address } });
  });

  it('sends an approved, unprinted order back to review, giving back its stock and tracking number', async () => {
    const { id, trade } = await steps.newOrder();
    const approved = await steps.approve(id, { courierCode: 'ZTO' });
    expect(approved.status).toBe('ready_to_print');
    const sku = (await stack.db.em().find(Order, { id }))[0]!.mainSku;
    const reservedBefore = (await stack.db.em().findOneOrFail(StockLevel, { skuCode: sku, warehouseCode: 'MAIN' })).reserved;

    changeAddressOnPlatform(trade.tid);
    await steps.pull();
    const back = await steps.waitForStatus(id, ['review']);
    expect(back).toMatchObject({ waybillNo: '', address: NEW_ADDRESS.receiver_address, reviewedBy: '' });
    expect(stack.sandbox.state.waybills.find((w) => w.waybillCode === approved.waybillNo)?.cancelled).toBe(true);
    const reservedAfter = (await stack.db.em().fork().findOneOrFail(StockLevel, { skuCode: sku, warehouseCode: 'MAIN' })).reserved;
    expect(reservedAfter).toBeLessThan(reservedBefore);
    expect((await audit(id, 'send_back'))[0]?.reason).toContain('收货地址已修改，请重新审核');

    // Approved again, it gets a new number for the new address.
    const again = await steps.approve(id, { courierCode: 'ZTO' });
    expect(again).toMatchObject({ ok: true, status: 'ready_to_print' });
    expect(again.waybillNo).not.toBe(approved.waybillNo);
  });

  it('raises a loud alert on a printed order and refuses its scan until a supervisor releases it', async () => {
    const { id, trade } = await steps.newOrder();
    await steps.approve(id, { courierCode: 'EMS' });
    await steps.markPrinted(id);
    const oldAddress = trade.receiver_address;
    changeAddressOnPlatform(trade.tid);
    await steps.pull();
    const alerted = await eventually(async () => {
      const o = await steps.orderRow(id);
      return o?.alert.includes('买家在打印后修改了收货地址') ? o : null;
    }, 'the alert on the printed order');
    expect(alerted.status).toBe('printed');
    // The label was printed with the old address: the order keeps it until someone re-checks the parcel.
    expect(alerted.address).toBe(oldAddress);

    const handle = stack.client.workflow.getHandle(id);
    const scanned = await steps.barcodes(id);
    await expect(handle.executeUpdate(shipUpdate, { args: [{ actor: actors.warehouse, scannedBarcodes: scanned }] })).rejects.toThrow();
    expect((await steps.orderRow(id))?.status).toBe('printed');
    const released = await handle.executeUpdate(shipUpdate, { args: [{ actor: actors.admin, scannedBarcodes: scanned, override: { reason: '已拦截，改写新地址面单' } }] });
    expect(released).toMatchObject({ ok: true, status: 'shipped' });
    expect((await audit(id, 'ship_released'))[0]).toMatchObject({ actor: 'admin' });
  });
});

describe('text that does not fit', () => {
  it('cuts an oversized buyer message, memo and title to the columns and keeps the platform order verbatim', async () => {
    const [trade] = stack.sandbox.generateTrades(1, { from: new Date(Date.now() - 90_000), to: new Date(Date.now() - 61_000), status: 'WAIT_SELLER_SEND_GOODS' });
    const long = { ...trade!, buyer_message: '请尽快发货😀'.repeat(1_000), seller_memo: '备注'.repeat(3_000), receiver_address: '很长的地址'.repeat(200) };
    long.orders = { order: long.orders.order.map((o) => ({ ...o, title: '超长标题'.repeat(200) })) };
    const draft = draftFromTaobaoTrade(stack.shopCode, long, 'pull');
    await stack.intake.ingest([{ draft, raw: JSON.stringify(long) }]);
    const row = await steps.waitForStatus(draft.orderId, ['review', 'out_of_area']);
    expect(Array.from(row.buyerMessage)).toHaveLength(2_000);
    expect(row.buyerMessage.startsWith('请尽快发货😀')).toBe(true);
    expect(Array.from(row.address).length).toBeLessThanOrEqual(500);
    const raw = await stack.db.em().findOneOrFail(PlatformOrder, { shopCode: stack.shopCode, platformOrderNo: draft.platformOrderNo });
    expect(raw.raw).toContain(long.buyer_message);
  });
});

describe('an approval refused for short stock', () => {
  it('keeps the reviewer\'s edits on the order and on the record', async () => {
    const { id } = await steps.newOrder();
    const order = await stack.db.em().findOneOrFail(Order, { id });
    const level = await stack.db.em().findOneOrFail(StockLevel, { skuCode: order.mainSku, warehouseCode: 'MAIN' });
    await stack.db.em().nativeUpdate(StockLevel, { id: level.id }, { reserved: level.onHand });
    try {
      const r = await steps.approve(id, { sellerMemo: '送小样', receiver: { detail: '改过的地址 8 号' } });
      expect(r.ok).toBe(false);
      expect(r.message).toContain('库存不足');
      const [refused] = await audit(id, 'approve_refused');
      expect(refused).toMatchObject({ actor: 'shendan' });
      expect(refused!.before).toMatchObject({ sellerMemo: '' });
      expect(refused!.after).toMatchObject({ sellerMemo: '送小样', receiver: { detail: '改过的地址 8 号' } });
    } finally {
      await stack.db.em().nativeUpdate(StockLevel, { id: level.id }, { reserved: level.reserved });
    }
  });
});

describe('the read model', () => {
  it('never lets an older write overwrite a newer one, even when the two race', async () => {
    const { saveOrder } = createOrderActivities({ db: stack.db });
    for (let round = 0; round < 20; round++) {
      const no = randomBytes(4).toString('hex');
      const [trade] = stack.sandbox.generateTrades(1, { from: new Date(Date.now() - 90_000), to: new Date(Date.now() - 61_000) });
      const s0 = initialSnapshot(draftFromTaobaoTrade(`race${no}`, trade!, 'pull'));
      await saveOrder({ snapshot: { ...s0, version: 1 }, audit: [] });
      const older = () => saveOrder({ snapshot: { ...s0, version: 2, sellerMemo: 'older' }, audit: [] });
      const newer = () => saveOrder({ snapshot: { ...s0, version: 3, sellerMemo: 'newer' }, audit: [] });
      // Either may reach the database first; both orders are tried.
      await Promise.all(round % 2 ? [older(), newer()] : [newer(), older()]);
      // A late retry of the older write, after the newer one landed.
      await saveOrder({ snapshot: { ...s0, version: 2, sellerMemo: 'older' }, audit: [] });
      const row = await stack.db.em().fork().findOneOrFail(Order, { id: s0.id });
      expect({ round, version: row.version, memo: row.sellerMemo }).toEqual({ round, version: 3, memo: 'newer' });
    }
  });
});
