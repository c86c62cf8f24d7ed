/**
 * 货品对应: how a platform order line finds the SKU (or bundle) it ships as. A line maps by the platform's own
 * (num_iid, sku_id) first, then by its outer id (商家编码) through a mapping, then by the outer id being one of our
 * SKU codes, which is how every line matched before mappings existed.
 */

/** How a review reason about lines that match nothing begins. */
export const UNMATCHED_REASON = '货品未匹配';

/** One sellable platform SKU of a listing; an item without SKUs is one of these with skuId ''. */
export interface PlatformSku {
  numIid: string;
  skuId: string;
  outerId: string;
  title: string;
  spec: string;
  priceFen: number;
  quantity: number;
}

/** What the platform says about the SKU of one line. */
export interface PlatformSkuRef {
  numIid?: string;
  /** '' or absent for an item without SKUs. */
  skuId?: string;
  /** 商家编码 as the platform sent it (outer_sku_id, else the item's outer_id). */
  outerId: string;
}

/** The key one mapping row stands for within a shop: the item and its SKU when the platform names them, else the outer id. */
export function platformKeyOf(ref: PlatformSkuRef): string {
  return ref.numIid ? `${ref.numIid}:${ref.skuId ?? ''}` : `outer:${ref.outerId}`;
}

/** The mappings of one shop that can apply to some lines: by platform key and by outer id, each to a SKU code. */
export interface MappingBook {
  byKey: Record<string, string>;
  byOuterId: Record<string, string>;
}

export const EMPTY_MAPPING_BOOK: MappingBook = { byKey: {}, byOuterId: {} };

/** The SKU code a line ships as: its mapping by (num_iid, sku_id), else by outer id, else the outer id itself. */
export function resolveSkuCode(ref: PlatformSkuRef, book: MappingBook): string {
  if (ref.numIid) {
    const byKey = book.byKey[platformKeyOf(ref)];
    if (byKey) return byKey;
  }
  if (ref.outerId) {
    const byOuter = book.byOuterId[ref.outerId] ?? book.byKey[platformKeyOf({ outerId: ref.outerId })];
    if (byOuter) return byOuter;
  }
  return ref.outerId;
}

/** The unmatched reason for some lines, naming each by its outer id or, without one, by its title. */
export function unmatchedReason(lines: ReadonlyArray<{ skuCode: string; title: string }>): string {
  return `${UNMATCHED_REASON}: ${lines.map((l) => l.skuCode || `“${l.title}”无商家编码`).join(', ')}`;
}
