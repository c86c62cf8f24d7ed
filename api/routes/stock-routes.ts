/**
 * 库存: 库存查询 with CSV/XLSX export, the ledger of a SKU, and 调拨单 — created by the warehouse (lines typed or
 * scanned), approved out and in by the warehouse, a counted difference approved by a second person, cancelled before
 * outbound, and reversed after it only with an admin's approval. Every decision goes to the transfer's workflow.
 */
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { StockTransfer, Warehouse } from '../../db/entities';
import { can } from '../../domain/roles';
import { TRANSFER_STAGE_LABELS, TRANSFER_STAGES, transferDifferences, type TransferSnapshot, type TransferStage } from '../../domain/stock-transfer';
import { transferStateQuery } from '../../workflows/stock-transfer-messages';
import { actionIdPattern, newActionId } from '../action-id';
import { requireRole } from '../auth/require-role';
import type { AppEnv } from '../env';
import { PAGE_SIZES, pagerFor } from '../orders/order-list-query';
import { readForm } from '../read-form';
import { renderError, renderPage, t } from '../render';
import { createTransfer } from '../stock/create-transfer';
import { findLedgerPage, ledgerQuery } from '../stock/ledger-query';
import { stockCsv, stockXlsx } from '../stock/stock-export';
import { parseLinesText } from '../stock/parse-lines';
import { findStockPage, stockQuery } from '../stock/stock-query';
import { createTransferDecisions, type TransferOutcome } from '../stock/transfer-decisions';
import { stockDocumentRoutes } from './stock-document-routes';

type Ctx = Context<AppEnv>;
type Flash = { ok: boolean; message: string };

const actionId = z.string().regex(actionIdPattern, 'error.staleForm');
const version = z.coerce.number().int().min(0).max(1e9);
const TRANSFER_NO = /^[A-Za-z0-9_-]{1,40}$/;
const LIVE_QUERY_MS = 2_000;

const decisions = (c: Ctx) => createTransferDecisions(c.var.deps.temporal, c.var.deps.db.em(), c.var.actor, c.var.locale);

/** Query values worth keeping in links (pager, sort, export), without the defaults. */
function keep(q: Record<string, unknown>, drop: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) if (v !== '' && v !== undefined && !drop.includes(k)) out[k] = String(v);
  return out;
}

// ---- 库存查询 and the ledger --------------------------------------------------------------------

async function warehouses(c: Ctx) {
  return c.var.deps.db.em().fork().find(Warehouse, {}, { orderBy: { id: 'asc' } });
}

async function renderLevels(c: Ctx) {
  const parsed = stockQuery.safeParse(c.req.query());
  const q = parsed.success ? parsed.data : stockQuery.parse({});
  const { rows, pager } = await findStockPage(c.var.deps.db.em().fork(), q);
  const query = keep(q, ['page']);
  const exportQuery = new URLSearchParams(keep(q, ['page', 'size'])).toString();
  return renderPage(
    c,
    'stock/levels',
    {
      title: t(c, 'nav.stockQuery'),
      q,
      query,
      rows,
      pager,
      warehouses: await warehouses(c),
      sizes: PAGE_SIZES,
      csvHref: `/stock/levels/export?${exportQuery}${exportQuery ? '&' : ''}format=csv`,
      xlsxHref: `/stock/levels/export?${exportQuery}${exportQuery ? '&' : ''}format=xlsx`,
      error: parsed.success ? '' : t(c, 'error.badInput'),
    },
    parsed.success ? 200 : 400,
  );
}

// ---- 调拨单 --------------------------------------------------------------------------------------

const transferListQuery = z.object({
  stage: z.enum(['', ...TRANSFER_STAGES] as [string, ...string[]]).default(''),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  size: z.coerce.number().int().refine((n) => (PAGE_SIZES as readonly number[]).includes(n), 'error.badPageSize').default(50),
});

