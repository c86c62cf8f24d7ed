/**
 * 入库/出库 documents, 盘点 count sheets and 今日断货: documents and count sheets are created by the warehouse (lines
 * typed or scanned), approved by the warehouse (a count by someone other than who submitted it), and every decision
 * goes to the record's workflow; 今日断货 lists what ran out today with the orders waiting for it.
 */
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { StockDocument, Stocktake, Warehouse } from '../../db/entities';
import { can } from '../../domain/roles';
import { STOCK_DOC_REASON_LABELS, STOCK_DOC_REASONS, STOCK_DOC_STAGE_LABELS, STOCKTAKE_STAGE_LABELS, type StockDocDirection } from '../../domain/stock-document';
import {
  approveStockDocUpdate,
  approveStocktakeUpdate,
  cancelStockDocUpdate,
  cancelStocktakeUpdate,
  countUpdate,
  stockDocStateQuery,
  stocktakeStateQuery,
  submitCountUpdate,
} from '../../workflows/stock-document-messages';
import { actionIdPattern, newActionId } from '../action-id';
import { requireRole } from '../auth/require-role';
import type { AppEnv } from '../env';
import { PAGE_SIZES, pagerFor } from '../orders/order-list-query';
import { readForm } from '../read-form';
import { renderError, renderPage, t } from '../render';
import { createStockDocument, createStocktake } from '../stock/create-stock-document';
import { resolveSkuLines } from '../stock/create-transfer';
import { sendStockDecision, type StockDecisionOutcome } from '../stock/stock-decisions';
import { parseLinesText } from '../stock/parse-lines';
import { findStockOutsToday } from '../stock/stock-outs';

type Ctx = Context<AppEnv>;
type Flash = { ok: boolean; message: string };

const actionId = z.string().regex(actionIdPattern, 'error.staleForm');
const version = z.coerce.number().int().min(0).max(1e9);
const NO = /^[A-Za-z0-9_-]{1,40}$/;
const LIVE_QUERY_MS = 2_000;
const listQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  size: z.coerce.number().int().refine((n) => (PAGE_SIZES as readonly number[]).includes(n), 'error.badPageSize').default(50),
});

const warehouses = (c: Ctx) => c.var.deps.db.em().fork().find(Warehouse, { active: true }, { orderBy: { id: 'asc' } });
const deps = (c: Ctx) => ({ db: c.var.deps.db, temporal: c.var.deps.temporal, taskQueue: c.var.deps.config.taskQueue });
const param = (c: Ctx) => {
  const no = c.req.param('no') ?? '';
  return NO.test(no) ? no : null;
};

/** The workflow's own state when it answers quickly and is newer than the read model (a record just created). */
async function live<T extends { version: number }>(c: Ctx, workflowId: string, stored: T, query: string): Promise<T> {
  const temporal = c.var.deps.temporal;
  try {
    const s = (await temporal.connection.withDeadline(Date.now() + LIVE_QUERY_MS, () => temporal.workflow.getHandle(workflowId).query<T>(query)));
    return s.version >= stored.version ? s : stored;
  } catch {
    return stored;
  }
}

// ---- 入库单 / 出库单 ------------------------------------------------------------------------------

async function renderDocuments(c: Ctx, form: Record<string, string> = {}, error = '') {
  const parsed = listQuery.safeParse(c.req.query());
  const q = parsed.success ? parsed.data : listQuery.parse({});
  const em = c.var.deps.db.em().fork();
  const pager = pagerFor(q.page, q.size, await em.count(StockDocument, {}));
  const rows = await em.find(StockDocument, {}, { orderBy: { createdAt: 'desc', docNo: 'desc' }, limit: q.size, offset: (pager.page - 1) * q.size });
  const direction = (form.direction ?? c.req.query('direction')) === 'out' ? 'out' : 'in';
  return renderPage(c, 'stock/documents', {
    title: t(c, 'nav.stockInOut'),
    rows: rows.map((r) => ({ ...r, reasonLabel: STOCK_DOC_REASON_LABELS[r.reason] ?? r.reason, stageLabel: STOCK_DOC_STAGE_LABELS[r.stage] })),
    pager,
    query: { size: String(q.size) },
    mayCreate: can(c.var.user.roles, 'stock.manage'),
    direction,
    reasons: STOCK_DOC_REASONS[direction].map((r) => ({ code: r, label: STOCK_DOC_REASON_LABELS[r] })),
    warehouses: await warehouses(c),
    actionId: form.actionId || newActionId(),
    v: { warehouse: 'MAIN', ...form },
    error,
  }, error ? 400 : 200);
}

