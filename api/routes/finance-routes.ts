/**
 * 财务: 退款确认 and 收款确认 with batch confirmation and a result per case (offline money needs its account and
 * reference), and 现金银行, the confirmed entries with totals by day, account and kind, exported as CSV or XLSX.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { can } from '../../domain/roles';
import { actionIdPattern, newActionId } from '../action-id';
import { createCaseDecisions, parseCasePicks, type CaseOutcome } from '../after-sales/case-decisions';
import { confirmFinanceBatch, listMoneyEntries, loadFinanceQueue, MONEY_KINDS, moneyEntryQuery, summariseMoneyEntries, type FinanceQueue } from '../after-sales/finance-desk';
import { moneyEntriesCsv, moneyEntriesXlsx } from '../after-sales/money-export';
import { requireRole } from '../auth/require-role';
import type { AppEnv } from '../env';
import { PAGE_SIZES } from '../orders/order-list-query';
import { asList, readForm } from '../read-form';
import { renderPage, t } from '../render';

type Ctx = Context<AppEnv>;

const pageQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  size: z.coerce.number().int().refine((n) => (PAGE_SIZES as readonly number[]).includes(n), 'error.badPageSize').default(50),
});

const confirmForm = z.object({
  actionId: z.string().regex(actionIdPattern, 'error.staleForm'),
  pick: z.preprocess(asList, z.array(z.string().max(80))).default([]),
  only: z.string().max(80).optional(),
  decision: z.enum(['confirm', 'reject']).default('confirm'),
  account: z.string().trim().max(100).default(''),
  reference: z.string().trim().max(100).default(''),
  reason: z.string().trim().max(255).default(''),
});

async function renderQueue(c: Ctx, queue: FinanceQueue, extra: { outcomes?: CaseOutcome[]; error?: string } = {}, status: 200 | 400 = 200) {
  const parsed = pageQuery.safeParse(c.req.query());
  const p = parsed.success ? parsed.data : pageQuery.parse({});
  const data = await loadFinanceQueue(c.var.deps.db.em(), queue, p.page, p.size);
  const results = new Map((extra.outcomes ?? []).map((o) => [o.caseNo, o]));
  return renderPage(
    c,
    'finance/queue',
    {
      title: t(c, queue === 'refund' ? 'nav.refundConfirm' : 'nav.paymentConfirm'),
      queue,
      isRefund: queue === 'refund',
      action: `/finance/${queue === 'refund' ? 'refunds' : 'payments'}/confirm`,
      rows: data.rows.map((r) => ({ ...r, pick: `${r.caseNo}@${r.version}`, result: results.get(r.caseNo) })),
      pager: data.pager,
      query: { size: String(p.size) },
      counts: data.counts,
      mayConfirm: can(c.var.user.roles, 'finance.confirm'),
      actionId: newActionId(),
      results: extra.outcomes?.length ? { ok: extra.outcomes.filter((o) => o.ok).length, failed: extra.outcomes.filter((o) => !o.ok).length, items: extra.outcomes } : null,
      error: extra.error ?? '',
    },
    extra.error ? 400 : status,
  );
}

async function confirm(c: Ctx, queue: FinanceQueue) {
  const form = await readForm(c, confirmForm);
  if (!form.ok) return renderQueue(c, queue, { error: form.message });
  const f = form.data;
  const picks = parseCasePicks(f.only ? [f.only] : f.pick);
  if (!picks) return renderQueue(c, queue, { error: t(c, 'error.badSelection') });
  if (!picks.length) return renderQueue(c, queue, { error: t(c, 'rma.nothingSelected') });
  if (f.decision === 'reject' && !f.reason) return renderQueue(c, queue, { error: t(c, 'finance.reasonRequired') });
  const em = c.var.deps.db.em();
  const decisions = createCaseDecisions(c.var.deps.temporal, em, c.var.actor, c.var.locale);
  const batch = { temporal: c.var.deps.temporal, taskQueue: c.var.deps.config.taskQueue, actor: c.var.actor };
  const outcomes = await confirmFinanceBatch(em, decisions, c.var.locale, picks, { decision: f.decision, account: f.account, reference: f.reference, reason: f.reason }, f.actionId, batch);
  return renderQueue(c, queue, { outcomes });
}

export const financeRoutes = new Hono<AppEnv>()
  .get('/', requireRole('finance.view'), (c) => c.redirect('/finance/refunds', 302))
  .get('/refunds', requireRole('finance.view'), (c) => renderQueue(c, 'refund'))
  .post('/refunds/confirm', requireRole('finance.confirm'), (c) => confirm(c, 'refund'))
  .get('/payments', requireRole('finance.view'), (c) => renderQueue(c, 'payment'))
  .post('/payments/confirm', requireRole('finance.confirm'), (c) => confirm(c, 'payment'))
  .get('/entries', requireRole('finance.view'), async (c) => {
    const parsed = moneyEntryQuery.safeParse(c.req.query());
    const q = parsed.success ? parsed.data : moneyEntryQuery.parse({});
    const em = c.var.deps.db.em();
    const [list, summary] = await Promise.all([listMoneyEntries(em, q), summariseMoneyEntries(em.fork(), q)]);
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(q)) if (v !== '' && k !== 'page') query[k] = String(v);
    const exportQuery = new URLSearchParams(Object.fromEntries(Object.entries(query).filter(([k]) => k !== 'size'))).toString();
    return renderPage(
      c,
      'finance/entries',
      {
        title: t(c, 'nav.cashBank'),
        q,
        query,
        rows: list.rows,
        pager: list.pager,
        summary,
        kinds: MONEY_KINDS,
        csvHref: `/finance/entries/export?${exportQuery}${exportQuery ? '&' : ''}format=csv`,
        xlsxHref: `/finance/entries/export?${exportQuery}${exportQuery ? '&' : ''}format=xlsx`,
        error: parsed.success ? '' : t(c, 'error.badInput'),
      },
      parsed.success ? 200 : 400,
    );
  })
  .get('/entries/export', requireRole('finance.view'), (c) => {
    const parsed = moneyEntryQuery.extend({ format: z.enum(['csv', 'xlsx']).default('csv') }).safeParse(c.req.query());
    if (!parsed.success) return c.text(t(c, 'error.badInput'), 400);
    const { format, ...q } = parsed.data;
    const em = c.var.deps.db.em();
    return format === 'xlsx' ? moneyEntriesXlsx(c, em, q) : moneyEntriesCsv(c, em, q);
  });
