/** Orders held in review for short stock (缺货) that want any of some SKUs, oldest paid first: who a stock-in should wake. */
import type { EntityManager } from '@mikro-orm/knex';

export interface WaitingOrder {
  id: string;
  platformOrderNo: string;
  warehouseCode: string;
  paidAt: Date | null;
  /** The SKUs it is short of, as auto-review or a refused approval named them (components for a bundle). */
  skuCodes: string[];
}

/** The SKU codes of a '缺货: A, B' review reason among the order's reasons (joined with '；'). */
export function shortSkusOf(reviewReasons: string): string[] {
  return reviewReasons.split('；').filter((r) => r.startsWith('缺货')).flatMap((r) => r.replace(/^缺货[:：]\s*/, '').split(/,\s*/)).map((c) => c.trim()).filter(Boolean);
}

export async function ordersWaitingForStock(em: EntityManager, skuCodes: readonly string[], warehouseCode = '', limit = 500): Promise<WaitingOrder[]> {
  if (!skuCodes.length) return [];
  const params: unknown[] = [];
  let sql = "SELECT id, platform_order_no, warehouse_code, paid_at, review_reasons FROM orders WHERE status = 'review' AND review_reasons LIKE '%缺货%'";
  if (warehouseCode) {
    sql += " AND (warehouse_code = ? OR warehouse_code = '')";
    params.push(warehouseCode);
  }
  sql += ' ORDER BY paid_at IS NULL, paid_at ASC, id ASC';
  const rows = await em.getConnection().execute<Array<{ id: string; platform_order_no: string; warehouse_code: string; paid_at: unknown; review_reasons: string }>>(sql, params, 'all');
  const wanted = new Set(skuCodes);
  const out: WaitingOrder[] = [];
  for (const r of rows) {
    // Reasons name components, so an order for a bundle is found by the component that came in.
    const short = shortSkusOf(r.review_reasons).filter((c) => wanted.has(c));
    if (!short.length) continue;
    out.push({ id: r.id, platformOrderNo: r.platform_order_no, warehouseCode: r.warehouse_code, paidAt: r.paid_at ? new Date(r.paid_at as string) : null, skuCodes: short });
    if (out.length >= limit) break;
  }
  return out;
}
