/**
 * 库存查询: stock per SKU, warehouse and quality — on hand, reserved, available and in transit (what transfers have
 * taken out of their source for this warehouse and not yet booked in) — filtered, sorted and paged on the server, and
 * read in chunks for the exports so the whole list never sits in memory.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { z } from 'zod';
import { IN_TRANSIT_STAGES } from '../../domain/stock-transfer';
import { likeLiteralPattern, PAGE_SIZES, pagerFor, type Pager } from '../orders/order-list-query';

export const STOCK_SORTS = ['sku', 'warehouse', 'onHand', 'reserved', 'available', 'inTransit'] as const;
export type StockSort = (typeof STOCK_SORTS)[number];

const SORT_SQL: Record<StockSort, string> = {
  sku: 'l.sku_code',
  warehouse: 'l.warehouse_code',
  onHand: 'l.on_hand',
  reserved: 'l.reserved',
  available: '(l.on_hand - l.reserved)',
  inTransit: 'in_transit',
};

export const stockQuery = z.object({
  q: z.string().trim().max(60).default(''),
  warehouse: z.string().trim().max(40).default(''),
  quality: z.enum(['', 'good', 'defective']).default(''),
  /** 'nonzero' hides rows with nothing on hand, reserved or in transit; 'short' shows only what has nothing available. */
  show: z.enum(['all', 'nonzero', 'short']).default('nonzero'),
  sort: z.enum(STOCK_SORTS).default('sku'),
  dir: z.enum(['asc', 'desc']).default('asc'),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  size: z.coerce.number().int().refine((n) => (PAGE_SIZES as readonly number[]).includes(n), 'error.badPageSize').default(50),
});
export type StockQuery = z.output<typeof stockQuery>;

export interface StockRow {
  skuCode: string;
  name: string;
  spec: string;
  barcode: string;
  warehouseCode: string;
  warehouseName: string;
  quality: 'good' | 'defective';
  onHand: number;
  reserved: number;
  available: number;
  inTransit: number;
}

function fromWhere(q: StockQuery): { sql: string; params: unknown[] } {
  const stages = IN_TRANSIT_STAGES.map(() => '?').join(', ');
  const params: unknown[] = [...IN_TRANSIT_STAGES];
  const and: string[] = [];
  if (q.q) {
    const like = likeLiteralPattern(q.q);
    and.push("(l.sku_code LIKE ? ESCAPE '!' OR s.name LIKE ? ESCAPE '!' OR s.barcode = ?)");
    params.push(like, like, q.q);
  }
  if (q.warehouse) {
    and.push('l.warehouse_code = ?');
    params.push(q.warehouse);
  }
  if (q.quality) {
    and.push('l.quality = ?');
    params.push(q.quality);
  }
  if (q.show === 'nonzero') and.push('(l.on_hand <> 0 OR l.reserved <> 0 OR COALESCE(t.qty, 0) <> 0)');
  if (q.show === 'short') and.push('l.on_hand - l.reserved <= 0');
  const sql = `FROM stock_level l
    LEFT JOIN sku s ON s.code = l.sku_code
    LEFT JOIN warehouse w ON w.code = l.warehouse_code
    LEFT JOIN (SELECT tl.sku_code, tr.to_warehouse_code, tr.quality, SUM(tl.qty) AS qty
               FROM stock_transfer_line tl JOIN stock_transfer tr ON tr.transfer_no = tl.transfer_no
               WHERE tr.stage IN (${stages}) GROUP BY tl.sku_code, tr.to_warehouse_code, tr.quality) t
      ON t.sku_code = l.sku_code AND t.to_warehouse_code = l.warehouse_code AND t.quality = l.quality
    ${and.length ? `WHERE ${and.join(' AND ')}` : ''}`;
  return { sql, params };
}

const SELECT = `SELECT l.sku_code, COALESCE(s.name, '') AS name, COALESCE(s.spec, '') AS spec, COALESCE(s.barcode, '') AS barcode,
  l.warehouse_code, COALESCE(w.name, l.warehouse_code) AS warehouse_name, l.quality, l.on_hand, l.reserved, COALESCE(t.qty, 0) AS in_transit`;

type RawRow = { sku_code: string; name: string; spec: string; barcode: string; warehouse_code: string; warehouse_name: string; quality: string; on_hand: unknown; reserved: unknown; in_transit: unknown };

function toRow(r: RawRow): StockRow {
  const onHand = Number(r.on_hand);
  const reserved = Number(r.reserved);
  return {
    skuCode: r.sku_code, name: r.name, spec: r.spec, barcode: r.barcode, warehouseCode: r.warehouse_code, warehouseName: r.warehouse_name,
    quality: r.quality === 'defective' ? 'defective' : 'good', onHand, reserved, available: onHand - reserved, inTransit: Number(r.in_transit),
  };
}

function orderSql(q: StockQuery): string {
  const dir = q.dir === 'desc' ? 'DESC' : 'ASC';
  // A stable order after the chosen column, so paging never shows a row twice or skips one.
  return `ORDER BY ${SORT_SQL[q.sort]} ${dir}, l.sku_code ASC, l.warehouse_code ASC, l.quality ASC`;
}

export async function findStockPage(em: EntityManager, q: StockQuery): Promise<{ rows: StockRow[]; pager: Pager }> {
  const conn = em.getConnection();
  const { sql, params } = fromWhere(q);
  const [count] = await conn.execute<Array<{ n: unknown }>>(`SELECT COUNT(*) AS n ${sql}`, params, 'all');
  const pager = pagerFor(q.page, q.size, Number(count?.n ?? 0));
  const rows = await conn.execute<RawRow[]>(`${SELECT} ${sql} ${orderSql(q)} LIMIT ? OFFSET ?`, [...params, q.size, (pager.page - 1) * q.size], 'all');
  return { rows: rows.map(toRow), pager };
}

/** Every matching row, a chunk at a time, in the page's order: what the exports write while they stream. */
export async function* stockChunks(em: EntityManager, q: StockQuery, chunkSize = 1_000): AsyncGenerator<StockRow[]> {
  const conn = em.getConnection();
  const { sql, params } = fromWhere(q);
  for (let offset = 0; ; offset += chunkSize) {
    const rows = await conn.execute<RawRow[]>(`${SELECT} ${sql} ${orderSql(q)} LIMIT ? OFFSET ?`, [...params, chunkSize, offset], 'all');
    if (rows.length) yield rows.map(toRow);
    if (rows.length < chunkSize) return;
  }
}