async function renderTransfers(c: Ctx) {
  const parsed = transferListQuery.safeParse(c.req.query());
  const q = parsed.success ? parsed.data : transferListQuery.parse({});
  const em = c.var.deps.db.em().fork();
  const where = q.stage ? { stage: q.stage as TransferStage } : {};
  const pager = pagerFor(q.page, q.size, await em.count(StockTransfer, where));
  const rows = await em.find(StockTransfer, where, { orderBy: { createdAt: 'desc', transferNo: 'desc' }, limit: q.size, offset: (pager.page - 1) * q.size });
  return renderPage(c, 'stock/transfers', {
    title: t(c, 'nav.transfer'),
    q,
    query: keep(q, ['page']),
    stages: TRANSFER_STAGES.map((s) => ({ code: s, label: TRANSFER_STAGE_LABELS[s] })),
    rows: rows.map((r) => ({ ...r, stageLabel: TRANSFER_STAGE_LABELS[r.stage] })),
    pager,
    mayCreate: can(c.var.user.roles, 'stock.manage'),
  }, parsed.success ? 200 : 400);
}

async function renderNewTransfer(c: Ctx, values: Record<string, string> = {}, error = '') {
  return renderPage(c, 'stock/transfer-new', {
    title: t(c, 'stock.newTransfer'),
    actionId: values.actionId || newActionId(),
    warehouses: (await warehouses(c)).filter((w) => w.active),
    v: { from: 'MAIN', costBasis: 'same_price', quality: 'good', ...values },
    error,
  }, error ? 400 : 200);
}

async function renderTransfer(c: Ctx, transferNo: string, flash?: Flash, status: ContentfulStatusCode = 200) {
  const row = await c.var.deps.db.em().fork().findOne(StockTransfer, { transferNo });
  if (!row?.snapshot) return renderError(c, 404, t(c, 'stock.transferNotFound', { no: transferNo }));
  const s = await liveSnapshot(c, row.workflowId, row.snapshot);
  const roles = c.var.user.roles;
  const names = new Map((await warehouses(c)).map((w) => [w.code, w.name]));
  return renderPage(c, 'stock/transfer', {
    title: `${t(c, 'stock.transfer')} ${transferNo}`,
    s,
    stageLabel: TRANSFER_STAGE_LABELS[s.stage],
    fromName: names.get(s.fromWarehouseCode) ?? s.fromWarehouseCode,
    toName: names.get(s.toWarehouseCode) ?? s.toWarehouseCode,
    lines: s.lines.map((l, i) => ({ ...l, i, diff: l.receivedQty === null ? null : l.receivedQty - l.qty })),
    differences: transferDifferences(s.lines),
    flash,
    actionId: newActionId(),
    canPrint: s.stage !== 'cancelled' && can(roles, 'stock.manage'),
    canOutbound: s.stage === 'created' && can(roles, 'stock.approve'),
    canCancel: s.stage === 'created' && can(roles, 'stock.manage'),
    canInbound: s.stage === 'in_transit' && can(roles, 'stock.approve'),
    canDifference: s.stage === 'awaiting_difference' && can(roles, 'stock.approve'),
    canRequestReverse: (s.stage === 'in_transit' || s.stage === 'awaiting_difference') && can(roles, 'stock.manage'),
    canDecideReverse: s.stage === 'reverse_requested' && can(roles, 'stock.reverse'),
  }, status);
}

/**
 * The workflow's own state when it answers quickly and is newer than the read model (a transfer just created has not
 * written its first version yet), so the version a form carries is the one the workflow will check.
 */
async function liveSnapshot(c: Ctx, workflowId: string, stored: TransferSnapshot): Promise<TransferSnapshot> {
  const temporal = c.var.deps.temporal;
  try {
    const live = await temporal.connection.withDeadline(Date.now() + LIVE_QUERY_MS, () => temporal.workflow.getHandle(workflowId).query(transferStateQuery));
    return live.version >= stored.version ? live : stored;
  } catch {
    return stored;
  }
}

const transferParam = (c: Ctx): string | null => {
  const no = c.req.param('no') ?? '';
  return TRANSFER_NO.test(no) ? no : null;
};

