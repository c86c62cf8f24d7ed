/**
 * The order lists' filters, sorting and paging, done in SQL on indexed columns: one count and one page
 * query per list, and one query for the lines of the rows shown, however many orders there are.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { raw, type FilterQuery, type QueryOrderMap } from '@mikro-orm/core';
// The OpenAPI-aware zod: /api/v1 describes this schema, and zod 4 gives .openapi() only to schemas made after it loaded.
import { z } from '@hono/zod-openapi';
import { Order, OrderLine } from '../../db/entities';
import { SYNC_STATUSES, type OrderStatus } from '../../domain/order-status';
import { PROVINCES } from '../../domain/regions';
import { refundBlocksShipping } from '../../domain/taobao';
import { shanghaiDayStart } from '../format-time';

export const PAGE_SIZES = [50, 100, 200] as const;
/** "Select all N matching" applies a batch to at most this many orders, so one click cannot start an unbounded run. */
export const MAX_BATCH = 1000;

const SORTS = {
  paid: 'paidAt',
  amount: 'paidFen',
  province: 'province',
  sku: 'mainSku',
  created: 'createdAt',
  syncNext: 'syncNextAt',
  shipped: 'shippedAt',
} as const satisfies Record<string, keyof Order>;
export type OrderSort = keyof typeof SORTS;

/** A yyyy-MM-dd that is on the calendar: 2026-13-45 would otherwise roll over into another month. */
const isCalendarDay = (s: string): boolean => {
  const [y, m, d] = s.split('-').map(Number);
  const date = new Date(Date.UTC(y ?? 0, (m ?? 0) - 1, d ?? 0));
  return date.getUTCFullYear() === y && date.getUTCMonth() + 1 === m && date.getUTCDate() === d;
};
/** An optional day filter (yyyy-MM-dd, Asia/Shanghai): empty, or a real calendar day. */
export const dayFilter = z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'error.badDate').refine(isCalendarDay, 'error.badDate')]);

/**
 * A status filter is a word looked up in a screen's table of statuses; "toString", "constructor" or "__proto__"
 * would find a property every object has instead of a missing entry, so they are refused here as bad input.
 */
const statusKey = z
  .string()
  .trim()
  .max(20)
  .refine((s) => s === '' || (/^[a-z][a-z_]*$/.test(s) && !(s in Object.prototype)), 'error.badInput');

export const orderListQuery = z.object({
  shop: z.string().trim().max(40).default(''),
  status: statusKey.default(''),
  from: dayFilter.default(''),
  to: dayFilter.default(''),
  province: z.union([z.literal(''), z.enum(PROVINCES.map((p) => p.short) as [string, ...string[]])]).default(''),
  q: z.string().trim().max(100).default(''),
  waybill: z.string().trim().max(40).default(''),
  courier: z.string().trim().max(20).default(''),
  sync: z.union([z.literal(''), z.enum(SYNC_STATUSES)]).default(''),
  sort: z.enum(Object.keys(SORTS) as [OrderSort, ...OrderSort[]]).optional(),
  dir: z.enum(['asc', 'desc']).optional(),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  size: z.coerce.number().int().refine((n) => (PAGE_SIZES as readonly number[]).includes(n), 'error.badPageSize').default(50),
});
export type OrderListQuery = z.output<typeof orderListQuery>;

/** The list's query as plain strings, for links that keep the filter (sort headers, pager, "select all matching"). */
export function queryParams(q: OrderListQuery): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '' && k !== 'page') out[k] = String(v);
  return out;
}

// '!' rather than a backslash: MySQL reads a backslash in a string literal as an escape itself, SQLite does not.
const LIKE_ESCAPE = '!';

