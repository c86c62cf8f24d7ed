/**
 * 货品对应 for order lines: each line ships as the SKU its platform SKU is mapped to (by num_iid + sku_id, then outer
 * id), or keeps its outer id when nothing maps it. Shared by auto-review (activities/order.ts) and the re-check of an
 * order waiting with 货品未匹配 (activities/sku-mapping.ts), so both read the mappings the same way.
 */
import type { EntityManager } from '@mikro-orm/knex';
import type { OrderLineDraft } from '../../domain/order-draft';
import { resolveSkuCode } from '../../domain/sku-mapping';
import { loadMappingBook } from './sku-mappings';

/** Lines with the SKU code each ships as: a mapped platform SKU becomes our code, anything else keeps its outer id. */
export async function resolveLines<L extends OrderLineDraft>(em: EntityManager, shopCode: string, lines: readonly L[]): Promise<L[]> {
  const refs = lines.map((l) => ({ numIid: l.numIid, skuId: l.skuId, outerId: l.skuCode }));
  const book = await loadMappingBook(em, shopCode, refs);
  return lines.map((l, i) => ({ ...l, skuCode: resolveSkuCode(refs[i]!, book) }));
}