async function renderDocument(c: Ctx, docNo: string, flash?: Flash, status: ContentfulStatusCode = 200) {
  const row = await c.var.deps.db.em().fork().findOne(StockDocument, { docNo });
  if (!row?.snapshot) return renderError(c, 404, t(c, 'stock.docNotFound', { no: docNo }));
  const s = await live(c, row.workflowId, row.snapshot, stockDocStateQuery.name);
  return renderPage(c, 'stock/document', {
    title: `${s.direction === 'in' ? '入库单' : '出库单'} ${docNo}`,
    s,
    reasonLabel: STOCK_DOC_REASON_LABELS[s.reason] ?? s.reason,
    stageLabel: STOCK_DOC_STAGE_LABELS[s.stage],
    flash,
    actionId: newActionId(),
    canDecide: s.stage === 'draft' && can(c.var.user.roles, 'stock.approve'),
  }, status);
}

const createDocForm = z.object({
  actionId,
  direction: z.enum(['in', 'out']),
  reason: z.string().max(20),
  warehouse: z.string().trim().min(1).max(40),
  quality: z.enum(['good', 'defective']).default('good'),
  memo: z.string().trim().max(255).default(''),
  lines: z.string().max(50_000).default(''),
});
const decisionForm = z.object({ actionId, expectedVersion: version, reason: z.string().trim().max(255).default('') });

async function docDecision(c: Ctx, kind: 'approve' | 'cancel') {
  const no = param(c);
  if (!no) return renderError(c, 404, t(c, 'stock.docNotFound', { no: c.req.param('no') ?? '' }));
  const form = await readForm(c, decisionForm);
  if (!form.ok) return renderDocument(c, no, { ok: false, message: form.message }, 400);
  const f = form.data;
  const base = { actor: c.var.actor, expectedVersion: f.expectedVersion };
  const o = kind === 'approve'
    ? await sendStockDecision(c.var.deps.temporal, `stockdoc:${no}`, approveStockDocUpdate, { ...base, reason: f.reason }, `${f.actionId}:${no}`, c.var.locale)
    : await sendStockDecision(c.var.deps.temporal, `stockdoc:${no}`, cancelStockDocUpdate, { ...base, reason: f.reason }, `${f.actionId}:${no}`, c.var.locale);
  return renderDocument(c, no, { ok: o.ok, message: o.message }, statusOf(o));
}

const statusOf = (o: StockDecisionOutcome): ContentfulStatusCode => (o.ok ? 200 : o.failure === 'not_found' ? 404 : 409);

// ---- 盘点 -------------------------------------------------------------------------------------------

async function renderStocktakes(c: Ctx, error = '') {
  const parsed = listQuery.safeParse(c.req.query());
  const q = parsed.success ? parsed.data : listQuery.parse({});
  const em = c.var.deps.db.em().fork();
  const pager = pagerFor(q.page, q.size, await em.count(Stocktake, {}));
  const rows = await em.find(Stocktake, {}, { orderBy: { createdAt: 'desc', stocktakeNo: 'desc' }, limit: q.size, offset: (pager.page - 1) * q.size });
  return renderPage(c, 'stock/stocktakes', {
    title: t(c, 'nav.stocktake'),
    rows: rows.map((r) => ({ ...r, stageLabel: STOCKTAKE_STAGE_LABELS[r.stage], counted: r.snapshot?.lines.length ?? 0 })),
    pager,
    query: { size: String(q.size) },
    mayCreate: can(c.var.user.roles, 'stock.manage'),
    warehouses: await warehouses(c),
    actionId: newActionId(),
    error,
  }, error ? 400 : 200);
}

async function renderStocktake(c: Ctx, no: string, flash?: Flash, status: ContentfulStatusCode = 200) {
  const row = await c.var.deps.db.em().fork().findOne(Stocktake, { stocktakeNo: no });
  if (!row?.snapshot) return renderError(c, 404, t(c, 'stock.stocktakeNotFound', { no }));
  const s = await live(c, row.workflowId, row.snapshot, stocktakeStateQuery.name);
  const roles = c.var.user.roles;
  return renderPage(c, 'stock/stocktake', {
    title: `${t(c, 'nav.stocktake')} ${no}`,
    s,
    stageLabel: STOCKTAKE_STAGE_LABELS[s.stage],
    lines: s.lines.map((l) => ({ ...l, levelAfter: l.bookAtStart === null ? null : l.counted + (l.movedSince ?? 0) })),
    differing: s.lines.filter((l) => l.variance).length,
    flash,
    actionId: newActionId(),
    canCount: s.stage === 'counting' && can(roles, 'stock.manage'),
    canApprove: s.stage === 'awaiting_approval' && can(roles, 'stock.approve'),
    canCancel: (s.stage === 'counting' || s.stage === 'awaiting_approval') && can(roles, 'stock.manage'),
  }, status);
}

