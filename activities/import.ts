/** Import activities (导入订单): submit an import's staged orders to intake a chunk at a time, keeping its progress on the batch. */
import { activityInfo, heartbeat } from '@temporalio/activity';
import { ImportBatch, ImportBatchOrder } from '../db/entities';
import type { Db } from '../db/orm';
import { innermostMessage } from '../domain/failure-message';
import type { IntakeResult, OrderIntake } from '../integrations/order-intake';

export interface SubmitImportChunkInput {
  importId: number;
  /** First staged order of the chunk (its seq). */
  from: number;
  size: number;
}

export interface ImportCounts extends IntakeResult {
  /** Orders handed to intake so far. */
  submitted: number;
}

/** What a retried attempt finds in its last heartbeat: how far it had come and what that part counted. */
interface ChunkProgress {
  done: number;
  counts: IntakeResult;
}

// Orders handed to intake between two heartbeats: about a second's work, so a stuck attempt is seen within the minute.
const HEARTBEAT_EVERY = 25;

const ZERO: IntakeResult = { started: 0, signalled: 0, unchanged: 0, skipped: 0 };

function add(a: IntakeResult, b: IntakeResult): IntakeResult {
  return { started: a.started + b.started, signalled: a.signalled + b.signalled, unchanged: a.unchanged + b.unchanged, skipped: a.skipped + b.skipped };
}

export function createImportActivities({ db, intake }: { db: Db; intake: OrderIntake }) {
  return {
    /**
     * Submits one chunk of an import through order intake (which starts nothing twice) and adds what it counted
     * to the batch in one conditional write: only the attempt that moves the batch's progress from `from` counts,
     * so a retried or duplicated attempt never counts a chunk twice. A failure is shown on the import page and retried.
     */
    async submitImportChunk({ importId, from, size }: SubmitImportChunkInput): Promise<ImportCounts> {
      const em = db.em();
      const batch = await em.findOneOrFail(ImportBatch, { id: importId }, { exclude: ['errors'] });
      if (batch.submittedCount > from) return countsOf(batch);
      try {
        const rows = await em.find(ImportBatchOrder, { importId, seq: { $gte: from, $lt: from + size } }, { orderBy: { seq: 'asc' } });
        // A retry goes on where the last heartbeat said the previous attempt had come.
        const resumed = activityInfo().heartbeatDetails as ChunkProgress | undefined;
        let progress: ChunkProgress = resumed ?? { done: 0, counts: ZERO };
        while (progress.done < rows.length) {
          const part = rows.slice(progress.done, progress.done + HEARTBEAT_EVERY);
          const counted = await intake.ingest(part.map((r) => ({ draft: r.draft, raw: r.raw })));
          progress = { done: progress.done + part.length, counts: add(progress.counts, counted) };
          heartbeat(progress);
        }
        const c = progress.counts;
        await em.nativeUpdate(
          ImportBatch,
          { id: importId, submittedCount: from },
          {
            submittedCount: from + rows.length,
            acceptedCount: batch.acceptedCount + c.started,
            signalledCount: batch.signalledCount + c.signalled,
            duplicateCount: batch.duplicateCount + c.unchanged,
            skippedCount: batch.skippedCount + c.skipped,
            lastError: '',
          },
        );
        return countsOf(await db.em().findOneOrFail(ImportBatch, { id: importId }, { exclude: ['errors'] }));
      } catch (err) {
        // Shown on the import page while the activity retries; the next chunk that goes through clears it.
        await db.em().nativeUpdate(ImportBatch, { id: importId }, { lastError: innermostMessage(err).slice(0, 500) }).catch(() => undefined);
        throw err;
      }
    },

    /** Marks the import done and drops its staged orders (intake kept each one verbatim as its platform order). */
    async finishImport({ importId }: { importId: number }): Promise<ImportCounts> {
      const em = db.em();
      const batch = await em.findOneOrFail(ImportBatch, { id: importId }, { exclude: ['errors'] });
      if (batch.status !== 'done') {
        await em.nativeUpdate(ImportBatch, { id: importId }, { status: 'done', finishedAt: new Date(), lastError: '' });
      }
      await em.nativeDelete(ImportBatchOrder, { importId });
      return countsOf(batch);
    },
  };
}

function countsOf(b: Omit<ImportBatch, 'errors'>): ImportCounts {
  return { submitted: b.submittedCount, started: b.acceptedCount, signalled: b.signalledCount, unchanged: b.duplicateCount, skipped: b.skippedCount };
}

export type ImportActivities = ReturnType<typeof createImportActivities>;
