/**
 * 货品对应 for order lines: re-checks the lines of an order waiting with 货品未匹配 once someone maps them (stock
 * checked again for the SKUs they became); the lookup itself is db/settings/resolve-lines.ts, shared with auto-review.
 */
import { StockLevel } from '../db/entities';
import type { Db } from '../db/orm';
import { resolveLines } from '../db/settings/resolve-lines';
import { componentsOf } from '../domain/auto-review';
import type { OrderLine } from '../domain/order-snapshot';
import { unmatchedReason } from '../domain/sku-mapping';
import { loadSkuFacts } from './order';

export interface RematchLinesInput {
  shopCode: string;
  warehouseCode: string;
  lines: OrderLine[];
  /** An order parked out of area is not checked for stock, as auto-review does not check it. */
  checkStock: boolean;
}

export interface RematchLinesResult {
  /** Whether any line now names a SKU it did not before. */
  changed: boolean;
  lines: OrderLine[];
  /** The 货品未匹配 reason for what still matches nothing, or ''. */
  unmatched: string;
  /** The 缺货 reason when every line matches and the warehouse is short, or ''. */
  short: string;
}

export function createSkuMappingActivities({ db }: { db: Db }) {
  return {
    /** Resolves the lines that match no SKU through the mappings as they are now; matched lines are left as they were. */
    async rematchLines(input: RematchLinesInput): Promise<RematchLinesResult> {
      const em = db.em();
      const known = await loadSkuFacts(db, input.lines.map((l) => l.skuCode));
      const open = input.lines.filter((l) => !known[l.skuCode]);
      const resolved = await resolveLines(em, input.shopCode, open);
      const facts = { ...known, ...(await loadSkuFacts(db, resolved.map((l) => l.skuCode))) };
      let changed = false;
      const byOid = new Map(resolved.map((l) => [l.oid, l]));
      const lines = input.lines.map((l) => {
        const r = byOid.get(l.oid);
        if (!r || r.skuCode === l.skuCode || !facts[r.skuCode]) return l;
        changed = true;
        return { ...l, skuCode: r.skuCode, barcode: facts[r.skuCode]?.barcode ?? '' };
      });
      const still = lines.filter((l) => !facts[l.skuCode]);
      let short = '';
      if (!still.length && input.checkStock) {
        const need = componentsOf(lines, facts);
        const levels = await em.find(StockLevel, { warehouseCode: input.warehouseCode, quality: 'good', skuCode: { $in: Object.keys(need) } });
        const available = new Map(levels.map((l) => [l.skuCode, l.onHand - l.reserved]));
        const missing = Object.entries(need).filter(([code, qty]) => (available.get(code) ?? 0) < qty).map(([code]) => code);
        if (missing.length) short = `缺货: ${missing.join(', ')}`;
      }
      return { changed, lines, unmatched: still.length ? unmatchedReason(still) : '', short };
    },
  };
}
