/**
 * 财务: 退款确认 (money out that after-sales approved) and 收款确认 (exchange price differences the buyer owes), confirmed
 * in batches with a result per case — money through the platform needs nothing more, money offline needs the account
 * and the reference it went through — and the confirmed money entries (现金银行), listed and exported by day, account
 * and kind.
 */
import { maskNick } from '../../domain/pii-mask';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { Client } from '@temporalio/client';
import { z } from '@hono/zod-openapi';
import { AfterSaleCase, MoneyEntry } from '../../db/entities';
import type { MoneyKind } from '../../db/entities/money-entry.entity';
import { QC_RESULT_LABELS, refundCeilingFen } from '../../domain/after-sale';
import type { CaseSnapshot, MoneyChannel } from '../../domain/after-sale-snapshot';
import { formatShanghai, shanghaiDayStart } from '../format-time';
import { translate, type Locale } from '../i18n/translate';
import { containsText, dayFilter, PAGE_SIZES, pagerFor, type Pager } from '../orders/order-list-query';
import type { Actor } from '../../domain/roles';
import type { PlatformRefundBatchInput } from '../../workflows/after-sale-messages';
import { startWorkflowOnce } from '../orders/start-workflow-once';
import type { CaseDecisions, CaseOutcome, CasePick } from './case-decisions';

export type FinanceQueue = 'refund' | 'payment';

/** Cases waiting for finance are a work queue, not an archive: at most this many are read to sort them into the two desks. */
const QUEUE_LIMIT = 2000;

export interface FinanceRow {
  queue: FinanceQueue;
  caseNo: string;
  version: number;
  type: AfterSaleCase['type'];
  shopCode: string;
  orderId: string;
  platformOrderNo: string;
  buyerNick: string;
  lines: Array<{ title: string; spec: string; qty: number; paidFen: number; qc: string }>;
  reason: string;
  /** Money out (refund + postage the seller pays back) or in (price difference), in fen. */
  amountFen: number;
  ceilingFen: number;
  channel: MoneyChannel;
  platformRefundId: string;
  approvedBy: string;
  updatedAt: Date;
}

/** Whether a case waiting for finance is money to collect (an exchange whose replacement costs more) or money to pay back. */
export function financeQueueOf(s: Pick<CaseSnapshot, 'type' | 'priceDifferenceFen'>): FinanceQueue {
  return s.type === 'exchange' && s.priceDifferenceFen > 0 ? 'payment' : 'refund';
}

function qcText(s: CaseSnapshot, oid: string): string {
  const q = s.qc.find((x) => x.oid === oid);
  if (!q) return '';
  const parts = (['good', 'defective', 'missing', 'wrong'] as const).filter((k) => q[k] > 0).map((k) => `${QC_RESULT_LABELS[k]} ${q[k]}`);
  return [parts.join('，'), q.note].filter(Boolean).join('；');
}

function financeRow(r: AfterSaleCase, s: CaseSnapshot): FinanceRow {
  const queue = financeQueueOf(s);
  const refund = s.refundFen + (s.postageBorneBy === 'seller' ? s.postageFen : 0);
  return {
    queue,
    caseNo: r.caseNo,
    version: r.version,
    type: r.type,
    shopCode: r.shopCode,
    orderId: r.orderId,
    platformOrderNo: r.platformOrderNo,
    // The finance desks confirm money, not buyers: the nick is masked for everyone here.
    buyerNick: maskNick(r.buyerNick),
    lines: s.lines.map((l) => ({ title: l.title, spec: l.spec, qty: l.qty, paidFen: l.paidFen, qc: qcText(s, l.oid) })),
    reason: s.reason,
    amountFen: queue === 'payment' ? s.priceDifferenceFen : r.type === 'exchange' && s.priceDifferenceFen < 0 ? -s.priceDifferenceFen : refund,
    ceilingFen: refundCeilingFen(s.lines),
    // Money goes back through the platform when the case answers a platform refund; otherwise by transfer.
    channel: queue === 'refund' && (r.platformRefundId || s.platformRefund) ? 'platform' : 'offline',
    platformRefundId: r.platformRefundId,
    approvedBy: s.approvedBy,
    updatedAt: r.updatedAt,
  };
}

