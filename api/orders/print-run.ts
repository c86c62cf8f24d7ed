/**
 * One print run for 单据打印 and the JSON API: the orders go to printBatchWorkflow under a batch id derived from
 * the request's action id, so a retried or double-sent request answers with the batch it made instead of printing
 * a second one. The workflow checks what may print, renders one PDF on the print queue and marks each order
 * printed (a second time as a reprint); the PDF stays in print_batch and is served from there.
 */
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { PrintBatch } from '../../db/entities';
import type { PrintBatchInput, PrintBatchResult, PrintKind } from '../../workflows/messages';
import type { AppEnv } from '../env';
import { logPiiAccess } from '../privacy/access-log';
import { renderError, t } from '../render';
import { startWorkflowOnce } from './start-workflow-once';

/** Rendering 200 labels takes a while; longer than that and the person is told the run's outcome is unknown. */
const PRINT_DEADLINE_MS = 5 * 60_000;

export type PrintSort = PrintBatchInput['sort'];

export interface PrintRunRequest {
  /**
   * What identifies this request when it is sent again: the API's actionId, or the page form's action id with the
   * selection as submitted (one rendered page may print several different selections).
   */
  actionKey: string;
  orderIds: string[];
  kinds: PrintKind[];
  sort: PrintSort;
}

export interface PrintRun {
  result: PrintBatchResult;
  /** The same request had made this batch before; nothing was printed now. */
  repeated: boolean;
}

/** P + 20 hex digits of the user's action: the same action is the same batch, another user's never is. */
export function printBatchIdFor(username: string, actionKey: string): string {
  return `P${createHash('sha256').update(`${username}\n${actionKey}`).digest('hex').slice(0, 20).toUpperCase()}`;
}

/**
 * Runs the batch to its end, or answers with the batch this action already made (running or finished): the
 * workflow id is taken for good, so a retry can never print twice. Throws what the Temporal client throws.
 */
export async function runPrintBatch(c: Context<AppEnv>, request: PrintRunRequest): Promise<PrintRun> {
  const { actionKey, ...rest } = request;
  const input: PrintBatchInput = { batchId: printBatchIdFor(c.var.actor.username, actionKey), ...rest, actor: c.var.actor };
  const { temporal, config } = c.var.deps;
  const workflowId = `print:${input.batchId}`;
  return temporal.connection.withDeadline(Date.now() + PRINT_DEADLINE_MS, async () => {
    const { handle, repeated } = await startWorkflowOnce(temporal, 'printBatchWorkflow', { taskQueue: config.taskQueue, workflowId, args: [input] });
    return { result: (await handle.result()) as PrintBatchResult, repeated };
  });
}

/** The batch's PDF inline, or why not: no such batch (404), a failed batch (409 with its reason), or no PDF yet (409). */
export async function sendPrintBatchPdf(c: Context<AppEnv>, id: string): Promise<Response> {
  const batch = await c.var.deps.db.em().findOne(PrintBatch, { id }, { populate: ['pdf'] });
  if (!batch) return renderError(c, 404, t(c, 'print.batchNotFound', { id }), 'not_found');
  if (batch.status === 'failed') return renderError(c, 409, t(c, 'print.batchFailed', { id, reason: batch.error }), 'pdf_not_ready');
  if (!batch.pdf) return renderError(c, 409, t(c, 'print.pdfMissing', { id }), 'pdf_not_ready');
  // Labels carry buyers' names, phones and addresses in clear: every download by a person is in the access log.
  await logPiiAccess(c, { action: 'print', orderIds: batch.orderIds, description: `打印批次 ${id}（${batch.kinds}）` });
  return c.body(new Uint8Array(batch.pdf), 200, {
    'Content-Type': 'application/pdf',
    'Content-Disposition': `inline; filename="${id}.pdf"`,
    // Labels carry buyers' names and addresses: no cache keeps a copy.
    'Cache-Control': 'no-store',
  });
}
