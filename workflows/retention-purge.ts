/**
 * 数据保留: the daily purge, run by the `retention-purge` Schedule. Print PDFs, the verbatim JSON of finished orders'
 * platform orders and access-log rows older than their periods go in batches (each batch one activity, retried until
 * the database answers), and the purge ends with one audit row holding its counts. It never fails: every step is a
 * database activity with unlimited retries, and each is idempotent.
 */
import { workflowInfo } from '@temporalio/workflow';
import type { RetentionPurgeCounts } from '../activities/retention';
import { SYSTEM_ACTOR } from '../domain/roles';
import { db } from './database-activities';

export interface RetentionPurgeInput {
  /** Rows per activity; small enough that one batch is a short transaction. */
  batchSize?: number;
}

export type RetentionPurgeResult = RetentionPurgeCounts;

const DAY_MS = 24 * 3600_000;
const DEFAULT_BATCH = 500;

export async function retentionPurgeWorkflow(input: RetentionPurgeInput = {}): Promise<RetentionPurgeResult> {
  const batchSize = Math.max(1, Math.min(5000, input.batchSize ?? DEFAULT_BATCH));
  const settings = await db.loadRetentionSettings();
  // Workflow time is deterministic: a replay computes the same cutoffs.
  const now = Date.now();
  const before = (days: number) => new Date(now - days * DAY_MS).toISOString();
  const counts: RetentionPurgeCounts = { pdfs: 0, platformOrders: 0, accessLogs: 0 };

  for (;;) {
    const n = await db.purgePrintPdfs({ before: before(settings.printPdfDays), batchSize });
    counts.pdfs += n;
    if (n < batchSize) break;
  }
  for (let afterId = 0; ; ) {
    const r = await db.clearPlatformOrders({ before: before(settings.platformOrderDays), afterId, batchSize });
    counts.platformOrders += r.cleared;
    afterId = r.lastId;
    if (r.scanned < batchSize) break;
  }
  for (;;) {
    const n = await db.purgeAccessLogs({ before: before(settings.accessLogDays), batchSize });
    counts.accessLogs += n;
    if (n < batchSize) break;
  }
  const info = workflowInfo();
  await db.recordRetentionPurge({ purgeId: `${info.workflowId}:${info.runId}`, counts, settings, actor: SYSTEM_ACTOR });
  return counts;
}