const answer = (c: Ctx, no: string, o: TransferOutcome) =>
  renderTransfer(c, no, { ok: o.ok, message: o.message }, o.ok ? 200 : o.failure === 'not_found' ? 404 : 409);

const createForm = z.object({
  actionId,
  from: z.string().trim().min(1).max(40),
  to: z.string().trim().min(1).max(40),
  quality: z.enum(['good', 'defective']).default('good'),
  costBasis: z.enum(['same_price', 'other']).default('same_price'),
  memo: z.string().trim().max(255).default(''),
  lines: z.string().max(50_000).default(''),
});
const decisionForm = z.object({ actionId, expectedVersion: version, reason: z.string().trim().max(255).default('') });
const differenceForm = decisionForm.extend({ decision: z.enum(['approve', 'reject']) });
const reverseDecisionForm = decisionForm.extend({ decision: z.enum(['approve', 'reject']) });

/** A decision route: the transfer number checked, the form read, the decision sent, the page shown again with its answer. */
function decide<S extends z.ZodType<{ actionId: string; expectedVersion: number }>>(schema: S, send: (c: Ctx, no: string, f: z.output<S>, body: Record<string, unknown>) => Promise<TransferOutcome | string>) {
  return async (c: Ctx) => {
    const no = transferParam(c);
    if (!no) return renderError(c, 404, t(c, 'stock.transferNotFound', { no: c.req.param('no') ?? '' }));
    const body = await c.req.parseBody({ all: true });
    const form = await readForm(c, schema);
    if (!form.ok) return renderTransfer(c, no, { ok: false, message: form.message }, 400);
    const o = await send(c, no, form.data, body);
    if (typeof o === 'string') return renderTransfer(c, no, { ok: false, message: o }, 400);
    return answer(c, no, o);
  };
}

