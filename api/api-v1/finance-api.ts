/**
 * 财务 for integrations: the refund and collection queues, batch confirmation with a result per case (offline money
 * needs its account and reference), and the confirmed money entries with totals and CSV/XLSX export — the same
 * functions as the finance pages, with the same permissions.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createCaseDecisions } from '../after-sales/case-decisions';
import { confirmFinanceBatch, listMoneyEntries, loadFinanceQueue, moneyEntryQuery, summariseMoneyEntries, type FinanceQueue } from '../after-sales/finance-desk';
import { moneyEntriesCsv, moneyEntriesXlsx } from '../after-sales/money-export';
import type { AppEnv } from '../env';
import { PAGE_SIZES } from '../orders/order-list-query';
import { t } from '../render';
import { apiErrorBody } from './api-error';
import { caseDecisionsJson } from './after-sales-api';
import { apiApp, COMMON_ERRORS, guard, jsonBody, jsonResponse } from './api-route';
import { CaseBatchResultSchema, FinanceConfirmBodySchema, FinanceQueueSchema, MoneyEntryListSchema, moneyEntryJson } from './api-schemas';

const QueueQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  size: moneyEntryQuery.shape.size.openapi({ description: '50 (default), 100 or 200', enum: [...PAGE_SIZES] }),
});

const MoneyEntryQuerySchema = z.object({
  from: moneyEntryQuery.shape.from.openapi({ description: 'On or after this day (yyyy-MM-dd, Asia/Shanghai)' }),
  to: moneyEntryQuery.shape.to.openapi({ description: 'On or before this day (yyyy-MM-dd, Asia/Shanghai)' }),
  account: moneyEntryQuery.shape.account.openapi({ description: 'Account, exactly' }),
  kind: moneyEntryQuery.shape.kind.openapi({ description: 'refund, postage_refund, collect or reissue_cost' }),
  q: moneyEntryQuery.shape.q.openapi({ description: 'Case number or reference (exactly), or part of an order id' }),
  page: moneyEntryQuery.shape.page,
  size: moneyEntryQuery.shape.size.openapi({ description: '50 (default), 100 or 200', enum: [...PAGE_SIZES] }),
});

const queueRoute = (path: string, queue: FinanceQueue) =>
  createRoute({
    ...guard('finance.view', queue === 'refund' ? 'Refunds after-sales approved, oldest first.' : 'Exchange price differences the buyer owes, oldest first.'),
    method: 'get',
    path,
    tags: ['finance'],
    summary: queue === 'refund' ? 'Refunds waiting for finance (退款确认)' : 'Money to collect (收款确认)',
    request: { query: QueueQuery },
    responses: { ...COMMON_ERRORS, 200: jsonResponse(FinanceQueueSchema, 'One page of the queue') },
  });

const confirmRoute = (path: string, queue: FinanceQueue) =>
  createRoute({
    ...guard(
      'finance.confirm',
      'Each case at its expectedVersion; offline money needs account and reference (a case without them fails alone); platform refunds confirmed together go to the platform as one batch per shop. Cases given twice count once.',
    ),
    method: 'post',
    path,
    tags: ['finance'],
    summary: queue === 'refund' ? 'Confirm or reject refunds' : 'Confirm or reject collections',
    request: { body: jsonBody(FinanceConfirmBodySchema) },
    responses: { ...COMMON_ERRORS, 200: jsonResponse(CaseBatchResultSchema, 'One result per case') },
  });

const listEntries = createRoute({
  ...guard('finance.view', 'Newest first, with totals by Shanghai day, account and kind over all matching entries.'),
  method: 'get',
  path: '/finance/money-entries',
  tags: ['finance'],
  summary: 'Confirmed money entries (现金银行)',
  request: { query: MoneyEntryQuerySchema },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(MoneyEntryListSchema, 'One page of entries and the totals') },
});

const exportEntries = createRoute({
  ...guard('finance.view', 'All matching entries, oldest first, streamed; amounts in yuan, money out negative, times in Asia/Shanghai.'),
  method: 'get',
  path: '/finance/money-entries/export',
  tags: ['finance'],
  summary: 'Export money entries as CSV or XLSX',
  request: { query: MoneyEntryQuerySchema.omit({ page: true, size: true }).extend({ format: z.enum(['csv', 'xlsx']).default('csv') }) },
  responses: {
    ...COMMON_ERRORS,
    200: {
      description: 'The file',
      content: {
        'text/csv': { schema: z.string().openapi({ format: 'binary' }) },
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().openapi({ format: 'binary' }) },
      },
    },
  },
});

async function queue(c: Context<AppEnv>, which: FinanceQueue, page: number, size: number) {
  const data = await loadFinanceQueue(c.var.deps.db.em(), which, page, size);
  return { total: data.pager.total, page: data.pager.page, pages: data.pager.pages, size, counts: data.counts, items: data.rows.map(({ queue: _q, ...r }) => ({ ...r, updatedAt: r.updatedAt.toISOString() })) };
}

async function confirm(c: Context<AppEnv>, body: z.infer<typeof FinanceConfirmBodySchema>) {
  const seen = new Set<string>();
  const picks = body.cases.filter((x) => !seen.has(x.caseNo) && seen.add(x.caseNo)).map((x) => ({ caseNo: x.caseNo, version: x.expectedVersion }));
  const em = c.var.deps.db.em();
  const batch = { temporal: c.var.deps.temporal, taskQueue: c.var.deps.config.taskQueue, actor: c.var.actor };
  const outcomes = await confirmFinanceBatch(em, createCaseDecisions(c.var.deps.temporal, em, c.var.actor, c.var.locale), c.var.locale, picks, body, body.actionId, batch);
  const results = await caseDecisionsJson(em, outcomes);
  return { ok: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length, results };
}

export const financeApi = apiApp()
  .openapi(queueRoute('/finance/refunds', 'refund'), async (c) => {
    const { page, size } = c.req.valid('query');
    return c.json(await queue(c, 'refund', page, size), 200);
  })
  .openapi(queueRoute('/finance/payments', 'payment'), async (c) => {
    const { page, size } = c.req.valid('query');
    return c.json(await queue(c, 'payment', page, size), 200);
  })
  .openapi(confirmRoute('/finance/refunds/confirm', 'refund'), async (c) => {
    const body = c.req.valid('json');
    if (body.decision === 'reject' && !body.reason) return c.json(apiErrorBody('bad_request', t(c, 'finance.reasonRequired')), 400);
    return c.json(await confirm(c, body), 200);
  })
  .openapi(confirmRoute('/finance/payments/confirm', 'payment'), async (c) => {
    const body = c.req.valid('json');
    if (body.decision === 'reject' && !body.reason) return c.json(apiErrorBody('bad_request', t(c, 'finance.reasonRequired')), 400);
    return c.json(await confirm(c, body), 200);
  })
  .openapi(listEntries, async (c) => {
    const q = moneyEntryQuery.parse(c.req.valid('query'));
    const em = c.var.deps.db.em();
    const [list, summary] = await Promise.all([listMoneyEntries(em, q), summariseMoneyEntries(em.fork(), q)]);
    return c.json({ total: list.pager.total, page: list.pager.page, pages: list.pager.pages, size: q.size, entries: list.rows.map(moneyEntryJson), summary }, 200);
  })
  .openapi(exportEntries, (c) => {
    const { format, ...rest } = c.req.valid('query');
    const q = moneyEntryQuery.parse(rest);
    const em = c.var.deps.db.em();
    return format === 'xlsx' ? moneyEntriesXlsx(c, em, q) : moneyEntriesCsv(c, em, q);
  });
