/**
 * Orders held in review for short stock (缺货) that want any of some SKUs, oldest paid first, and what a stock-in may
 * wake of them: the stock available now handed out oldest paid first, to the orders whose whole need it covers.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { componentsOf, type SkuFacts } from '../domain/auto-review';

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
  // An out-of-area order whose approval was refused for short stock waits as well.
  let sql = "SELECT id, platform_order_no, warehouse_code, paid_at, review_reasons FROM orders WHERE status IN ('review', 'out_of_area') AND review_reasons LIKE '%缺货%'";
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

/**
 * 缺货 re-check after a stock-in: walks the orders waiting for these SKUs oldest paid first with a running tally of what
 * is available (on hand − reserved, good quality, in each order's warehouse; bundles counted as their components) and
 * returns, in that order, the ones whose whole need the tally covers, taking their units off it. An order it cannot
 * cover takes nothing and keeps waiting, so a younger, smaller order may go before it. Nothing is reserved here: the
 * reviewer's approval reserves, and refuses with 缺货 if someone took the units meanwhile.
 */
export async function ordersCoveredByStock(em: EntityManager, skuCodes: readonly string[], warehouseCode: string): Promise<WaitingOrder[]> {
  const waiting = await ordersWaitingForStock(em, skuCodes, warehouseCode);
  if (!waiting.length) return [];
  const conn = em.getConnection();
  const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');
  const ids = waiting.map((o) => o.id);
  const lineRows = await conn.execute<Array<{ order_id: string; sku_code: string; qty: unknown }>>(
    `SELECT order_id, sku_code, qty FROM order_line WHERE order_id IN (${marks(ids.length)})`, ids, 'all');
  const linesOf = new Map<string, Array<{ skuCode: string; qty: number }>>();
  for (const r of lineRows) linesOf.set(r.order_id, [...(linesOf.get(r.order_id) ?? []), { skuCode: r.sku_code, qty: Number(r.qty) }]);
  const lineSkus = [...new Set(lineRows.map((r) => r.sku_code))];
  const parts = lineSkus.length
    ? await conn.execute<Array<{ bundle_sku_code: string; component_sku_code: string; qty: unknown }>>(
      `SELECT bundle_sku_code, component_sku_code, qty FROM bundle_component WHERE bundle_sku_code IN (${marks(lineSkus.length)})`, lineSkus, 'all')
    : [];
  const skus: Record<string, SkuFacts> = {};
  for (const p of parts) {
    const f = (skus[p.bundle_sku_code] ??= { code: p.bundle_sku_code, barcode: '', components: {} });
    f.components[p.component_sku_code] = Number(p.qty);
  }
  const needs = new Map(waiting.map((o) => [o.id, componentsOf(linesOf.get(o.id) ?? [], skus)]));
  const codes = [...new Set([...needs.values()].flatMap((n) => Object.keys(n)))];
  const at = (o: WaitingOrder) => o.warehouseCode || warehouseCode;
  const warehouses = [...new Set(waiting.map(at))];
  const tally = new Map<string, number>();
  const key = (sku: string, wh: string) => `${sku}\u0000${wh}`;
  if (codes.length) {
    const levels = await conn.execute<Array<{ sku_code: string; warehouse_code: string; on_hand: unknown; reserved: unknown }>>(
      `SELECT sku_code, warehouse_code, on_hand, reserved FROM stock_level WHERE quality = 'good' AND sku_code IN (${marks(codes.length)}) AND warehouse_code IN (${marks(warehouses.length)})`,
      [...codes, ...warehouses], 'all');
    for (const l of levels) tally.set(key(l.sku_code, l.warehouse_code), Number(l.on_hand) - Number(l.reserved));
  }
  const covered: WaitingOrder[] = [];
  for (const o of waiting) {
    const need = Object.entries(needs.get(o.id) ?? {});
    // An order whose lines are not in the read model yet cannot be judged: it waits for the next stock-in.
    if (!need.length || !need.every(([sku, qty]) => (tally.get(key(sku, at(o))) ?? 0) >= qty)) continue;
    for (const [sku, qty] of need) tally.set(key(sku, at(o)), (tally.get(key(sku, at(o))) ?? 0) - qty);
    covered.push(o);
  }
  return covered;
}
