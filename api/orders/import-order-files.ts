/**
 * 导入订单 for the import page and the JSON API: a Taobao order export (订单报表 + 宝贝报表, GBK or UTF-8) becomes
 * orders through order intake; every bad row is kept with its file, row and reason, the run is recorded as an
 * import batch, and importing the same file again starts nothing twice (intake finds each order already seen).
 */
import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ImportBatch, Shop } from '../../db/entities';
import { parseTaobaoOrderExport, type TaobaoOrderExportResult } from '../../integrations/csv/parse-taobao-order-export';
import { createOrderIntake, type IntakeResult } from '../../integrations/order-intake';
import type { AppEnv } from '../env';
import { renderError, t } from '../render';

export const MAX_UPLOAD_MB = 20;

/** Mounted before CSRF checking reads the form, so an oversized upload is refused before it is read. */
export const importUploadLimit: MiddlewareHandler<AppEnv> = bodyLimit({
  maxSize: MAX_UPLOAD_MB * 1024 * 1024,
  onError: (c) => renderError(c as Context<AppEnv>, 413, t(c as Context<AppEnv>, 'import.tooLarge', { mb: MAX_UPLOAD_MB }), 'payload_too_large'),
});

export interface ImportFiles {
  shopCode: string;
  orders: File | null;
  items: File | null;
}

export type ImportOutcome =
  | { ok: false; problem: 'chooseShop' | 'ordersRequired' }
  | { ok: false; problem: 'intakeFailed'; error: unknown }
  | { ok: true; batch: ImportBatch; parsed: TaobaoOrderExportResult; counts: IntakeResult; previous: ImportBatch | null };

/** An empty file field is no file: browsers send one when nothing was chosen. */
export function uploadedFile(value: unknown): File | null {
  return value instanceof File && value.size > 0 ? value : null;
}

export async function importOrderFiles(c: Context<AppEnv>, files: ImportFiles): Promise<ImportOutcome> {
  const { deps } = c.var;
  const em = deps.db.em();
  const shopCode = files.shopCode.trim();
  if (!shopCode || !(await em.findOne(Shop, { code: shopCode }))) return { ok: false, problem: 'chooseShop' };
  if (!files.orders) return { ok: false, problem: 'ordersRequired' };

  const orders = Buffer.from(await files.orders.arrayBuffer());
  const items = files.items ? Buffer.from(await files.items.arrayBuffer()) : undefined;
  const hash = createHash('sha256').update(orders).update('\0').update(items ?? '').digest('hex');
  const fileName = [files.orders.name, files.items?.name].filter(Boolean).join(' + ').slice(0, 255);
  const parsed = parseTaobaoOrderExport({ orders, ...(items ? { items } : {}), shopCode, fileName });
  const previous = await em.findOne(ImportBatch, { fileHash: hash }, { exclude: ['errors'], orderBy: { createdAt: 'desc' } });

  const intake = createOrderIntake({ db: deps.db, temporal: deps.temporal, taskQueue: deps.config.taskQueue });
  let counts: IntakeResult;
  try {
    // The raw text kept for each order is its own CSV rows (orders + items) under the file's headers.
    counts = await intake.ingest(parsed.platformOrders);
  } catch (error) {
    return { ok: false, problem: 'intakeFailed', error };
  }
  const batch = em.create(ImportBatch, {
    shopCode,
    fileName,
    fileHash: hash,
    createdBy: c.var.user.username,
    createdAt: new Date(),
    rowCount: parsed.stats.orderRows,
    acceptedCount: counts.started,
    signalledCount: counts.signalled,
    duplicateCount: counts.unchanged,
    skippedCount: counts.skipped,
    errorCount: parsed.errors.length,
    errors: parsed.errors,
  });
  await em.flush();
  return { ok: true, batch, parsed, counts, previous: previous as ImportBatch | null };
}
