/** Orders held in review for short stock (缺货) that want any of some SKUs, oldest paid first: who a stock-in should wake. */
import type { EntityManager } from '@mikro-orm/knex';

export interface WaitingOrder {
  id: string;
  platformOrderNo: string;
  warehouseCode: string;
  paidAt: Date | null;
  skuCodes: string[];
}

export async function ordersWaitingForStock(em: EntityManager, skuCodes: readonly string[], warehouseCode = '', limit = 500): Promise<WaitingOrder[]> {
  if (!skuCodes.length) return [];
  const marks = skuCodes.map(() => '?').join(', ');
  const params: unknown[] = [...skuCodes];
  // Auto-review writes '缺货: <skus>' among the review reasons of an order it could not reserve for.
  let sql = `SELECT o.id, o.platform_order_no, o.warehouse_code, o.paid_at, l.sku_code FROM orders o JOIN order_line l ON l.order_id = o.id
    WHERE o.status = 'review' AND o.review_reasons LIKE '%缺货%' AND l.sku_code IN (${marks})`;
  if (warehouseCode) {
    sql += " AND (o.warehouse_code = ? OR o.warehouse_code = '')";
    params.push(warehouseCode);
  }
  sql += ' ORDER BY o.paid_at IS NULL, o.paid_at ASC, o.id ASC';
  const rows = await em.getConnection().execute<Array<{ id: string; platform_order_no: string; warehouse_code: string; paid_at: unknown; sku_code: string }>>(sql, params, 'all');
  const out = new Map<string, WaitingOrder>();
  for (const r of rows) {
    const o = out.get(r.id) ?? { id: r.id, platformOrderNo: r.platform_order_no, warehouseCode: r.warehouse_code, paidAt: r.paid_at ? new Date(r.paid_at as string) : null, skuCodes: [] };
    if (!o.skuCodes.includes(r.sku_code)) o.skuCodes.push(r.sku_code);
    out.set(r.id, o);
  }
  return [...out.values()].slice(0, limit);
}
