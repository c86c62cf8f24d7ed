/**
 * A case's timers over days, on the time-skipping test server: a return parcel that never comes is reminded after a
 * week and closes itself after fifteen days, and a platform refund warns a day before Taobao would decide for the buyer.
 */
import { AuditEvent } from '../db/entities';
import { PLATFORM_DEADLINE_WARNING_MS, platformCaseIds, RETURN_PARCEL_DAYS } from '../domain/after-sale';
import { caseDriver } from './helpers/case-driver';
import { orderDriver } from './helpers/order-driver';
import { startTimeSkippingStack, type TimeSkippingStack } from './helpers/time-skipping-stack';

const DAY = 24 * 3_600_000;

let stack: TimeSkippingStack;
let orders: ReturnType<typeof orderDriver>;
let cases: ReturnType<typeof caseDriver>;

beforeAll(async () => {
  stack = await startTimeSkippingStack();
  orders = orderDriver(stack);
  cases = caseDriver(stack);
});
afterAll(async () => {
  await stack?.close();
});

async function actions(caseNo: string): Promise<string[]> {
  return (await stack.db.em().fork().find(AuditEvent, { entityType: 'case', entityId: caseNo }, { orderBy: { id: 'asc' } })).map((a) => a.action);
}

// The deadline comes from the sandbox's own (real) clock: that test runs first, before time has been skipped ahead.
describe('a case waiting on the buyer', () => {
  it('warns a day before the platform would agree the refund for the buyer', async () => {
    const { id, trade } = await orders.shippedOrder();
    const [refund] = stack.sandbox.askRefund(trade.tid, { oids: [String(trade.orders.order[0]!.oid)] });
    await stack.intake.refunds.ingest(stack.shopCode, [refund!]);
    const { caseNo } = platformCaseIds(stack.shopCode, String(refund!.refund_id));
    const opened = await cases.waitForCase(caseNo, (c) => c.orderId === id, 'opened');
    const deadline = new Date(opened.platformRefund!.deadline!).getTime();
    expect(deadline).toBeGreaterThan(Date.now());

    await stack.env.sleep(deadline - PLATFORM_DEADLINE_WARNING_MS - Date.now() + 60_000);
    const warned = await cases.waitForCase(caseNo, (c) => c.deadlineWarned, 'the deadline warning', 10_000);
    expect(warned.alert).toContain('自动同意买家的退款');
    expect(await actions(caseNo)).toContain('deadline_warning');
  });

  it('reminds after a week without the return parcel and closes itself after fifteen days', async () => {
    const { id } = await orders.shippedOrder();
    const { caseNo, workflowId } = await cases.register(id, 'return');
    await cases.agree(workflowId);
    await cases.waitForStage(caseNo, 'awaiting_parcel');

    await stack.env.sleep(RETURN_PARCEL_DAYS.remind * DAY - 3_600_000);
    expect(await actions(caseNo)).not.toContain('remind');
    await stack.env.sleep(2 * 3_600_000);
    const reminded = await cases.waitForCase(caseNo, (c) => !!c.remindedAt, 'the reminder', 10_000);
    expect(reminded.alert).toContain('天未寄回退货');
    expect(reminded.stage).toBe('awaiting_parcel');

    await stack.env.sleep((RETURN_PARCEL_DAYS.close - RETURN_PARCEL_DAYS.remind) * DAY);
    const closed = await cases.waitForStage(caseNo, 'closed', 10_000);
    expect(closed.closedReason).toContain('自动关闭');
    expect(await actions(caseNo)).toEqual(['register', 'agree', 'remind', 'close']);
  });
});
