/**
 * 数据保留: the daily purge, run by the `retention-purge` Schedule. Print PDFs, the verbatim JSON of finished orders'
 * platform orders and access-log rows older than their periods go in batches (each batch one activity, retried until
 * the database answers), and the purge ends with one audit row holding its counts. It never fails: every step is a
 * database activity with unlimited retries, and each is idempotent.
 */
import { continueAsNew, workflowInfo } from '@temporalio/workflow';
import type { RetentionPurgeCounts } from '../activities/retention';
import { SYSTEM_ACTOR } from '../domain/roles';
import { db } from './database-activities';

export interface RetentionPurgeInput {
  /** Rows per activity; small enough that one batch is a short transaction. */
  batchSize?: number;
  /** Events after which the purge goes on in a fresh run (default 4,000; a test sets it low). */
  historyLimit?: number;
  /** Where a purge that outgrew one history goes on: its cutoff time, the step reached and what it counted so far. */
  carried?: { now: number; step: PurgeStep; afterId: number; counts: RetentionPurgeCounts };
}

type PurgeStep = 'pdfs' | 'platformOrders' | 'accessLogs';

export type RetentionPurgeResult = RetentionPurgeCounts;

const DAY_MS = 24 * 3600_000;
const DEFAULT_BATCH = 500;
const HISTORY_LIMIT = 4_000;

export async function retentionPurgeWorkflow(input: RetentionPurgeInput = {}): Promise<RetentionPurgeResult> {
  const batchSize = Math.max(1, Math.min(5000, input.batchSize ?? DEFAULT_BATCH));
  const settings = await db.loadRetentionSettings();
  // Workflow time is deterministic: a replay computes the same cutoffs, and a continued purge keeps the first run's.
  const now = input.carried?.now ?? Date.now();
  const before = (days: number) => new Date(now - days * DAY_MS).toISOString();
  const counts: RetentionPurgeCounts = input.carried?.counts ?? { pdfs: 0, platformOrders: 0, accessLogs: 0 };
  const start = input.carried?.step ?? 'pdfs';
  /** A backlog of millions of rows would make one history huge: the purge goes on in a fresh run where it stood. */
  const goOnFreshIfLong = async (step: PurgeStep, afterId = 0) => {
    if (!workflowInfo().continueAsNewSuggested && workflowInfo().historyLength < (input.historyLimit ?? HISTORY_LIMIT)) return;
    await continueAsNew<typeof retentionPurgeWorkflow>({ batchSize, historyLimit: input.historyLimit, carried: { now, step, afterId, counts } });
  };

  if (start === 'pdfs') {
    for (;;) {
      const n = await db.purgePrintPdfs({ before: before(settings.printPdfDays), batchSize });
      counts.pdfs += n;
      if (n < batchSize) break;
      await goOnFreshIfLong('pdfs');
    }
  }
  if (start !== 'accessLogs') {
    for (let afterId = start === 'platformOrders' ? input.carried?.afterId ?? 0 : 0; ; ) {
      const r = await db.clearPlatformOrders({ before: before(settings.platformOrderDays), afterId, batchSize });
      counts.platformOrders += r.cleared;
      afterId = r.lastId;
      if (r.scanned < batchSize) break;
      await goOnFreshIfLong('platformOrders', afterId);
    }
  }
  for (;;) {
    const n = await db.purgeAccessLogs({ before: before(settings.accessLogDays), batchSize });
    counts.accessLogs += n;
    if (n < batchSize) break;
    await goOnFreshIfLong('accessLogs');
  }
  const info = workflowInfo();
  // The first run's id names the purge, so a purge continued over several runs still writes one row.
  await db.recordRetentionPurge({ purgeId: `${info.workflowId}:${info.firstExecutionRunId}`, counts, settings, actor: SYSTEM_ACTOR });
  return counts;
}
