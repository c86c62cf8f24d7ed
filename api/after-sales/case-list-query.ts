/**
 * The after-sales queues: cases per stage with a count on every tab, filtered by type, shop and text, sorted and paged
 * in SQL on the (stage, updated_at) index, so a queue of thousands answers as fast as one of ten.
 */
import { raw, type FilterQuery, type QueryOrderMap } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { z } from '@hono/zod-openapi';
import { AfterSaleCase } from '../../db/entities';
import { CASE_STAGES, CASE_TYPES, type CaseStage } from '../../domain/after-sale';
import { containsText, MAX_BATCH, PAGE_SIZES, pagerFor, type Pager } from '../orders/order-list-query';

/** The tabs in the order after-sales works through them; 'open' is every case not yet done or closed. */
export const CASE_TABS = [
  'registered',
  'intercepting',
  'awaiting_parcel',
  'awaiting_qc',
  'awaiting_approval',
  'awaiting_finance',
  'awaiting_platform_refund',
  'awaiting_replacement',
  'done',
  'closed',
  'open',
  'all',
] as const;
export type CaseTab = (typeof CASE_TABS)[number];

const SORTS = { updated: 'updatedAt', created: 'createdAt', deadline: 'deadline', amount: 'refundFen', no: 'caseNo' } as const satisfies Record<string, keyof AfterSaleCase>;
export type CaseSort = keyof typeof SORTS;

export const caseListQuery = z.object({
  stage: z.enum(CASE_TABS).default('registered'),
  type: z.union([z.literal(''), z.enum(CASE_TYPES)]).default(''),
  shop: z.string().trim().max(40).default(''),
  q: z.string().trim().max(100).default(''),
  sort: z.enum(Object.keys(SORTS) as [CaseSort, ...CaseSort[]]).default('updated'),
  dir: z.enum(['asc', 'desc']).default('desc'),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  size: z.coerce.number().int().refine((n) => (PAGE_SIZES as readonly number[]).includes(n), 'error.badPageSize').default(50),
});
export type CaseListQuery = z.output<typeof caseListQuery>;

function stageWhere(tab: CaseTab): FilterQuery<AfterSaleCase> {
  if (tab === 'all') return {};
  if (tab === 'open') return { stage: { $nin: ['done', 'closed'] } };
  return { stage: tab };
}

/** Type, shop and text: the filters every tab shares (the counts are taken with them too). */
export function caseFilterWhere(q: Pick<CaseListQuery, 'type' | 'shop' | 'q'>): FilterQuery<AfterSaleCase> {
  const and: FilterQuery<AfterSaleCase>[] = [];
  if (q.type) and.push({ type: q.type });
  if (q.shop) and.push({ shopCode: q.shop });
  if (q.q) {
    const text = q.q;
    const or: FilterQuery<AfterSaleCase>[] = [
      { caseNo: text },
      { platformOrderNo: text },
      { returnWaybillNo: text },
      { platformRefundId: text },
      { buyerNick: { $like: containsText(text) } },
    ];
    // A number typed in part: from the start, so the indexes still help.
    if (/^[A-Za-z0-9-]{4,}$/.test(text)) or.push({ caseNo: { $like: `${text}%` } }, { platformOrderNo: { $like: `${text}%` } });
    and.push({ $or: or });
  }
  return and.length ? { $and: and } : {};
}

export function caseWhere(q: CaseListQuery): FilterQuery<AfterSaleCase> {
  const parts = [stageWhere(q.stage), caseFilterWhere(q)].filter((w) => Object.keys(w).length);
  return parts.length ? { $and: parts } : {};
}

function caseOrderBy(sort: CaseSort, dir: 'asc' | 'desc'): QueryOrderMap<AfterSaleCase> {
  return { [SORTS[sort]]: dir, caseNo: 'asc' } as QueryOrderMap<AfterSaleCase>;
}

/** How many cases each stage holds under the shared filters, in one grouped query. */
export async function countByStage(em: EntityManager, q: Pick<CaseListQuery, 'type' | 'shop' | 'q'>): Promise<Record<CaseTab, number>> {
  const rows = (await em
    .createQueryBuilder(AfterSaleCase)
    .select(['stage', raw('count(*) as n')])
    .where(caseFilterWhere(q))
    .groupBy('stage')
    .execute('all', false)) as Array<{ stage: string; n: number | string }>;
  const counts = Object.fromEntries(CASE_TABS.map((t) => [t, 0])) as Record<CaseTab, number>;
  for (const r of rows) {
    const n = Number(r.n);
    if ((CASE_STAGES as readonly string[]).includes(r.stage)) counts[r.stage as CaseStage] += n;
    counts.all += n;
    if (r.stage !== 'done' && r.stage !== 'closed') counts.open += n;
  }
  return counts;
}

export interface CasePage {
  rows: AfterSaleCase[];
  pager: Pager;
  counts: Record<CaseTab, number>;
}

export async function findCasePage(em: EntityManager, q: CaseListQuery): Promise<CasePage> {
  const where = caseWhere(q);
  const counts = await countByStage(em, q);
  const total = counts[q.stage];
  const pager = pagerFor(q.page, q.size, total);
  const rows = total ? await em.find(AfterSaleCase, where, { orderBy: caseOrderBy(q.sort, q.dir), limit: q.size, offset: (pager.page - 1) * q.size }) : [];
  return { rows, pager, counts };
}

/** Number and version of every matching case, up to MAX_BATCH, for "select all N matching". */
export async function findMatchingCases(em: EntityManager, q: CaseListQuery): Promise<Array<{ caseNo: string; version: number }>> {
  const rows = await em.find(AfterSaleCase, caseWhere(q), { fields: ['caseNo', 'version'], orderBy: caseOrderBy(q.sort, q.dir), limit: MAX_BATCH });
  return rows.map((r) => ({ caseNo: r.caseNo, version: r.version }));
}

/** The list's query as link parameters (without the page). */
export function caseQueryParams(q: CaseListQuery): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) if (v !== '' && k !== 'page') out[k] = String(v);
  return out;
}
