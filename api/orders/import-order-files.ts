/**
 * 导入订单 for the import page and the JSON API: a Taobao order export (订单报表 + 宝贝报表, GBK or UTF-8) is parsed as
 * it is read, every bad row is kept with its file, row and reason, the orders read whole are staged on the import
 * batch, and importOrdersWorkflow submits them through order intake in the background while the page shows its
 * progress. The same upload sent twice (same action id) is one import; importing the same file again starts
 * nothing twice (intake finds each order already seen).
 */
import { createHash, randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ImportBatch, ImportBatchOrder, Shop } from '../../db/entities';
import { csvBytes } from '../../integrations/csv/decode-csv-source';
import { parseTaobaoOrderExport, type TaobaoOrderExportResult } from '../../integrations/csv/parse-taobao-order-export';
import type { ImportOrdersInput } from '../../workflows/import-orders';
import { actionIdPattern } from '../action-id';
import type { AppDeps, AppEnv } from '../env';
import { renderError, t } from '../render';
import { startWorkflowOnce } from './start-workflow-once';

export const MAX_UPLOAD_MB = 20;

// Staged orders are written this many to an INSERT: a 40,000-order file is a few hundred statements, each small.
const STAGE_ROWS = 250;

/** Mounted before CSRF checking reads the form, so an oversized upload is refused before it is read. */
export const importUploadLimit: MiddlewareHandler<AppEnv> = bodyLimit({
  maxSize: MAX_UPLOAD_MB * 1024 * 1024,
  onError: (c) => renderError(c as Context<AppEnv>, 413, t(c as Context<AppEnv>, 'import.tooLarge', { mb: MAX_UPLOAD_MB }), 'payload_too_large'),
});

export interface ImportFiles {
  shopCode: string;
  orders: File | null;
  items: File | null;
  /** The form's action id or the API's Idempotency-Key; without one (older API clients) the upload gets a new one. */
  actionId?: string;
}

export type ImportOutcome =
  | { ok: false; problem: 'chooseShop' | 'ordersRequired' | 'badActionId' }
  /** The files were read and staged but the workflow could not be started: sending the same upload again starts it. */
  | { ok: false; problem: 'startFailed'; error: unknown; batch: StagedBatch }
  | { ok: true; batch: StagedBatch; repeated: boolean };

/** The batch as the upload left it; its bad rows are read with findImportBatch. */
type StagedBatch = Omit<ImportBatch, 'errors'>;

/** An empty file field is no file: browsers send one when nothing was chosen. */
export function uploadedFile(value: unknown): File | null {
  return value instanceof File && value.size > 0 ? value : null;
}

/** Workflow ids are business keys: the uploader and the upload's action id, never the database's row number. */
export function importWorkflowId(batch: Pick<ImportBatch, 'createdBy' | 'actionId' | 'id'>): string {
  return `import:${batch.createdBy}:${batch.actionId ?? batch.id}`;
}

async function fileHash(orders: File, items: File | null): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of csvBytes(orders)) hash.update(piece);
  hash.update('\0');
  if (items) for await (const piece of csvBytes(items)) hash.update(piece);
  return hash.digest('hex');
}

/** Starts the batch's workflow unless it runs or ran already; its id makes a second start a no-op. */
async function startImport({ temporal, config }: AppDeps, batch: StagedBatch): Promise<void> {
  const input: ImportOrdersInput = { importId: batch.id, orderCount: batch.orderCount };
  await startWorkflowOnce(temporal, 'importOrdersWorkflow', { taskQueue: config.taskQueue, workflowId: importWorkflowId(batch), args: [input] });
}

/**
 * Starts the workflow of a batch whose files are staged (status submitting) unless it runs or ran already; returns
 * the failure when Temporal cannot be reached, so the page or API can say so. Called again by every later look at
 * the batch, so a start that failed is made up without uploading the files again.
 */
export async function ensureImportStarted(deps: AppDeps, batch: StagedBatch): Promise<unknown> {
  // Progress means the workflow runs: polling the page then costs no call to Temporal.
  if (batch.status !== 'submitting' || batch.submittedCount > 0) return null;
  try {
    await startImport(deps, batch);
    return null;
  } catch (error) {
    return error;
  }
}

/** A batch sent again: started if its files were staged but the start failed; otherwise left as it is. */
async function resume(deps: AppDeps, batch: StagedBatch): Promise<ImportOutcome> {
  const error = await ensureImportStarted(deps, batch);
  return error ? { ok: false, problem: 'startFailed', error, batch } : { ok: true, batch, repeated: true };
}

