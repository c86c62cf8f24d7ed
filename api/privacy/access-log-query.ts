/**
 * Searching the personal-data access log for admins (page, API and export alike): by user, by day range (Asia/Shanghai)
 * and by order (its id or platform order number, found inside the ids a row names), newest first.
 */
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
// The OpenAPI-aware zod, so /api/v1 can describe this schema.
import { z } from '@hono/zod-openapi';
import { PiiAccessLog, type PiiAccessAction, type PiiAccessVia } from '../../db/entities';
import { shanghaiDayStart } from '../format-time';
import { csvResponse, type CsvRow } from '../exports/csv-response';
import { containsText, dayFilter, pagerFor, PAGE_SIZES, type Pager } from '../orders/order-list-query';

export const accessLogQuery = z.object({
  user: z.string().trim().max(60).default(''),
  from: dayFilter.default(''),
  to: dayFilter.default(''),
  order: z.string().trim().max(120).default(''),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  size: z.coerce.number().int().refine((n) => (PAGE_SIZES as readonly number[]).includes(n), 'error.badPageSize').default(50),
});
export type AccessLogQuery = z.output<typeof accessLogQuery>;

export function accessLogWhere(q: AccessLogQuery): FilterQuery<PiiAccessLog> {
  const and: FilterQuery<PiiAccessLog>[] = [];
  if (q.user) and.push({ username: q.user });
  if (q.from) and.push({ at: { $gte: shanghaiDayStart(q.from) } });
  if (q.to) and.push({ at: { $lt: new Date(shanghaiDayStart(q.to).getTime() + 24 * 3600_000) } });
  // An order is named inside the ids of a row (one per line) or in its description (an export's filter, a case).
  if (q.order) and.push({ $or: [{ orderIds: { $like: containsText(q.order) } }, { description: { $like: containsText(q.order) } }] });
  return and.length ? { $and: and } : {};
}

export async function findAccessLogPage(em: EntityManager, q: AccessLogQuery): Promise<{ rows: PiiAccessLog[]; pager: Pager }> {
  const where = accessLogWhere(q);
  const total = await em.count(PiiAccessLog, where);
  const pager = pagerFor(q.page, q.size, total);
  const rows = total ? await em.find(PiiAccessLog, where, { orderBy: { at: 'desc', id: 'desc' }, limit: q.size, offset: (pager.page - 1) * q.size }) : [];
  return { rows, pager };
}

/** Every matching row, a chunk at a time, for the export. */
export async function* accessLogChunks(em: EntityManager, q: AccessLogQuery, chunk = 1000): AsyncGenerator<PiiAccessLog[]> {
  const where = accessLogWhere(q);
  let lastId = Number.MAX_SAFE_INTEGER;
  for (;;) {
    const rows = await em.fork().find(PiiAccessLog, { $and: [where, { id: { $lt: lastId } }] }, { orderBy: { id: 'desc' }, limit: chunk });
    if (!rows.length) return;
    yield rows;
    lastId = rows[rows.length - 1]!.id;
    if (rows.length < chunk) return;
  }
}

export interface AccessLogRowView {
  id: number;
  at: string;
  username: string;
  action: PiiAccessAction;
  via: PiiAccessVia;
  orderIds: string[];
  description: string;
  rowCount: number;
  clientAddress: string;
}

export function accessLogJson(r: PiiAccessLog): AccessLogRowView {
  return {
    id: r.id,
    at: r.at.toISOString(),
    username: r.username,
    action: r.action,
    via: r.via,
    orderIds: r.orderIds ? r.orderIds.split('\n') : [],
    description: r.description,
    rowCount: r.rowCount,
    clientAddress: r.clientAddress,
  };
}

/** The log as CSV, streamed a chunk at a time. */
export function accessLogCsv(em: EntityManager, q: AccessLogQuery, header: string[], label: (r: PiiAccessLog) => CsvRow): Response {
  return csvResponse({ header, chunks: accessLogChunks(em, q), toRow: label, fileName: 'pii-access-log.csv' });
}