/** Text to find anywhere in a column, with LIKE's % and _ (and the escape character) taken literally. */
export function likeLiteralPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (m) => `${LIKE_ESCAPE}${m}`)}%`;
}

/** The operand of a LIKE that finds `text` anywhere in a column, the same on SQLite and MySQL: `{ col: { $like: containsText(t) } }`. */
export function containsText(text: string): string {
  // MikroORM writes `column like <this>`, so the fragment brings its own ESCAPE clause with the bound pattern.
  return raw(`? escape '${LIKE_ESCAPE}'`, [likeLiteralPattern(text)]) as unknown as string;
}

export function orderWhere(q: OrderListQuery, statuses: readonly OrderStatus[] | null): FilterQuery<Order> {
  const and: FilterQuery<Order>[] = [];
  if (statuses) and.push({ status: statuses.length === 1 ? statuses[0]! : { $in: [...statuses] } });
  if (q.shop) and.push({ shopCode: q.shop });
  if (q.courier) and.push({ courierCode: q.courier });
  if (q.sync) and.push({ syncStatus: q.sync });
  if (q.waybill) and.push({ waybillNo: q.waybill });
  if (q.province) and.push({ province: { $like: `${q.province}%` } });
  if (q.from) and.push({ paidAt: { $gte: shanghaiDayStart(q.from) } });
  if (q.to) and.push({ paidAt: { $lt: new Date(shanghaiDayStart(q.to).getTime() + 24 * 3600_000) } });
  if (q.q) {
    const text = q.q;
    const or: FilterQuery<Order>[] = [
      { platformOrderNo: text },
      { waybillNo: text },
      { receiverMobile: text },
      { receiverPhone: text },
      { buyerNick: { $like: containsText(text) } },
      { receiverName: { $like: containsText(text) } },
    ];
    // Digits are an order number or a phone typed in part: match from the start so the index still helps.
    if (/^\d{4,}$/.test(text)) or.push({ platformOrderNo: { $like: `${text}%` } }, { receiverMobile: { $like: `${text}%` } });
    and.push({ $or: or });
  }
  return and.length ? { $and: and } : {};
}

export interface OrderPage {
  rows: Order[];
  total: number;
  pager: Pager;
}

export interface Pager {
  page: number;
  pages: number;
  size: number;
  total: number;
  first: number;
  last: number;
  prev: number | null;
  next: number | null;
}

export function pagerFor(page: number, size: number, total: number): Pager {
  const pages = Math.max(1, Math.ceil(total / size));
  const p = Math.min(page, pages);
  return {
    page: p,
    pages,
    size,
    total,
    first: total ? (p - 1) * size + 1 : 0,
    last: Math.min(total, p * size),
    prev: p > 1 ? p - 1 : null,
    next: p < pages ? p + 1 : null,
  };
}

export function orderBy(sort: OrderSort, dir: 'asc' | 'desc'): QueryOrderMap<Order> {
  return { [SORTS[sort]]: dir, id: 'asc' } as QueryOrderMap<Order>;
}

export async function findOrderPage(em: EntityManager, where: FilterQuery<Order>, q: OrderListQuery, sort: OrderSort, dir: 'asc' | 'desc'): Promise<OrderPage> {
  const total = await em.count(Order, where);
  const pager = pagerFor(q.page, q.size, total);
  const rows = total
    ? await em.find(Order, where, { orderBy: orderBy(sort, dir), limit: q.size, offset: (pager.page - 1) * q.size })
    : [];
  return { rows, total, pager };
}

/** Id and version of every matching order, up to MAX_BATCH, for "select all N matching". */
export async function findMatchingIds(em: EntityManager, where: FilterQuery<Order>, sort: OrderSort, dir: 'asc' | 'desc'): Promise<Array<{ id: string; version: number }>> {
  const rows = await em.find(Order, where, { fields: ['id', 'version'], orderBy: orderBy(sort, dir), limit: MAX_BATCH });
  return rows.map((r) => ({ id: r.id, version: r.version }));
}

export async function linesByOrder(em: EntityManager, orderIds: readonly string[]): Promise<Map<string, OrderLine[]>> {
  const map = new Map<string, OrderLine[]>();
  if (!orderIds.length) return map;
  const lines = await em.find(OrderLine, { orderId: { $in: [...orderIds] } }, { orderBy: { orderId: 'asc', lineNo: 'asc' } });
  for (const l of lines) map.set(l.orderId, [...(map.get(l.orderId) ?? []), l]);
  return map;
}

/** A refund asked for or an alert on the order paints its row pink, as the seller knows from 退款检测. */
export function needsAttention(o: Pick<Order, 'refundStatus' | 'alert'>): boolean {
  return refundBlocksShipping(o.refundStatus || undefined) || !!o.alert;
}

/** Safe for an HTML id and unique enough per page: order ids hold colons, which CSS selectors would need escaped. */
export function domId(orderId: string): string {
  return `o-${orderId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}
