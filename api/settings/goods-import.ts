/**
 * 货品导入 (page and API): a CSV or XLSX file, or a JSON list from an integrator's system, creates or updates SKUs and
 * bundles by code; every bad row comes back with its row number and reason, and then nothing at all is written.
 */
import type { EntityManager } from '@mikro-orm/knex';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { saveSkus, type SaveSkusResult, type SkuRowError } from '../../db/settings/save-skus';
import type { Actor } from '../../domain/roles';
import type { AppEnv } from '../env';
import { renderError, t } from '../render';
import { completeSkus, partialFromCells, readGoodsFile, type PartialSku } from './goods-file';

/** A goods file of 50,000 rows is a few MB; anything far larger is not a goods list. */
export const MAX_GOODS_UPLOAD_MB = 20;

/** Mounted before CSRF checking reads the form, so an oversized goods file is refused before it is read. */
export const goodsUploadLimit: MiddlewareHandler<AppEnv> = bodyLimit({
  maxSize: MAX_GOODS_UPLOAD_MB * 1024 * 1024,
  onError: (c) => renderError(c as Context<AppEnv>, 413, t(c as Context<AppEnv>, 'goods.tooLarge', { mb: MAX_GOODS_UPLOAD_MB }), 'payload_too_large'),
});

export async function importGoodsFile(em: EntityManager, actor: Actor, file: File): Promise<SaveSkusResult> {
  const read = await readGoodsFile(file);
  if (!read.ok) return { ok: false, errors: read.errors };
  const errors: SkuRowError[] = [];
  const partials = read.rows.map((r) => {
    const parsed = partialFromCells(r.cells);
    for (const message of parsed.errors) errors.push({ row: r.row, code: parsed.sku.code, message });
    return { row: r.row, sku: parsed.sku };
  });
  return saveSkus(em, actor, await completeSkus(em, partials), 'upsert', { action: 'sku_import', knownErrors: errors });
}

/** The API's bulk upsert: item i of the list is "row" i + 1 in the errors. */
export async function upsertGoods(em: EntityManager, actor: Actor, items: PartialSku[]): Promise<SaveSkusResult> {
  return saveSkus(em, actor, await completeSkus(em, items.map((sku, i) => ({ row: i + 1, sku }))), 'upsert', { action: 'sku_sync' });
}
