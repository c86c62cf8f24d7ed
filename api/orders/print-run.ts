/**
 * One print run for 单据打印 and the JSON API: the orders go to printBatchWorkflow under a new batch id, which
 * checks what may print, renders one PDF on the print queue and marks each order printed (a second time as a
 * reprint); the PDF stays in print_batch and is served from there.
 */
import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { PrintBatch } from '../../db/entities';
import type { PrintBatchInput, PrintBatchResult, PrintKind } from '../../workflows/messages';
import type { AppEnv } from '../env';
import { renderError, t } from '../render';

/** Rendering 200 labels takes a while; longer than that and the person is told the run's outcome is unknown. */
const PRINT_DEADLINE_MS = 5 * 60_000;

export type PrintSort = PrintBatchInput['sort'];

export interface PrintRunRequest {
  orderIds: string[];
  kinds: PrintKind[];
  sort: PrintSort;
}

/** P + Shanghai time to the second + random, so batch ids sort by time and two clicks in one second differ. */
export function newBatchId(now = new Date()): string {
  const stamp = new Date(now.getTime() + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14);
  return `P${stamp}${randomBytes(3).toString('hex').toUpperCase()}`;
}

/** Runs the batch to its end; throws what the Temporal client throws (a refusal when nothing may print). */
export async function runPrintBatch(c: Context<AppEnv>, request: PrintRunRequest): Promise<PrintBatchResult> {
  const input: PrintBatchInput = { batchId: newBatchId(), ...request, actor: c.var.actor };
  const { temporal, config } = c.var.deps;
  return temporal.connection.withDeadline(Date.now() + PRINT_DEADLINE_MS, () =>
    temporal.workflow.execute('printBatchWorkflow', {
      taskQueue: config.taskQueue,
      workflowId: `print:${input.batchId}`,
      args: [input],
    }) as Promise<PrintBatchResult>,
  );
}

/** The batch's PDF inline, or why not: no such batch (404), or no PDF yet (409). */
export async function sendPrintBatchPdf(c: Context<AppEnv>, id: string): Promise<Response> {
  const batch = await c.var.deps.db.em().findOne(PrintBatch, { id }, { populate: ['pdf'] });
  if (!batch) return renderError(c, 404, t(c, 'print.batchNotFound', { id }), 'not_found');
  if (!batch.pdf) return renderError(c, 409, t(c, 'print.pdfMissing', { id }), 'pdf_not_ready');
  return c.body(new Uint8Array(batch.pdf), 200, {
    'Content-Type': 'application/pdf',
    'Content-Disposition': `inline; filename="${id}.pdf"`,
    'Cache-Control': 'private, max-age=3600',
  });
}
