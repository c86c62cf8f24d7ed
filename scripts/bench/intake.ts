/**
 * Bench (a): sandbox trades pulled to review-ready, orders/s, beside the same server's rate for a bare workflow
 * started the same way (signal-with-start, same concurrency) that runs the order's own first two activities on
 * the same drafts; both clocks stop on the same condition, every order row written as waiting for review.
 * Bench (b): Temporal actions per order on the happy path, counted from the workflow histories, with the order's
 * share of its print batch's own actions.
 */
import { randomBytes } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { createOrderActivities } from '../../activities/order';
import { guanjiaDataConverter } from '../../api/temporal/temporal-security';
import { Order, OrderLine, Shop } from '../../db/entities';
import { orderWorkflowId } from '../../domain/order-draft';
import type { OrderStatus } from '../../domain/order-status';
import { draftFromTaobaoTrade, taobaoTimeToIso } from '../../domain/taobao';
import type { SandboxTrade } from '../../integrations/sandbox/sandbox-state';
import { actors, eventually, startStack, type Stack } from '../../test/helpers/stack';
import { reviewUpdate, shipUpdate, type PrintBatchInput, type PrintBatchResult } from '../../workflows/messages';
import { median } from './stats';

/** How far before its cursor a pull starts reading (PULL_OVERLAP_MS in activities/platform.ts). */
const PULL_OVERLAP_MS = 2 * 60_000;
/** Intake's and the bare starter's concurrency (createOrderIntake's default). */
const CONCURRENCY = 8;

const REVIEW_READY: OrderStatus[] = ['review', 'out_of_area'];

/**
 * Places `count` trades on the sandbox after every trade placed before, and sets the shop's cursor so that the
 * next pull's window (cursor − overlap … now − 5 s) starts right after those earlier trades: a run reads its
 * own trades and no other run's.
 */
function ownTrades(stack: Stack, state: { lastTradeAt: number }) {
  return async (count: number): Promise<SandboxTrade[]> => {
    // Whole seconds: the platform writes modified times to the second, and the pull compares them so.
    const from = Math.ceil(Math.max(Date.now() - 90_000, state.lastTradeAt + 1_000) / 1000) * 1000;
    while (Date.now() - 6_000 <= from) await new Promise((r) => setTimeout(r, 500));
    const trades = stack.sandbox.generateTrades(count, { from: new Date(from), to: new Date(Date.now() - 6_000), status: 'WAIT_SELLER_SEND_GOODS' });
    state.lastTradeAt = Math.max(from, ...trades.map((t) => Date.parse(taobaoTimeToIso(t.modified))));
    await stack.db.em().nativeUpdate(Shop, { code: stack.shopCode }, { pullCursor: new Date(from + PULL_OVERLAP_MS) });
    return trades;
  };
}

async function pull(stack: Stack, expected: number): Promise<void> {
  const r = await stack.client.workflow.execute('shopPullWorkflow', {
    taskQueue: stack.taskQueue, workflowId: `shop-pull:${stack.shopCode}:bench-${randomBytes(3).toString('hex')}`, args: [{ shopCode: stack.shopCode }],
  });
  if (r.pulled !== expected) throw new Error(`the pull read ${r.pulled} trades instead of this run's ${expected}`);
}

const reviewReady = (stack: Stack, ids: string[]) =>
  eventually(async () => (await stack.db.em().count(Order, { id: { $in: ids }, status: { $in: REVIEW_READY } })) === ids.length, 'orders to reach review', 600_000);

async function pullToReview(stack: Stack, trades: SandboxTrade[]): Promise<number> {
  const t0 = Date.now();
  await pull(stack, trades.length);
  await reviewReady(stack, trades.map((t) => orderWorkflowId(stack.shopCode, t.tid)));
  return (trades.length * 1000) / (Date.now() - t0);
}

interface Bare {
  rate(trades: SandboxTrade[], run: number): Promise<number>;
  close(): Promise<void>;
}

async function bareStarter(stack: Stack): Promise<Bare> {
  const taskQueue = `bench-bare-${randomBytes(3).toString('hex')}`;
  const { autoReview, saveOrder } = createOrderActivities({ db: stack.db });
  const worker = await Worker.create({
    taskQueue,
    workflowsPath: require.resolve('./bare-workflow'),
    activities: { autoReview, saveOrder },
    connection: stack.workers.workers[0]!.options.connection,
    dataConverter: guanjiaDataConverter(),
  } as Parameters<typeof Worker.create>[0]);
  const running = worker.run();
  return {
    async rate(trades, run) {
      // The same drafts intake made of these trades, under ids of their own.
      const drafts = trades.map((t) => ({ ...draftFromTaobaoTrade(stack.shopCode, t, 'pull'), orderId: `bare:${run}:${t.tid}` }));
      const t0 = Date.now();
      let next = 0;
      const starter = async () => {
        while (next < drafts.length) {
          const draft = drafts[next++]!;
          await stack.client.workflow.signalWithStart('bareWorkflow', {
            taskQueue, workflowId: draft.orderId, args: [{ draft }], signal: 'platformUpdate', signalArgs: [{}],
          });
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, starter));
      await reviewReady(stack, drafts.map((d) => d.orderId));
      return (drafts.length * 1000) / (Date.now() - t0);
    },
    async close() {
      worker.shutdown();
      await running;
    },
  };
}

