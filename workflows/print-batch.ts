/**
 * One print run (单据打印): checks which orders may print, renders their waybills and packing lists into one
 * PDF on the print queue, then tells each order it was printed (a second print is recorded as a reprint).
 */
import { ApplicationFailure, getExternalWorkflowHandle, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { printedSignal, type PrintBatchInput, type PrintBatchResult } from './messages';

const reads = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 5 } });

export async function printBatchWorkflow(input: PrintBatchInput): Promise<PrintBatchResult> {
  if (!input.orderIds.length) throw ApplicationFailure.nonRetryable('请选择要打印的订单', 'NothingToPrint');
  const check = await reads.checkPrintable({ orderIds: input.orderIds });
  const orderIds = input.orderIds.filter((id) => check.printable.includes(id) || check.reprint.includes(id));
  if (!orderIds.length) {
    const why = check.refused.map((r) => `${r.orderId.split(':').pop()}: ${r.reason}`).join('；');
    throw ApplicationFailure.nonRetryable(`没有可打印的订单（${why}）`, 'NothingToPrint');
  }
  // Printing runs on its own queue so Chromium can be scaled apart from the order workers.
  const printer = proxyActivities<Activities>({
    taskQueue: `${workflowInfo().taskQueue}-print`,
    startToCloseTimeout: '5 minutes',
    retry: { maximumAttempts: 3 },
  });
  const rendered = await printer.renderPrintBatch({ ...input, orderIds, reprintOrderIds: check.reprint });
  const at = new Date().toISOString();
  await Promise.all(
    orderIds.map((id) => getExternalWorkflowHandle(id).signal(printedSignal, { batchId: input.batchId, actor: input.actor, at, kinds: input.kinds.join('+') })),
  );
  return {
    batchId: input.batchId,
    pageCount: rendered.pageCount,
    renderMs: rendered.renderMs,
    printed: orderIds.filter((id) => !check.reprint.includes(id)),
    reprinted: check.reprint,
    refused: check.refused,
  };
}