export async function loadFinanceQueue(em: EntityManager, queue: FinanceQueue, page: number, size: number): Promise<{ rows: FinanceRow[]; pager: Pager; counts: Record<FinanceQueue, number> }> {
  const cases = await em.find(AfterSaleCase, { stage: 'awaiting_finance' }, { orderBy: { updatedAt: 'asc', caseNo: 'asc' }, limit: QUEUE_LIMIT });
  const all = cases.filter((c) => c.snapshot).map((c) => financeRow(c, c.snapshot!));
  const mine = all.filter((r) => r.queue === queue);
  const pager = pagerFor(page, size, mine.length);
  return {
    rows: mine.slice((pager.page - 1) * size, pager.page * size),
    pager,
    counts: { refund: all.filter((r) => r.queue === 'refund').length, payment: all.filter((r) => r.queue === 'payment').length },
  };
}

export interface ConfirmInput {
  decision: 'confirm' | 'reject';
  account: string;
  reference: string;
  reason: string;
}

/** Where a batch of platform refunds is started: the workflow service and the worker's task queue. */
export interface RefundBatchDeps {
  temporal: Client;
  taskQueue: string;
  actor: Actor;
}

/**
 * Confirms (or rejects) each picked case at the version finance saw. Offline money without its account and reference
 * is refused for that case alone, with the reason. Refunds through the platform are confirmed as a batch: one
 * platformRefundBatchWorkflow per shop asks the platform for all of them in as few calls as its limits allow (each
 * case asks on its own if the batch's answer does not come), started once per action so a resent form pays nothing twice.
 */
export async function confirmFinanceBatch(
  em: EntityManager,
  decisions: CaseDecisions,
  locale: Locale,
  picks: readonly CasePick[],
  input: ConfirmInput,
  actionId: string,
  batchDeps: RefundBatchDeps,
): Promise<CaseOutcome[]> {
  const rows = new Map((await em.find(AfterSaleCase, { caseNo: { $in: picks.map((p) => p.caseNo) } })).map((r) => [r.caseNo, r]));
  const viaPlatform = new Set<string>();
  const outcomes = await decisions.batch(picks, actionId, async (p, updateId) => {
    const row = rows.get(p.caseNo);
    if (!row?.snapshot) return { caseNo: p.caseNo, ok: false, message: translate(locale, 'rma.caseNotFound', { no: p.caseNo }), failure: 'not_found' };
    if (input.decision === 'reject') {
      if (!input.reason) return { caseNo: p.caseNo, ok: false, message: translate(locale, 'finance.reasonRequired'), failure: 'refused' };
      return decisions.finance(p.caseNo, p.version, { decision: 'reject', reason: input.reason }, updateId);
    }
    const channel = financeRow(row, row.snapshot).channel;
    if (channel === 'offline' && (!input.account || !input.reference)) {
      return { caseNo: p.caseNo, ok: false, message: translate(locale, 'finance.offlineNeedsReference'), failure: 'refused' };
    }
    if (channel === 'platform') viaPlatform.add(p.caseNo);
    return decisions.finance(
      p.caseNo,
      p.version,
      channel === 'platform' ? { decision: 'confirm', channel, batched: true } : { decision: 'confirm', channel, account: input.account, reference: input.reference },
      updateId,
    );
  });
  const confirmed = outcomes.filter((o) => o.ok && viaPlatform.has(o.caseNo)).map((o) => rows.get(o.caseNo)!);
  await startRefundBatches(batchDeps, confirmed, actionId);
  return outcomes;
}

async function startRefundBatches(deps: RefundBatchDeps, confirmed: AfterSaleCase[], actionId: string): Promise<void> {
  const byShop = new Map<string, PlatformRefundBatchInput['items']>();
  for (const row of confirmed) {
    const s = row.snapshot;
    if (!s?.platformRefund) continue;
    const items = byShop.get(row.shopCode) ?? [];
    items.push({ caseWorkflowId: row.workflowId, refundId: s.platformRefund.refundId, amountFen: s.refundFen + s.postageFen, phase: s.platformRefund.phase });
    byShop.set(row.shopCode, items);
  }
  for (const [shopCode, items] of byShop) {
    const input: PlatformRefundBatchInput = { shopCode, actor: deps.actor, items };
    try {
      await startWorkflowOnce(deps.temporal, 'platformRefundBatchWorkflow', { workflowId: `refund-batch:${actionId}:${shopCode}`, taskQueue: deps.taskQueue, args: [input] });
    } catch (err) {
      // Nothing is lost: each case, hearing no answer from a batch, asks the platform on its own.
      console.error(`[finance] refund batch for ${shopCode} did not start:`, err);
    }
  }
}

// ---- 现金银行: the confirmed entries ----------------------------------------------------------

export const MONEY_KINDS = ['refund', 'postage_refund', 'collect', 'reissue_cost'] as const satisfies readonly MoneyKind[];

