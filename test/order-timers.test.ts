/**
 * The order's timers over days, on the time-skipping test server: a shipment sync that fails for three days backs off
 * to at most 30 minutes between attempts and syncs once the platform answers, and the sync loop's continue-as-new
 * loses neither a "retry now" nor a "mark synced" sent around it.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { AuditEvent, Order } from '../db/entities';
import type { OrderSnapshot } from '../domain/order-snapshot';
import { markSyncedUpdate, retrySyncSignal } from '../workflows/messages';
import { orderDriver } from './helpers/order-driver';
import { actors } from './helpers/stack';
import { startTimeSkippingStack, type TimeSkippingStack } from './helpers/time-skipping-stack';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const MINUTE = 60_000;
const SYNC_FAULT = { errorRate: 1, methods: ['taobao.logistics.offline.send'] };

let stack: TimeSkippingStack;
let drive: ReturnType<typeof orderDriver>;

beforeAll(async () => {
  stack = await startTimeSkippingStack();
  drive = orderDriver(stack);
});
afterAll(async () => {
  await stack?.close();
});
afterEach(() => {
  stack?.sandbox.setFaults({ errorRate: 0, methods: null });
});

/** The events of every run of the workflow, oldest run first, following each continue-as-new to the next run. */
async function runs(id: string, firstRunId: string): Promise<HistoryEvent[][]> {
  const all: HistoryEvent[][] = [];
  for (let runId: string | null | undefined = firstRunId; runId; ) {
    const events: HistoryEvent[] = (await stack.client.workflow.getHandle(id, runId).fetchHistory()).events ?? [];
    all.push(events);
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
  }
  return all;
}

function timerMs(e: HistoryEvent): number {
  const d = e.timerStartedEventAttributes!.startToFireTimeout!;
  return Number(d.seconds ?? 0) * 1000 + Math.round((d.nanos ?? 0) / 1e6);
}

async function row(id: string): Promise<Order> {
  return stack.db.em().findOneOrFail(Order, { id });
}

async function auditActions(id: string): Promise<string[]> {
  return (await stack.db.em().find(AuditEvent, { entityId: id }, { orderBy: { id: 'asc' } })).map((a) => a.action);
}

/** Waits (in real time, time skipping stays locked) until the read model shows the attempt after `attempts`. */
function nextAttempt(id: string, attempts: number): Promise<Order> {
  return drive.waitForRow(id, (o) => o.syncAttempts > attempts, `sync attempt ${attempts + 1}`, 5_000);
}