export const stockRoutes = new Hono<AppEnv>()
  .route('/', stockDocumentRoutes)
  .get('/', requireRole('stock.view'), (c) => c.redirect('/stock/levels', 302))
  .get('/levels', requireRole('stock.view'), (c) => renderLevels(c))
  .get('/levels/export', requireRole('stock.view'), (c) => {
    const parsed = stockQuery.extend({ format: z.enum(['csv', 'xlsx']).default('csv') }).safeParse(c.req.query());
    if (!parsed.success) return c.text(t(c, 'error.badInput'), 400);
    const { format, ...q } = parsed.data;
    const em = c.var.deps.db.em().fork();
    return format === 'xlsx' ? stockXlsx(c, em, q) : stockCsv(c, em, q);
  })
  .get('/ledger', requireRole('stock.view'), async (c) => {
    const parsed = ledgerQuery.safeParse(c.req.query());
    const data = parsed.success ? await findLedgerPage(c.var.deps.db.em().fork(), parsed.data) : null;
    return renderPage(c, 'stock/ledger', {
      title: t(c, 'stock.ledger'),
      q: parsed.success ? parsed.data : { sku: c.req.query('sku') ?? '', warehouse: c.req.query('warehouse') ?? '', quality: '' },
      query: parsed.success ? keep(parsed.data, ['page']) : {},
      rows: data?.rows ?? [],
      pager: data?.pager ?? pagerFor(1, 50, 0),
      warehouses: await warehouses(c),
      error: parsed.success || !c.req.query('sku') ? '' : t(c, 'error.badInput'),
    }, parsed.success || !c.req.query('sku') ? 200 : 400);
  })
  .get('/transfers', requireRole('stock.view'), (c) => renderTransfers(c))
  .get('/transfers/new', requireRole('stock.manage'), (c) => renderNewTransfer(c))
  .post('/transfers', requireRole('stock.manage'), async (c) => {
    const form = await readForm(c, createForm);
    const raw = Object.fromEntries(Object.entries(await c.req.parseBody()).map(([k, v]) => [k, typeof v === 'string' ? v : '']));
    if (!form.ok) return renderNewTransfer(c, raw, form.message);
    const f = form.data;
    const lines = parseLinesText(f.lines, f.costBasis === 'other');
    if (typeof lines === 'string') return renderNewTransfer(c, raw, lines);
    const deps = { db: c.var.deps.db, temporal: c.var.deps.temporal, taskQueue: c.var.deps.config.taskQueue };
    const outcome = await createTransfer(deps, c.var.actor, {
      actionId: f.actionId, fromWarehouseCode: f.from, toWarehouseCode: f.to, quality: f.quality, costBasis: f.costBasis, memo: f.memo, lines,
    });
    if (!outcome.ok) return renderNewTransfer(c, raw, outcome.message);
    return c.redirect(`/stock/transfers/${encodeURIComponent(outcome.transferNo)}?created=${outcome.repeated ? 'again' : '1'}`, 303);
  })
  .get('/transfers/:no', requireRole('stock.view'), (c) => {
    const no = transferParam(c);
    if (!no) return renderError(c, 404, t(c, 'stock.transferNotFound', { no: c.req.param('no') }));
    const created = c.req.query('created');
    return renderTransfer(c, no, created ? { ok: true, message: t(c, created === 'again' ? 'stock.createdAgain' : 'stock.created', { no }) } : undefined);
  })
  .post('/transfers/:no/print', requireRole('stock.manage'), decide(z.object({ actionId, expectedVersion: version.default(0) }), (c, no, f) => decisions(c).printNote(no, `${f.actionId}:${no}`)))
  .get('/transfers/:no/note.pdf', requireRole('stock.view'), async (c) => {
    const no = transferParam(c);
    const row = no ? await c.var.deps.db.em().fork().findOne(StockTransfer, { transferNo: no }, { populate: ['notePdf'] }) : null;
    if (!no || !row?.notePdf) return renderError(c, 404, t(c, 'stock.noteNotPrinted', { no: c.req.param('no') }));
    return c.body(new Uint8Array(row.notePdf), 200, { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${no}.pdf"`, 'cache-control': 'no-store' });
  })
  .post('/transfers/:no/outbound', requireRole('stock.approve'), decide(decisionForm, (c, no, f) => decisions(c).outbound(no, f.expectedVersion, `${f.actionId}:${no}`, f.reason)))
  .post('/transfers/:no/inbound', requireRole('stock.approve'), decide(decisionForm, async (c, no, f, body) => {
    const row = await c.var.deps.db.em().fork().findOne(StockTransfer, { transferNo: no });
    const lines = row?.snapshot?.lines ?? [];
    const received: Array<{ skuCode: string; qty: number }> = [];
    for (const [i, l] of lines.entries()) {
      const text = String(body[`received_${i}`] ?? '').trim();
      const qty = Number(text);
      if (text === '' || !Number.isInteger(qty) || qty < 0) return `商品 ${l.skuCode} 的实收数量必须是不小于 0 的整数`;
      received.push({ skuCode: l.skuCode, qty });
    }
    return decisions(c).inbound(no, f.expectedVersion, { received, reason: f.reason }, `${f.actionId}:${no}`);
  }))
  .post('/transfers/:no/difference', requireRole('stock.approve'), decide(differenceForm, (c, no, f) => decisions(c).difference(no, f.expectedVersion, { decision: f.decision, reason: f.reason }, `${f.actionId}:${no}`)))
  .post('/transfers/:no/cancel', requireRole('stock.manage'), decide(decisionForm, (c, no, f) => decisions(c).cancel(no, f.expectedVersion, { reason: f.reason }, `${f.actionId}:${no}`)))
  .post('/transfers/:no/reverse-request', requireRole('stock.manage'), decide(decisionForm, (c, no, f) => decisions(c).reverse(no, f.expectedVersion, { decision: 'request', reason: f.reason }, `${f.actionId}:${no}`)))
  .post('/transfers/:no/reverse-decision', requireRole('stock.reverse'), decide(reverseDecisionForm, (c, no, f) => decisions(c).reverse(no, f.expectedVersion, { decision: f.decision, reason: f.reason }, `${f.actionId}:${no}`)));