export const moneyEntryQuery = z.object({
  from: dayFilter.default(''),
  to: dayFilter.default(''),
  account: z.string().trim().max(100).default(''),
  kind: z.union([z.literal(''), z.enum(MONEY_KINDS)]).default(''),
  q: z.string().trim().max(60).default(''),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  size: z.coerce.number().int().refine((n) => (PAGE_SIZES as readonly number[]).includes(n), 'error.badPageSize').default(50),
});
export type MoneyEntryQuery = z.output<typeof moneyEntryQuery>;

export function moneyEntryWhere(q: MoneyEntryQuery): FilterQuery<MoneyEntry> {
  const and: FilterQuery<MoneyEntry>[] = [];
  if (q.from) and.push({ at: { $gte: shanghaiDayStart(q.from) } });
  if (q.to) and.push({ at: { $lt: new Date(shanghaiDayStart(q.to).getTime() + 24 * 3600_000) } });
  if (q.account) and.push({ account: q.account });
  if (q.kind) and.push({ kind: q.kind });
  if (q.q) and.push({ $or: [{ caseNo: q.q }, { reference: q.q }, { orderId: { $like: containsText(q.q) } }] });
  return and.length ? { $and: and } : {};
}

export interface MoneySummaryRow {
  day: string;
  account: string;
  kind: string;
  count: number;
  inFen: number;
  outFen: number;
}

export async function listMoneyEntries(em: EntityManager, q: MoneyEntryQuery) {
  const where = moneyEntryWhere(q);
  const total = await em.count(MoneyEntry, where);
  const pager = pagerFor(q.page, q.size, total);
  const rows = total ? await em.find(MoneyEntry, where, { orderBy: { at: 'desc', id: 'desc' }, limit: q.size, offset: (pager.page - 1) * q.size }) : [];
  return { rows, pager };
}

/**
 * Totals by Shanghai day, account and kind. Days are cut in Shanghai time, which no SQL dialect does the same way, so
 * the sums are taken while reading the matching rows in chunks.
 */
export async function summariseMoneyEntries(em: EntityManager, q: MoneyEntryQuery): Promise<MoneySummaryRow[]> {
  const sums = new Map<string, MoneySummaryRow>();
  for await (const chunk of moneyEntryChunks(em, q)) {
    for (const e of chunk) {
      const d = formatShanghai(e.at).slice(0, 10);
      const key = `${d}\u0000${e.account}\u0000${e.kind}`;
      const row = sums.get(key) ?? { day: d, account: e.account, kind: e.kind, count: 0, inFen: 0, outFen: 0 };
      row.count += 1;
      if (e.direction > 0) row.inFen += e.amountFen;
      else row.outFen += e.amountFen;
      sums.set(key, row);
    }
  }
  return [...sums.values()].sort((a, b) => b.day.localeCompare(a.day) || a.account.localeCompare(b.account) || a.kind.localeCompare(b.kind));
}

const CHUNK = 500;

/** The matching entries oldest first, a chunk at a time by id, so an export of a year never holds it all in memory. */
export async function* moneyEntryChunks(em: EntityManager, q: MoneyEntryQuery): AsyncGenerator<MoneyEntry[]> {
  const where = moneyEntryWhere(q);
  let afterId = 0;
  for (;;) {
    const chunk = await em.find(MoneyEntry, { $and: [where, { id: { $gt: afterId } }] }, { orderBy: { id: 'asc' }, limit: CHUNK });
    if (!chunk.length) return;
    yield chunk;
    em.clear();
    afterId = chunk[chunk.length - 1]!.id;
    if (chunk.length < CHUNK) return;
  }
}

export const EXPORT_COLUMNS = ['time', 'kind', 'direction', 'amount', 'channel', 'account', 'reference', 'shop', 'caseNo', 'orderId', 'confirmedBy', 'note'] as const;

/** One entry as an export row: Shanghai time, yuan with two decimals, money in positive and out negative. */
export function exportRow(e: MoneyEntry, locale: Locale): Array<string | number> {
  return [
    formatShanghai(e.at, true),
    translate(locale, `money.kind.${e.kind}`),
    translate(locale, e.direction > 0 ? 'money.in' : 'money.out'),
    (e.direction * e.amountFen) / 100,
    translate(locale, `money.channel.${e.channel}`),
    e.account,
    e.reference,
    e.shopCode,
    e.caseNo,
    e.orderId,
    e.confirmedBy,
    e.note,
  ];
}