function stocktakeDecision(kind: 'count' | 'submit' | 'approve' | 'cancel') {
  return async (c: Ctx) => {
    const no = param(c);
    if (!no) return renderError(c, 404, t(c, 'stock.stocktakeNotFound', { no: c.req.param('no') ?? '' }));
    const form = await readForm(c, decisionForm.extend({ lines: z.string().max(50_000).default(''), decision: z.enum(['approve', 'reject']).default('approve') }));
    if (!form.ok) return renderStocktake(c, no, { ok: false, message: form.message }, 400);
    const f = form.data;
    const base = { actor: c.var.actor, expectedVersion: f.expectedVersion };
    const wf = `stocktake:${no}`;
    const updateId = `${f.actionId}:${no}`;
    let o: StockDecisionOutcome;
    if (kind === 'count') {
      // A scan is one unit and a code scanned again adds up; a typed "code qty" is the count, 0 included.
      const parsed = parseLinesText(f.lines, false, true);
      if (typeof parsed === 'string') return renderStocktake(c, no, { ok: false, message: parsed }, 400);
      const resolved = await resolveSkuLines(c.var.deps.db.em().fork(), parsed);
      if ('problem' in resolved) return renderStocktake(c, no, { ok: false, message: resolved.problem }, 400);
      if (!resolved.lines.length) return renderStocktake(c, no, { ok: false, message: '请填写盘点数量' }, 400);
      o = await sendStockDecision(c.var.deps.temporal, wf, countUpdate, { ...base, counts: resolved.lines.map((l) => ({ skuCode: l.sku.code, counted: l.qty })) }, updateId, c.var.locale);
    } else if (kind === 'submit') {
      o = await sendStockDecision(c.var.deps.temporal, wf, submitCountUpdate, base, updateId, c.var.locale);
    } else if (kind === 'approve') {
      o = await sendStockDecision(c.var.deps.temporal, wf, approveStocktakeUpdate, { ...base, decision: f.decision, reason: f.reason }, updateId, c.var.locale);
    } else {
      o = await sendStockDecision(c.var.deps.temporal, wf, cancelStocktakeUpdate, { ...base, reason: f.reason }, updateId, c.var.locale);
    }
    return renderStocktake(c, no, { ok: o.ok, message: o.message }, statusOf(o));
  };
}

export const stockDocumentRoutes = new Hono<AppEnv>()
  .get('/documents', requireRole('stock.view'), (c) => renderDocuments(c))
  .post('/documents', requireRole('stock.manage'), async (c) => {
    const raw = Object.fromEntries(Object.entries(await c.req.parseBody()).map(([k, v]) => [k, typeof v === 'string' ? v : '']));
    const form = await readForm(c, createDocForm);
    if (!form.ok) return renderDocuments(c, raw, form.message);
    const f = form.data;
    const lines = parseLinesText(f.lines, false);
    if (typeof lines === 'string') return renderDocuments(c, raw, lines);
    const o = await createStockDocument(deps(c), c.var.actor, { actionId: f.actionId, direction: f.direction as StockDocDirection, reason: f.reason, warehouseCode: f.warehouse, quality: f.quality, memo: f.memo, lines });
    if (!o.ok) return renderDocuments(c, raw, o.message);
    return c.redirect(`/stock/documents/${encodeURIComponent(o.no)}`, 303);
  })
  .get('/documents/:no', requireRole('stock.view'), (c) => {
    const no = param(c);
    return no ? renderDocument(c, no) : renderError(c, 404, t(c, 'stock.docNotFound', { no: c.req.param('no') }));
  })
  .post('/documents/:no/approve', requireRole('stock.approve'), (c) => docDecision(c, 'approve'))
  .post('/documents/:no/cancel', requireRole('stock.approve'), (c) => docDecision(c, 'cancel'))
  .get('/stocktakes', requireRole('stock.view'), (c) => renderStocktakes(c))
  .post('/stocktakes', requireRole('stock.manage'), async (c) => {
    const form = await readForm(c, z.object({ actionId, warehouse: z.string().trim().min(1).max(40), quality: z.enum(['good', 'defective']).default('good'), memo: z.string().trim().max(255).default('') }));
    if (!form.ok) return renderStocktakes(c, form.message);
    const o = await createStocktake(deps(c), c.var.actor, { actionId: form.data.actionId, warehouseCode: form.data.warehouse, quality: form.data.quality, memo: form.data.memo });
    if (!o.ok) return renderStocktakes(c, o.message);
    return c.redirect(`/stock/stocktakes/${encodeURIComponent(o.no)}`, 303);
  })
  .get('/stocktakes/:no', requireRole('stock.view'), (c) => {
    const no = param(c);
    return no ? renderStocktake(c, no) : renderError(c, 404, t(c, 'stock.stocktakeNotFound', { no: c.req.param('no') }));
  })
  .post('/stocktakes/:no/count', requireRole('stock.manage'), stocktakeDecision('count'))
  .post('/stocktakes/:no/submit', requireRole('stock.manage'), stocktakeDecision('submit'))
  .post('/stocktakes/:no/approve', requireRole('stock.approve'), stocktakeDecision('approve'))
  .post('/stocktakes/:no/cancel', requireRole('stock.manage'), stocktakeDecision('cancel'))
  .get('/outages', requireRole('stock.view'), async (c) => {
    const rows = await findStockOutsToday(c.var.deps.db.em().fork());
    return renderPage(c, 'stock/outages', { title: t(c, 'nav.stockOuts'), rows });
  });
