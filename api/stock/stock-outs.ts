/**
 * 今日断货: SKUs whose available stock (on hand − reserved) reached zero or below today (Asia/Shanghai), per warehouse,
 * with what is available now and the orders held for them (缺货), oldest paid first.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { ordersWaitingForStock, type WaitingOrder } from '../../db/orders-waiting-for-stock';
import { shanghaiDayStart, shanghaiToday } from '../format-time';

export interface StockOutRow {
  skuCode: string;
  name: string;
  warehouseCode: string;
  /** When available first reached zero today. */
  firstAt: Date;
  onHand: number;
  reserved: number;
  available: number;
  waiting: WaitingOrder[];
}

export async function findStockOutsToday(em: EntityManager, now = new Date()): Promise<StockOutRow[]> {
  const since = shanghaiDayStart(shanghaiToday(now));
  const conn = em.getConnection();
  const rows = await conn.execute<Array<{ sku_code: string; warehouse_code: string; first_at: unknown }>>(
    `SELECT sku_code, warehouse_code, MIN(at) AS first_at FROM stock_ledger
     WHERE at >= ? AND quality = 'good' AND on_hand_after - reserved_after <= 0 AND (on_hand_delta < 0 OR reserved_delta > 0)
     GROUP BY sku_code, warehouse_code ORDER BY MIN(at) ASC`, [since], 'all');
  if (!rows.length) return [];
  const codes = [...new Set(rows.map((r) => r.sku_code))];
  const marks = codes.map(() => '?').join(', ');
  const levels = await conn.execute<Array<{ sku_code: string; warehouse_code: string; on_hand: unknown; reserved: unknown; name: string | null }>>(
    `SELECT l.sku_code, l.warehouse_code, l.on_hand, l.reserved, s.name FROM stock_level l LEFT JOIN sku s ON s.code = l.sku_code WHERE l.quality = 'good' AND l.sku_code IN (${marks})`, codes, 'all');
  const level = new Map(levels.map((l) => [`${l.sku_code}\u0000${l.warehouse_code}`, l]));
  const waiting = await ordersWaitingForStock(em, codes);
  return rows.map((r) => {
    const l = level.get(`${r.sku_code}\u0000${r.warehouse_code}`);
    const onHand = Number(l?.on_hand ?? 0);
    const reserved = Number(l?.reserved ?? 0);
    return {
      skuCode: r.sku_code, name: l?.name ?? '', warehouseCode: r.warehouse_code, firstAt: new Date(r.first_at as string), onHand, reserved,
      available: onHand - reserved,
      waiting: waiting.filter((o) => o.skuCodes.includes(r.sku_code) && (!o.warehouseCode || o.warehouseCode === r.warehouse_code)),
    };
  });
}
