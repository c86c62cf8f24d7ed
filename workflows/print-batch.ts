/**
 * One print run (单据打印): checks which orders may print, renders their waybills and packing lists into one
 * PDF on the print queue, then tells each order it was printed (a second print is recorded as a reprint). It never
 * fails: nothing printable is a refusal with the reasons, a renderer that gives up leaves the batch recorded as
 * failed (its orders still printable), and a reprinted order whose workflow has finished is recorded by an activity.
 */
import { ActivityFailure, ApplicationFailure, getExternalWorkflowHandle, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { db } from './database-activities';
import { innermostMessage } from '../domain/failure-message';
import { printedSignal, type PrintBatchInput, type PrintBatchResult } from './messages';

/** Batches started before this change fail on a renderer error or a finished order, as they did; replay keeps them so. */
const NEVER_FAILS = 'print-batch-never-fails';

const reads = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 5 } });

export async function printBatchWorkflow(input: PrintBatchInput): Promise<PrintBatchResult> {
  const neverFails = patched(NEVER_FAILS);
  const refusal = (reason: string, refused: PrintBatchResult['refused'] = []): PrintBatchResult => {
    if (!neverFails) throw ApplicationFailure.nonRetryable(reason, 'NothingToPrint');
    return { batchId: input.batchId, outcome: 'refused', reason, pageCount: 0, renderMs: 0, printed: [], reprinted: [], refused, closedOrders: [] };
  };
  if (!input.orderIds.length) return refusal('请选择要打印的订单');
  const check = await (neverFails ? db : reads).checkPrintable({ orderIds: input.orderIds });
  const orderIds = input.orderIds.filter((id) => check.printable.includes(id) || check.reprint.includes(id));
  if (!orderIds.length) {
    const why = check.refused.map((r) => `${r.orderId.split(':').pop()}: ${r.reason}`).join('；');
    return refusal(`没有可打印的订单（${why}）`, check.refused);
  }
  // Printing runs on its own queue so Chromium can be scaled apart from the order workers.
  const printer = proxyActivities<Activities>({
    taskQueue: `${workflowInfo().taskQueue}-print`,
    startToCloseTimeout: '5 minutes',
    // The render heartbeats: a print worker killed mid-render is noticed in half a minute, not five.
    heartbeatTimeout: '30 seconds',
    retry: { maximumAttempts: 3 },
  });
  const renderInput = { ...input, orderIds, reprintOrderIds: check.reprint };
  let rendered: Awaited<ReturnType<Activities['renderPrintBatch']>>;
  try {
    rendered = await printer.renderPrintBatch(renderInput);
  } catch (err) {
    if (!neverFails || !(err instanceof ActivityFailure)) throw err;
    // Nothing was marked printed: the batch is kept as failed with the reason, and the orders wait to be printed again.
    const reason = `打印失败：${innermostMessage(err)}`;
    await db.recordPrintBatchFailure({ ...renderInput, reason });
    return { batchId: input.batchId, outcome: 'failed', reason, pageCount: 0, renderMs: 0, printed: [], reprinted: [], refused: check.refused, closedOrders: [] };
  }
  const at = new Date().toISOString();
  const notice = { batchId: input.batchId, actor: input.actor, at, kinds: input.kinds.join('+') };
  const signals = orderIds.map((id) => getExternalWorkflowHandle(id).signal(printedSignal, notice));
  let closedOrders: string[] = [];
  if (!neverFails) await Promise.all(signals);
  else {
    // An order whose workflow has finished (done) cannot be told; its reprint is recorded on the order by an activity.
    const settled = await Promise.allSettled(signals);
    closedOrders = orderIds.filter((_, i) => settled[i]?.status === 'rejected');
    if (closedOrders.length) await db.recordClosedOrderPrints({ ...notice, orderIds: closedOrders });
  }
  return {
    batchId: input.batchId,
    outcome: 'printed',
    reason: '',
    pageCount: rendered.pageCount,
    renderMs: rendered.renderMs,
    printed: orderIds.filter((id) => !check.reprint.includes(id)),
    reprinted: check.reprint,
    refused: check.refused,
    closedOrders,
  };
}
