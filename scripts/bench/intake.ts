/**
 * Bench (a): sandbox trades pulled to review-ready, orders/s, beside the same server's rate for a bare
 * workflow started the same way (signal-with-start, same concurrency) running the same number of activities.
 * Bench (b): Temporal actions per order on the happy path, counted from the workflow histories.
 */
import { randomBytes } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { Order, OrderLine } from '../../db/entities';
import { orderWorkflowId } from '../../domain/order-draft';
import { actors, eventually, startStack, type Stack } from '../../test/helpers/stack';
import { printedSignal, reviewUpdate, shipUpdate } from '../../workflows/messages';
import { median } from './temporal-for-bench';

/** What an order does before it is review-ready: autoReview + saveOrder. */
const ACTIVITIES_TO_REVIEW = 2;

async function pullToReview(stack: Stack, trades: number): Promise<number> {
  const t0 = Date.now();
  // Trades changed in the last minute and a half: after the previous run's cursor, as a live shop's would be.
  const generated = stack.sandbox.generateTrades(trades, { from: new Date(t0 - 90_000), to: new Date(t0 - 10_000), status: 'WAIT_SELLER_SEND_GOODS' });
  await stack.client.workflow.execute('shopPullWorkflow', {
    taskQueue: stack.taskQueue, workflowId: `shop-pull:${stack.shopCode}:bench-${t0}`, args: [{ shopCode: stack.shopCode }],
  });
  const ids = generated.map((t) => orderWorkflowId(stack.shopCode, t.tid));
  await eventually(async () => (await stack.db.em().count(Order, { id: { $in: ids }, status: { $in: ['review', 'out_of_area'] } })) === ids.length, 'orders to reach review', 600_000);
  return (ids.length * 1000) / (Date.now() - t0);
}

async function bareRate(stack: Stack, count: number, concurrency: number): Promise<number> {
  const taskQueue = `bench-bare-${randomBytes(3).toString('hex')}`;
  let finished = 0;
  const worker = await Worker.create({
    taskQueue,
    workflowsPath: require.resolve('./bare-workflow'),
    activities: { step: async (n: number) => n + 1 },
    connection: stack.workers.workers[0]!.options.connection,
  } as Parameters<typeof Worker.create>[0]);
  const running = worker.run();
  const t0 = Date.now();
  let next = 0;
  const run = async () => {
    while (next < count) {
      const i = next++;
      const h = await stack.client.workflow.signalWithStart('bareWorkflow', {
        taskQueue, workflowId: `bare:${taskQueue}:${i}`, args: [{ activities: ACTIVITIES_TO_REVIEW }], signal: 'platformUpdate', signalArgs: [{}],
      });
      void h.result().then(() => finished++);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, run));
  await eventually(async () => finished === count, 'bare workflows to finish', 600_000);
  const rate = (count * 1000) / (Date.now() - t0);
  worker.shutdown();
  await running;
  return rate;
}

const BILLED = new Set([
  'WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_EXECUTION_SIGNALED', 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED', 'ACTIVITY_TASK_SCHEDULED',
  'TIMER_STARTED', 'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED', 'START_CHILD_WORKFLOW_EXECUTION_INITIATED', 'MARKER_RECORDED',
  'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES', 'WORKFLOW_PROPERTIES_MODIFIED', 'WORKFLOW_EXECUTION_CONTINUED_AS_NEW',
]);

/** Runs orders through approve → print → scan/ship → sync and counts the billable events in each history. */
async function actionsPerOrder(stack: Stack, orders: number): Promise<{ median: number; breakdown: Record<string, number> }> {
  const t0 = Date.now();
  const trades = stack.sandbox.generateTrades(orders, { from: new Date(t0 - 90_000), to: new Date(t0 - 10_000), status: 'WAIT_SELLER_SEND_GOODS' });
  await stack.client.workflow.execute('shopPullWorkflow', { taskQueue: stack.taskQueue, workflowId: `shop-pull:${stack.shopCode}:actions-${t0}`, args: [{ shopCode: stack.shopCode }] });
  const counts: number[] = [];
  let breakdown: Record<string, number> = {};
  for (const t of trades) {
    const id = orderWorkflowId(stack.shopCode, t.tid);
    const row = await eventually(async () => {
      const o = await stack.db.em().findOne(Order, { id });
      return o && ['review', 'out_of_area'].includes(o.status) ? o : null;
    }, 'review');
    const h = stack.client.workflow.getHandle(id);
    await h.executeUpdate(reviewUpdate, { args: [{ actor: actors.reviewer, expectedVersion: row.version, decision: 'approve', courierCode: 'EMS', warehouseCode: 'MAIN' }] });
    // The print batch's own workflow signals each order once; the signal is what the order pays for.
    await h.signal(printedSignal, { batchId: 'bench', actor: actors.warehouse, at: new Date().toISOString(), kinds: 'waybill' });
    await eventually(async () => (await stack.db.em().findOne(Order, { id }))?.status === 'printed', 'printed');
    const lines = await stack.db.em().find(OrderLine, { orderId: id });
    await h.executeUpdate(shipUpdate, { args: [{ actor: actors.warehouse, scannedBarcodes: lines.flatMap((l) => Array<string>(l.qty).fill(l.barcode)) }] });
    await h.result();
    const history = await h.fetchHistory();
    const byType: Record<string, number> = {};
    for (const e of history.events ?? []) {
      const name = (temporal.api.enums.v1.EventType[e.eventType ?? 0] ?? '').replace(/^EVENT_TYPE_/, '');
      if (BILLED.has(name)) byType[name] = (byType[name] ?? 0) + 1;
    }
    counts.push(Object.values(byType).reduce((a, b) => a + b, 0));
    breakdown = byType;
  }
  return { median: median(counts), breakdown };
}

export async function benchIntake(options: { trades: number; runs: number }): Promise<Record<string, unknown>> {
  const orderRates: number[] = [];
  const bareRates: number[] = [];
  const stack = await startStack({ seed: Date.now() % 100_000 });
  try {
    for (let r = 0; r < options.runs; r++) {
      // Alternate the two so drift on a noisy machine hits both alike.
      orderRates.push(await pullToReview(stack, options.trades));
      bareRates.push(await bareRate(stack, options.trades, 8));
      console.log(`  run ${r + 1}: orders ${orderRates.at(-1)!.toFixed(1)}/s, bare ${bareRates.at(-1)!.toFixed(1)}/s`);
    }
    const actions = await actionsPerOrder(stack, 10);
    const ratios = orderRates.map((o, i) => o / bareRates[i]!);
    return {
      ...(options.runs > 0 ? {
        intakeOrdersPerSec: Number(median(orderRates).toFixed(1)),
        bareWorkflowsPerSec: Number(median(bareRates).toFixed(1)),
        intakeRatio: Number(median(ratios).toFixed(2)),
      } : {}),
      actionsPerOrder: actions.median,
      actionBreakdown: actions.breakdown,
    };
  } finally {
    await stack.close();
  }
}
