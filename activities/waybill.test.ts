import { ApplicationFailure } from '@temporalio/activity';
import { Waybill } from '../db/entities';
import { shopPullControl } from '../api/shop-pull-schedules';
import { NO_FAULTS } from '../integrations/sandbox/sandbox-faults';
import { startStack, type Stack } from '../test/helpers/stack';
import { createPlatformActivities } from './platform';
import { createWaybillActivities, type ReserveWaybillInput } from './waybill';

let stack: Stack;
let waybills: ReturnType<typeof createWaybillActivities>;
let platform: ReturnType<typeof createPlatformActivities>;

beforeAll(async () => {
  stack = await startStack({ seed: 31 });
  waybills = createWaybillActivities({ db: stack.db });
  platform = createPlatformActivities({ db: stack.db, intake: stack.intake, shopPulls: shopPullControl(stack.client) });
});
afterEach(() => stack.sandbox.setFaults(NO_FAULTS));
afterAll(async () => {
  await stack?.close();
});

/** The next answer of this TOP method is lost after the platform applied the call. */
const loseNextAnswer = (method: string) => stack.sandbox.setFaults({ loseNextAnswers: 1, methods: [method] });

/** What Temporal would see of a failed attempt: whether it retries it. */
async function failedAttempt(call: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await call.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

function reservation(tid: string, seq = 1): ReserveWaybillInput {
  const orderId = `order:${stack.shopCode}:${tid}`;
  return {
    key: `${orderId}:waybill:${seq}`,
    orderId,
    shopCode: stack.shopCode,
    platformOrderNo: tid,
    courierCode: 'ZTO',
    receiver: { name: '李雷', mobile: '13900000002', phone: '', province: '江苏省', city: '苏州市', district: '姑苏区', detail: '人民路 8 号', zip: '' },
    lines: [{ title: '保温杯', qty: 1 }],
  };
}

const sandboxNumbers = (tid: string) => stack.sandbox.state.waybills.filter((w) => w.tradeOrderList.includes(tid)).map((w) => w.waybillCode);

describe('waybill and shipment activities when the platform applied a call but its answer was lost', () => {
  it('takes one e-waybill number: the retried reservation gets the number the lost call took, recorded once', async () => {
    const [trade] = stack.sandbox.generateTrades(1, { status: 'WAIT_SELLER_SEND_GOODS' });
    const input = reservation(trade!.tid);
    loseNextAnswer('cainiao.waybill.ii.get');
    const lost = await failedAttempt(waybills.reserveWaybillNumber(input));
    expect([lost.type, lost.nonRetryable]).toEqual(['TopSystemError', false]);
    expect(sandboxNumbers(trade!.tid)).toHaveLength(1);
    expect(await stack.db.em().count(Waybill, { reservationKey: input.key })).toBe(0);

    const retried = await waybills.reserveWaybillNumber(input);
    expect(sandboxNumbers(trade!.tid)).toEqual([retried.waybillNo]);
    await expect(waybills.reserveWaybillNumber(input)).resolves.toEqual(retried);
    const rows = await stack.db.em().find(Waybill, { orderId: input.orderId });
    expect(rows.map((w) => [w.number, w.status, w.reservationKey])).toEqual([[retried.waybillNo, 'reserved', input.key]]);
  });

  it('gives a new reservation (a new key) the number the platform took for the last one whose answers were all lost', async () => {
    const [trade] = stack.sandbox.generateTrades(1, { status: 'WAIT_SELLER_SEND_GOODS' });
    // Every attempt of the first reservation lost its answer: the workflow gave up and staff reserve again.
    loseNextAnswer('cainiao.waybill.ii.get');
    await failedAttempt(waybills.reserveWaybillNumber(reservation(trade!.tid, 1)));
    stack.sandbox.setFaults(NO_FAULTS);
    const again = await waybills.reserveWaybillNumber(reservation(trade!.tid, 2));
    expect(sandboxNumbers(trade!.tid)).toEqual([again.waybillNo]);
  });

  it('gives an order a fresh number once its recorded one was cancelled (sent back, then reserved again)', async () => {
    const [trade] = stack.sandbox.generateTrades(1, { status: 'WAIT_SELLER_SEND_GOODS' });
    const first = await waybills.reserveWaybillNumber(reservation(trade!.tid, 1));
    await waybills.cancelWaybillNumber({ orderId: reservation(trade!.tid).orderId, shopCode: stack.shopCode, courierCode: 'ZTO', waybillNo: first.waybillNo });
    const second = await waybills.reserveWaybillNumber(reservation(trade!.tid, 2));
    expect(second.waybillNo).not.toBe(first.waybillNo);
    expect(sandboxNumbers(trade!.tid)).toEqual([first.waybillNo, second.waybillNo]);
    expect(stack.sandbox.state.waybills.filter((w) => w.tradeOrderList.includes(trade!.tid)).map((w) => w.cancelled)).toEqual([true, false]);
  });

  it('cancels an e-waybill once: the retried cancel after a lost answer is success and marks the number cancelled', async () => {
    const [trade] = stack.sandbox.generateTrades(1, { status: 'WAIT_SELLER_SEND_GOODS' });
    const input = reservation(trade!.tid);
    const { waybillNo } = await waybills.reserveWaybillNumber(input);
    const cancel = { orderId: input.orderId, shopCode: stack.shopCode, courierCode: 'ZTO', waybillNo };
    loseNextAnswer('cainiao.waybill.ii.cancel');
    expect((await failedAttempt(waybills.cancelWaybillNumber(cancel))).nonRetryable).toBe(false);
    const onPlatform = stack.sandbox.state.waybills.find((w) => w.waybillCode === waybillNo)!;
    expect(onPlatform.cancelled).toBe(true);
    const cancelledAt = onPlatform.cancelledAt;
    expect((await stack.db.em().findOneOrFail(Waybill, { number: waybillNo })).status).toBe('reserved');

    await waybills.cancelWaybillNumber(cancel);
    expect((await stack.db.em().findOneOrFail(Waybill, { number: waybillNo })).status).toBe('cancelled');
    expect(stack.sandbox.state.waybills.find((w) => w.waybillCode === waybillNo)!.cancelledAt).toBe(cancelledAt);
  });

  it('syncs a shipment once: the retried offline.send after a lost answer counts as already shipped', async () => {
    const [trade] = stack.sandbox.generateTrades(1, { status: 'WAIT_SELLER_SEND_GOODS' });
    const sync = { shopCode: stack.shopCode, platformOrderNo: trade!.tid, courierCode: 'ZTO', waybillNo: '731000007001' };
    loseNextAnswer('taobao.logistics.offline.send');
    expect((await failedAttempt(platform.syncShipment(sync))).nonRetryable).toBe(false);
    await expect(platform.syncShipment(sync)).resolves.toEqual({ alreadyShipped: true });
    expect(stack.sandbox.state.shipments.filter((s) => s.tid === trade!.tid).map((s) => s.outSid)).toEqual(['731000007001']);
  });

  it('fails for good a sync whose trade the lost call shipped with another tracking number', async () => {
    const [trade] = stack.sandbox.generateTrades(1, { status: 'WAIT_SELLER_SEND_GOODS' });
    const sync = { shopCode: stack.shopCode, platformOrderNo: trade!.tid, courierCode: 'ZTO', waybillNo: '731000007002' };
    loseNextAnswer('taobao.logistics.offline.send');
    await failedAttempt(platform.syncShipment(sync));
    const other = await failedAttempt(platform.syncShipment({ ...sync, waybillNo: '731000007003' }));
    expect([other.type, other.nonRetryable]).toEqual(['TopBusinessError', true]);
    expect(other.message).toContain('731000007002');
    expect(stack.sandbox.state.shipments.filter((s) => s.tid === trade!.tid)).toHaveLength(1);
  });
});