export async function importOrderFiles(c: Context<AppEnv>, files: ImportFiles): Promise<ImportOutcome> {
  const { deps } = c.var;
  const em = deps.db.em();
  const shopCode = files.shopCode.trim();
  if (!shopCode || !(await em.findOne(Shop, { code: shopCode }))) return { ok: false, problem: 'chooseShop' };
  if (!files.orders) return { ok: false, problem: 'ordersRequired' };
  if (files.actionId !== undefined && !actionIdPattern.test(files.actionId)) return { ok: false, problem: 'badActionId' };
  const actionId = files.actionId ?? randomUUID();
  const createdBy = c.var.user.username;

  const sent = await em.findOne(ImportBatch, { createdBy, actionId }, { exclude: ['errors'] });
  if (sent) return resume(deps, sent);

  const batch = em.create(ImportBatch, {
    shopCode,
    fileName: [files.orders.name, files.items?.name].filter(Boolean).join(' + ').slice(0, 255),
    fileHash: await fileHash(files.orders, files.items),
    createdBy,
    actionId,
    createdAt: new Date(),
    status: 'reading',
  });
  try {
    await em.flush();
  } catch (err) {
    // The same upload arrived twice at once: the first one reads the files.
    if (!(err instanceof UniqueConstraintViolationException)) throw err;
    return resume(deps, await deps.db.em().findOneOrFail(ImportBatch, { createdBy, actionId }, { exclude: ['errors'] }));
  }

  let parsed: TaobaoOrderExportResult;
  try {
    parsed = await parseTaobaoOrderExport({
      orders: files.orders,
      ...(files.items ? { items: files.items } : {}),
      shopCode,
      fileName: batch.fileName,
    });
    for (let at = 0; at < parsed.platformOrders.length; at += STAGE_ROWS) {
      const rows = parsed.platformOrders.slice(at, at + STAGE_ROWS).map((p, i) => ({ importId: batch.id, seq: at + i, draft: p.draft, raw: p.raw }));
      await deps.db.em().insertMany(ImportBatchOrder, rows);
      // SQLite answers synchronously: without a turn of the event loop here, staging 40,000 orders would hold it for seconds.
      await nextTurn();
    }
  } catch (err) {
    // A batch is never left "reading": it ends with the failure as its one error, and nothing staged is kept.
    await deps.db.em().nativeDelete(ImportBatchOrder, { importId: batch.id });
    em.assign(batch, {
      status: 'done',
      finishedAt: new Date(),
      errorCount: 1,
      errors: [{ file: 'orders', row: 1, reason: `文件读取失败：${err instanceof Error ? err.message : String(err)}`.slice(0, 500) }],
    });
    await em.flush();
    throw err;
  }
  const orderCount = parsed.platformOrders.length;
  em.assign(batch, {
    rowCount: parsed.stats.orderRows,
    itemRowCount: parsed.stats.itemRows,
    orderCount,
    errorCount: parsed.errors.length,
    errors: parsed.errors,
    status: orderCount > 0 ? 'submitting' : 'done',
    finishedAt: orderCount > 0 ? null : new Date(),
  });
  await em.flush();
  const error = await ensureImportStarted(deps, batch);
  return error ? { ok: false, problem: 'startFailed', error, batch } : { ok: true, batch, repeated: false };
}

/** Reading and staging a 20 MB export takes seconds; a batch still "reading" after this lost its web process. */
export const READING_STALE_MS = 5 * 60_000;

/**
 * Closes the batches whose web process stopped while it read their files (a restart, a crash): each ends as done
 * with the interruption as its one error, and what it had staged is dropped, so no page waits for it forever and
 * nothing half-read is ever submitted. Conditional on the status, so two processes closing at once do it once.
 */
export async function closeInterruptedReads(deps: AppDeps): Promise<number> {
  const em = deps.db.em();
  const stale = await em.find(ImportBatch, { status: 'reading', createdAt: { $lt: new Date(Date.now() - READING_STALE_MS) } }, { fields: ['id'] });
  let closed = 0;
  for (const { id } of stale) {
    const won = await em.nativeUpdate(ImportBatch, { id, status: 'reading' }, {
      status: 'done',
      finishedAt: new Date(),
      errorCount: 1,
      errors: [{ file: 'orders', row: 1, reason: '读取中断：读取文件时网页服务停止了，没有订单被递交，请重新上传' }],
    });
    if (won) {
      await em.nativeDelete(ImportBatchOrder, { importId: id });
      closed += 1;
    }
  }
  return closed;
}

/** An import batch as the page and the API show it, with the last earlier import of the very same files. */
export async function findImportBatch(
  c: Context<AppEnv>,
  id: number,
  withErrors = true,
): Promise<{ batch: ImportBatch; previous: ImportBatch | null } | null> {
  const em = c.var.deps.db.em();
  await closeInterruptedReads(c.var.deps);
  const batch = await em.findOne(ImportBatch, { id }, withErrors ? {} : { exclude: ['errors'] });
  if (!batch) return null;
  const previous = await em.findOne(
    ImportBatch,
    { fileHash: batch.fileHash, id: { $lt: batch.id } },
    { exclude: ['errors'], orderBy: { id: 'desc' } },
  );
  return { batch: batch as ImportBatch, previous: (previous ?? null) as ImportBatch | null };
}