describe('an order whose shipment sync keeps failing', () => {
  it('retries for three days with backoff growing to 30 minutes and no further, then syncs once the platform answers', async () => {
    stack.sandbox.setFaults(SYNC_FAULT);
    const { id, trade } = await drive.shippedOrder();
    const handle: WorkflowHandle = stack.client.workflow.getHandle(id);
    const firstRunId = (await handle.describe()).runId;
    const shippedAt = (await row(id)).shippedAt!.getTime();

    await stack.env.sleep('3 days');
    const now = await stack.env.currentTimeMs();
    const failing = await drive.waitForRow(id, (o) => !!o.syncNextAt && o.syncNextAt.getTime() > now, 'the next attempt to be planned');

    const history = await runs(id, firstRunId);
    const gaps = history.flat().filter((e) => e.timerStartedEventAttributes).map(timerMs);
    // One timer per failed attempt: 10 s doubling up to the cap, then the cap; the last one is still running.
    expect(gaps).toHaveLength(failing.syncAttempts);
    expect(gaps.slice(0, 9)).toEqual([10, 20, 40, 80, 160, 320, 640, 1280, 1800].map((s) => s * 1000));
    expect(gaps.slice(9).every((g) => g === 30 * MINUTE)).toBe(true);
    // As many attempts as the rule fits into the time since shipping (2,550 s of doubling, then one per half hour).
    let expected = 0;
    for (let t = 0; t <= now - shippedAt; t += Math.min(10_000 * 2 ** (expected - 1), 30 * MINUTE)) expected += 1;
    expect(failing.syncAttempts).toBe(expected);
    expect(failing).toMatchObject({ status: 'shipped', syncStatus: 'failing' });
    expect(failing.syncLastError).not.toBe('');
    expect(failing.syncNextAt!.getTime() - now).toBeLessThanOrEqual(30 * MINUTE);
    // So many attempts outgrow one history: the attempts count carried over into the next run.
    expect(history.length).toBeGreaterThan(1);
    expect(stack.sandbox.state.shipments.filter((s) => s.tid === trade.tid)).toHaveLength(0);

    stack.sandbox.setFaults({ errorRate: 0, methods: null });
    const done = (await handle.result()) as OrderSnapshot;
    expect(done).toMatchObject({ status: 'done', sync: { status: 'synced', attempts: failing.syncAttempts + 1 } });
    expect(await row(id)).toMatchObject({ status: 'done', syncStatus: 'synced', syncAttempts: failing.syncAttempts + 1 });
    expect(stack.sandbox.state.shipments.filter((s) => s.tid === trade.tid)).toEqual([expect.objectContaining({ outSid: done.waybillNo })]);
    expect((await auditActions(id)).filter((a) => a.startsWith('sync'))).toEqual(['sync_failed', 'sync']);
  });

  it('continues as new past the history limit without losing a "retry now" sent just before or a "mark synced" sent just after', async () => {
    stack.sandbox.setFaults(SYNC_FAULT);
    const { id, trade } = await drive.shippedOrder();
    const handle: WorkflowHandle = stack.client.workflow.getHandle(id);
    const firstRunId = (await handle.describe()).runId;

    // A day of timer-driven attempts grows the history part of the way; then staff press "retry now" again and
    // again, each press one more attempt, until the run continues as new. The last press is the one it happens after.
    await stack.env.sleep('1 day');
    let attempts = (await drive.waitForRow(id, (o) => o.syncAttempts > 40, 'a day of attempts')).syncAttempts;
    let presses = 0;
    while ((await handle.describe()).runId === firstRunId) {
      if (presses > 500) throw new Error('no continue-as-new after 500 more attempts');
      await handle.signal(retrySyncSignal, { actor: actors.warehouse });
      presses += 1;
      // A press that lands while the failed attempt is still being written is recorded but may not wake the loop
      // (the wake is reset after that write); staff would press again, and so does the test.
      const next = await nextAttempt(id, attempts).catch(() => null);
      if (next) attempts = next.syncAttempts;
    }
    const marked = await handle.executeUpdate(markSyncedUpdate, { args: [{ actor: actors.reviewer, reason: '平台一直报错，已在千牛后台手工发货' }] });
    expect(marked).toMatchObject({ ok: true, status: 'done' });
    const done = (await handle.result()) as OrderSnapshot;
    expect(done).toMatchObject({ status: 'done', sync: { status: 'synced' } });

    const [first, ...later] = await runs(id, firstRunId);
    expect(later).toHaveLength(1);
    // The run ended on a "retry now": after the last signal it tried no sync, it continued as new.
    const lastSignal = first!.findLastIndex((e) => e.workflowExecutionSignaledEventAttributes);
    const syncAfter = first!.slice(lastSignal).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'syncShipment');
    expect(first!.at(-1)!.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    expect(syncAfter).toHaveLength(0);

    const actions = await auditActions(id);
    expect(actions.filter((a) => a === 'sync_retry_requested')).toHaveLength(presses);
    expect(actions.filter((a) => a.startsWith('sync') && a !== 'sync_retry_requested')).toEqual(['sync_failed', 'sync_marked']);
    expect(await row(id)).toMatchObject({ status: 'done', syncStatus: 'synced' });
    expect(stack.sandbox.state.shipments.filter((s) => s.tid === trade.tid)).toHaveLength(0);
  });
});
