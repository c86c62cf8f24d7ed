/**
 * 货品导入 (page and API): a CSV or XLSX file, or a JSON list from an integrator's system, creates or updates SKUs and
 * bundles by code; every bad row comes back with its row number and reason, and then nothing at all is written.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { saveSkus, type SaveSkusResult, type SkuRowError } from '../../db/settings/save-skus';
import type { Actor } from '../../domain/roles';
import { completeSkus, partialFromCells, readGoodsFile, type PartialSku } from './goods-file';

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
