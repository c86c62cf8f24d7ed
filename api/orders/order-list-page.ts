/** Loads one page of an order list for a screen: its filter (bad values reported, never fatal), rows with names and goods, and the pager. */
import type { Context } from 'hono';
import { z } from 'zod';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { AfterSaleCase, type Order } from '../../db/entities';
import type { OrderStatus } from '../../domain/order-status';
import { PROVINCES } from '../../domain/regions';
import type { AppEnv } from '../env';
import { describeIssue } from '../read-form';
import { describeRequest, logPiiAccess } from '../privacy/access-log';
import { asksClear, listPii, showPii, type ListPii } from '../privacy/pii-view';
import { t } from '../render';
import type { DecisionOutcome } from './order-decisions';
import {
  findOrderPage,
  linesByOrder,
  orderListQuery,
  orderWhere,
  PAGE_SIZES,
  queryParams,
  type OrderListQuery,
  type OrderSort,
  type Pager,
} from './order-list-query';
import { orderRow, type OrderRowView } from './order-row';
import { loadReferenceData, type ReferenceData } from './reference-data';

export interface ListScreen {
  /** Status filter value when none is given, and the statuses each value stands for (null = any). */
  defaultStatus: string;
  statuses: Record<string, readonly OrderStatus[] | null>;
  defaultSort: OrderSort;
  defaultDir: 'asc' | 'desc';
  /** Sync filter value when none is given (the sync page starts at "failing"). */
  defaultSync?: OrderListQuery['sync'];
}

export interface OrderList {
  q: OrderListQuery;
  sort: OrderSort;
  dir: 'asc' | 'desc';
  where: FilterQuery<Order>;
  error: string;
  /** Each row with the number of an open after-sales case on the order ('' when none). */
  rows: Array<OrderRowView & { openCaseNo: string }>;
  pager: Pager;
  refs: ReferenceData;
  /** Current filter as link parameters (without page). */
  query: Record<string, string>;
  /** Same, as a query string, for the hidden "filter" field of batch forms. */
  queryString: string;
  provinces: string[];
  pageSizes: readonly number[];
  statusOptions: string[];
  /** Whether the rows show buyers' data in clear, and the links to switch. */
  pii: ListPii;
}

export function parseListQuery(raw: Record<string, string>, screen: ListScreen): { q: OrderListQuery; error: z.ZodError | null } {
  const parsed = orderListQuery.safeParse(raw);
  const q = parsed.success ? parsed.data : orderListQuery.parse({});
  // A status this screen does not have is a mistyped or stale link: said as bad input, never silently widened to another list.
  const unknownStatus = parsed.success && q.status !== '' && !Object.hasOwn(screen.statuses, q.status);
  if (!q.status || unknownStatus) q.status = screen.defaultStatus;
  if (!raw.sync && screen.defaultSync !== undefined) q.sync = screen.defaultSync;
  if (unknownStatus) return { q, error: new z.ZodError([{ code: 'custom', path: ['status'], message: 'error.badInput', input: raw.status }]) };
  return { q, error: parsed.success ? null : parsed.error };
}

export function listWhere(q: OrderListQuery, screen: ListScreen): FilterQuery<Order> {
  return orderWhere(q, screen.statuses[q.status] ?? null);
}

/** The open after-sales case of each shown order, in one query on the case table's order_id index. */
async function openCasesByOrder(em: EntityManager, orderIds: string[]): Promise<Map<string, string>> {
  if (!orderIds.length) return new Map();
  const rows = await em.find(AfterSaleCase, { orderId: { $in: orderIds }, stage: { $nin: ['done', 'closed'] } }, { fields: ['caseNo', 'orderId'], orderBy: { createdAt: 'asc' } });
  return new Map(rows.map((r) => [r.orderId, r.caseNo]));
}

export async function loadOrderList(
  c: Context<AppEnv>,
  raw: Record<string, string>,
  screen: ListScreen,
  outcomes: Map<string, DecisionOutcome> = new Map(),
): Promise<OrderList> {
  const { q, error } = parseListQuery(raw, screen);
  const pii = listPii(c);
  // Asking for clear values without order.viewPii shows the list masked, with a message saying who may.
  const piiError = asksClear(c) && !pii.canClear ? t(c, 'pii.forbidden') : '';
  const sort = q.sort ?? screen.defaultSort;
  const dir = q.dir ?? screen.defaultDir;
  const em = c.var.deps.db.em();
  const where = listWhere(q, screen);
  const [page, refs] = await Promise.all([findOrderPage(em, where, q, sort, dir), loadReferenceData(em)]);
  const ids = page.rows.map((r) => r.id);
  const [lines, openCases] = await Promise.all([linesByOrder(em, ids), openCasesByOrder(em, ids)]);
  const rows = page.rows.map((o) => {
    const outcome = outcomes.get(o.id);
    const row = orderRow(showPii(o, pii.clear), lines.get(o.id), refs, outcome ? { ok: outcome.ok, message: outcome.message } : undefined);
    // The workflow answers before its read-model write may land; show the state it reported.
    if (outcome?.status) Object.assign(row, { status: outcome.status, reviewable: false });
    if (outcome?.waybillNo) row.waybillNo = outcome.waybillNo;
    return { ...row, openCaseNo: openCases.get(o.id) ?? '' };
  });
  if (pii.clear && ids.length) await logPiiAccess(c, { action: 'view', orderIds: ids, description: describeRequest(c) });
  // Sorting and paging a clear list keeps it clear (each page is logged again).
  const query: Record<string, string> = { ...queryParams(q), sort, dir, ...(pii.clear ? { pii: 'clear' } : {}) };
  return {
    q,
    sort,
    dir,
    where,
    error: error ? describeIssue(c, error) : piiError,
    rows,
    pager: page.pager,
    refs,
    query,
    queryString: new URLSearchParams(query).toString(),
    provinces: PROVINCES.map((p) => p.short),
    pageSizes: PAGE_SIZES,
    statusOptions: Object.keys(screen.statuses),
    pii,
  };
}