const BILLED = new Set([
  'WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_EXECUTION_SIGNALED', 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED', 'ACTIVITY_TASK_SCHEDULED',
  'TIMER_STARTED', 'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED', 'START_CHILD_WORKFLOW_EXECUTION_INITIATED', 'MARKER_RECORDED',
  'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES', 'WORKFLOW_PROPERTIES_MODIFIED', 'WORKFLOW_EXECUTION_CONTINUED_AS_NEW',
]);

async function billed(stack: Stack, workflowId: string): Promise<Record<string, number>> {
  const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
  const byType: Record<string, number> = {};
  for (const e of history.events ?? []) {
    const name = (temporal.api.enums.v1.EventType[e.eventType ?? 0] ?? '').replace(/^EVENT_TYPE_/, '');
    if (BILLED.has(name)) byType[name] = (byType[name] ?? 0) + 1;
  }
  return byType;
}

const total = (byType: Record<string, number>) => Object.values(byType).reduce((a, b) => a + b, 0);

/**
 * Runs orders through approve → one real print batch for all of them → scan/ship → sync, and counts the billable
 * events of each order's history plus its share of the print batch's (start, check, render, one signal per order).
 */
async function actionsPerOrder(stack: Stack, trades: SandboxTrade[]) {
  await pull(stack, trades.length);
  const ids = trades.map((t) => orderWorkflowId(stack.shopCode, t.tid));
  for (const id of ids) {
    const row = await eventually(async () => {
      const o = await stack.db.em().findOne(Order, { id });
      return o && REVIEW_READY.includes(o.status) ? o : null;
    }, 'review');
    await stack.client.workflow.getHandle(id).executeUpdate(reviewUpdate, {
      args: [{ actor: actors.reviewer, expectedVersion: row.version, decision: 'approve', courierCode: 'EMS', warehouseCode: 'MAIN' }],
    });
  }
  await eventually(async () => (await stack.db.em().count(Order, { id: { $in: ids }, status: 'ready_to_print' })) === ids.length, 'waybill numbers');
  const batchId = `bench-${randomBytes(3).toString('hex')}`;
  const batch: PrintBatchResult = await stack.client.workflow.execute('printBatchWorkflow', {
    taskQueue: stack.taskQueue,
    workflowId: `print:${batchId}`,
    args: [{ batchId, orderIds: ids, kinds: ['waybill', 'packing_list'], actor: actors.warehouse, sort: 'time' } satisfies PrintBatchInput],
  });
  if (batch.printed.length !== ids.length) throw new Error(`the print batch printed ${batch.printed.length} of ${ids.length}: ${batch.reason ?? ''}`);
  const batchActions = await billed(stack, `print:${batchId}`);
  const counts: number[] = [];
  let breakdown: Record<string, number> = {};
  for (const id of ids) {
    await eventually(async () => (await stack.db.em().findOne(Order, { id }))?.status === 'printed', 'printed');
    const h = stack.client.workflow.getHandle(id);
    const lines = await stack.db.em().find(OrderLine, { orderId: id });
    await h.executeUpdate(shipUpdate, { args: [{ actor: actors.warehouse, scannedBarcodes: lines.flatMap((l) => Array<string>(l.qty).fill(l.barcode)) }] });
    await h.result();
    breakdown = await billed(stack, id);
    counts.push(total(breakdown) + total(batchActions) / ids.length);
  }
  return {
    actionsPerOrder: Number(median(counts).toFixed(1)),
    actionBreakdown: breakdown,
    printBatch: { orders: ids.length, actions: total(batchActions), breakdown: batchActions },
  };
}

export async function benchIntake(options: { trades: number; runs: number }): Promise<Record<string, unknown>> {
  const orderRates: number[] = [];
  const bareRates: number[] = [];
  const stack = await startStack({ seed: Date.now() % 100_000 });
  const place = ownTrades(stack, { lastTradeAt: 0 });
  const bare = await bareStarter(stack);
  try {
    for (let r = 0; r < options.runs; r++) {
      // Alternate the two so drift on a noisy machine hits both alike; both take the run's own trades.
      const trades = await place(options.trades);
      orderRates.push(await pullToReview(stack, trades));
      bareRates.push(await bare.rate(trades, r));
      console.log(`  run ${r + 1}: orders ${orderRates.at(-1)!.toFixed(1)}/s, bare ${bareRates.at(-1)!.toFixed(1)}/s`);
    }
    const actions = await actionsPerOrder(stack, await place(10));
    const ratios = orderRates.map((o, i) => o / bareRates[i]!);
    return {
      ...(options.runs > 0 ? {
        intakeOrdersPerSec: Number(median(orderRates).toFixed(1)),
        bareWorkflowsPerSec: Number(median(bareRates).toFixed(1)),
        intakeRatio: Number(median(ratios).toFixed(2)),
      } : {}),
      ...actions,
    };
  } finally {
    await bare.close();
    await stack.close();
  }
}
