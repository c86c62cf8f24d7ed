/**
 * 售后: 退换登记, the queues per stage with batch decisions, the case page, the returns desk and QC. Every decision is an
 * Update on the case's workflow carrying the action id of the form and the version the person saw; each route checks
 * the role, and the workflow's validator checks it again.
 */
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { AfterSaleCase, Order } from '../../db/entities';
import { CASE_REASONS, CASE_TYPES, QC_RESULTS, type QcLine } from '../../domain/after-sale';
import { yuanToFen } from '../../domain/money';
import { can } from '../../domain/roles';
import { actionIdPattern, newActionId } from '../action-id';
import { createCaseDecisions, parseCasePicks, type CaseOutcome, type CasePick } from '../after-sales/case-decisions';
import { CASE_TABS, caseListQuery, caseQueryParams, findCasePage, findMatchingCases, type CaseListQuery } from '../after-sales/case-list-query';
import { loadCaseView } from '../after-sales/case-view';
import { findOrdersForCase, registerCase, registrationView, type RegisterLineInput } from '../after-sales/register-case';
import { listUnmatchedParcels, matchUnmatchedParcel, scanReturnParcel } from '../after-sales/returns-desk';
import { requireRole } from '../auth/require-role';
import type { AppEnv } from '../env';
import { formatShanghai } from '../format-time';
import { renderOrderDetail } from '../orders/order-detail-page';
import { MAX_BATCH, PAGE_SIZES } from '../orders/order-list-query';
import { loadReferenceData } from '../orders/reference-data';
import { asList, readForm } from '../read-form';
import { maskNick, maskPii } from '../../domain/pii-mask';
import { logPiiAccess } from '../privacy/access-log';
import { canViewPii, maskTimelineEntry, showPii } from '../privacy/pii-view';
import { renderError, renderPage, t } from '../render';

type Ctx = Context<AppEnv>;
interface Flash {
  ok: boolean;
  message: string;
}

const actionId = z.string().regex(actionIdPattern, 'error.staleForm');
const version = z.coerce.number().int().min(0).max(1e9);
const CASE_NO = /^[A-Za-z0-9_-]{1,60}$/;

const decisions = (c: Ctx) => createCaseDecisions(c.var.deps.temporal, c.var.deps.db.em(), c.var.actor, c.var.locale);

/** Yuan typed by a person, as fen; null when it is not an amount. */
function fenOf(text: string): number | null {
  if (!text) return 0;
  try {
    const fen = yuanToFen(text);
    return fen < 0 ? null : fen;
  } catch {
    return null;
  }
}

// ---- 退换登记 --------------------------------------------------------------------------------

const registerForm = z.object({
  actionId,
  orderId: z.string().min(1).max(120),
  type: z.enum(CASE_TYPES),
  reason: z.string().max(40),
  note: z.string().trim().max(255).default(''),
  returnCompany: z.string().trim().max(60).default(''),
  returnWaybillNo: z.string().trim().max(60).default(''),
  returnsWarehouseCode: z.string().trim().max(40).default(''),
  sellableWarehouseCode: z.string().trim().max(40).default(''),
});

/** The picked lines of the form: oid_<i>, qty_<i> and, for an exchange, sku_<i> / price_<i> per order line. */
function readRegisterLines(body: Record<string, unknown>): RegisterLineInput[] | null {
  const lines: RegisterLineInput[] = [];
  for (const [key, value] of Object.entries(body)) {
    const m = /^oid_(\d{1,3})$/.exec(key);
    if (!m || typeof value !== 'string') continue;
    const i = m[1]!;
    const qtyText = String(body[`qty_${i}`] ?? '').trim();
    if (!qtyText || qtyText === '0') continue;
    if (!/^\d{1,6}$/.test(qtyText)) return null;
    const line: RegisterLineInput = { oid: value, qty: Number(qtyText) };
    const sku = String(body[`sku_${i}`] ?? '').trim();
    if (sku) line.replacementSku = sku.slice(0, 60);
    const price = String(body[`price_${i}`] ?? '').trim();
    if (price) {
      const fen = fenOf(price);
      if (fen === null) return null;
      line.replacementPriceFen = fen;
    }
    lines.push(line);
  }
  return lines;
}

async function renderRegister(c: Ctx, params: { q?: string; orderId?: string; error?: string; values?: Record<string, unknown>; actionId?: string }, status: ContentfulStatusCode = 200) {
  const em = c.var.deps.db.em();
  const q = (params.q ?? '').trim();
  let found: Order[] = [];
  let orderId = params.orderId ?? '';
  if (!orderId && q) {
    found = await findOrdersForCase(em, q);
    if (found.length === 1) orderId = found[0]!.id;
  }
  const [view, refs] = await Promise.all([orderId ? registrationView(em, orderId) : Promise.resolve(null), loadReferenceData(em)]);
  const values = params.values ?? {};
  // Search results are a list (masked for everyone); the one order being registered is clear for those who may, logged.
  const clear = canViewPii(c);
  if (view && clear) await logPiiAccess(c, { action: 'view', orderIds: [view.order.id], description: `退换登记 ${view.order.platformOrderNo}` });
  return renderPage(
    c,
    'after-sales/register',
    {
      title: t(c, 'nav.rmaRegister'),
      q,
      found: found.length > 1 ? found.map((o) => maskPii(o)) : [],
      notFound: !!q && !found.length && !view,
      // A refused form comes back with what was typed, line by line.
      view: view && { ...view, order: showPii(view.order, clear), lines: view.lines.map((l, i) => ({ ...l, qtyValue: String(values[`qty_${i}`] ?? '0'), skuValue: String(values[`sku_${i}`] ?? ''), priceValue: String(values[`price_${i}`] ?? '') })) },
      values,
      types: CASE_TYPES.map((type) => ({ type, selected: (values.type ?? 'return') === type })),
      reasons: CASE_REASONS.map((r) => ({ reason: r, selected: values.reason === r })),
      returnsWarehouses: refs.warehouses.filter((w) => w.kind === 'returns'),
      sellableWarehouses: refs.warehouses.filter((w) => w.kind === 'normal'),
      actionId: params.actionId ?? newActionId(),
      error: params.error ?? '',
    },
    status,
  );
}

// ---- queues --------------------------------------------------------------------------------

const batchForm = z.object({
  actionId,
  action: z.enum(['agree', 'approve']),
  pick: z.preprocess(asList, z.array(z.string().max(80))).default([]),
  allMatching: z.string().optional(),
  filter: z.string().max(2000).default(''),
});

async function renderQueue(c: Ctx, raw: Record<string, string>, extra: { outcomes?: CaseOutcome[]; error?: string } = {}) {
  const parsed = caseListQuery.safeParse(raw);
  const q: CaseListQuery = parsed.success ? parsed.data : caseListQuery.parse({});
  const em = c.var.deps.db.em();
  const [page, refs] = await Promise.all([findCasePage(em, q), loadReferenceData(em)]);
  const results = new Map((extra.outcomes ?? []).map((o) => [o.caseNo, o]));
  const now = Date.now();
  const query = caseQueryParams(q);
  return renderPage(
    c,
    'after-sales/list',
    {
      title: t(c, 'rma.queues'),
      q,
      query,
      queryString: new URLSearchParams(query).toString(),
      tabs: CASE_TABS.map((tab) => ({ tab, count: page.counts[tab], active: tab === q.stage, href: `?${new URLSearchParams({ ...query, stage: tab }).toString()}` })),
      rows: page.rows.map((r) => ({
        ...r,
        buyerNick: maskNick(r.buyerNick),
        pick: `${r.caseNo}@${r.version}`,
        shopName: refs.shopName(r.shopCode),
        lines: r.snapshot?.lines ?? [],
        deadlineSoon: !!r.deadline && r.deadline.getTime() - now < 24 * 3_600_000 && r.stage !== 'done' && r.stage !== 'closed',
        batchable: r.stage === 'registered' || r.stage === 'awaiting_approval',
        result: results.get(r.caseNo),
      })),
      pager: page.pager,
      list: { pager: page.pager, rows: page.rows },
      refs,
      pageSizes: PAGE_SIZES,
      types: CASE_TYPES,
      mayApprove: can(c.var.user.roles, 'aftersale.approve'),
      mayRegister: can(c.var.user.roles, 'aftersale.register'),
      batchAction: q.stage === 'registered' ? 'agree' : q.stage === 'awaiting_approval' ? 'approve' : '',
      actionId: newActionId(),
      maxBatch: MAX_BATCH,
      results: extra.outcomes?.length ? { ok: extra.outcomes.filter((o) => o.ok).length, failed: extra.outcomes.filter((o) => !o.ok).length, items: extra.outcomes } : null,
      error: extra.error ?? (parsed.success ? '' : t(c, 'error.badInput')),
    },
    extra.error ? 400 : 200,
  );
}

/** Approves each picked case as registered: the full amount paid for its lines, return postage borne by the buyer. */
async function batchDecide(c: Ctx, action: 'agree' | 'approve', picks: CasePick[], id: string): Promise<CaseOutcome[]> {
  const d = decisions(c);
  if (action === 'agree') return d.batch(picks, id, (p, updateId) => d.agree(p.caseNo, p.version, { decision: 'agree' }, updateId));
  const rows = new Map((await c.var.deps.db.em().find(AfterSaleCase, { caseNo: { $in: picks.map((p) => p.caseNo) } })).map((r) => [r.caseNo, r]));
  return d.batch(picks, id, (p, updateId) => {
    const row = rows.get(p.caseNo);
    const paysBack = row?.type === 'refund' || row?.type === 'return';
    const refundFen = (row?.snapshot?.lines ?? []).reduce((s, l) => s + l.paidFen, 0);
    return d.approve(p.caseNo, p.version, paysBack ? { decision: 'approve', refundFen, postageBorneBy: 'buyer', postageFen: 0 } : { decision: 'approve' }, updateId);
  });
}

// ---- the case page -------------------------------------------------------------------------

async function renderCase(c: Ctx, caseNo: string, flash?: Flash, status: ContentfulStatusCode = 200) {
  const em = c.var.deps.db.em();
  const view = await loadCaseView(em, c.var.deps.temporal, caseNo, c.var.locale);
  if (!view) return renderError(c, 404, t(c, 'rma.caseNotFound', { no: caseNo }));
  const refs = await loadReferenceData(em);
  const roles = c.var.user.roles;
  const stage = view.s.stage;
  // One case opened on purpose: its buyer in clear for those who may (logged), masked for everyone else.
  const clear = canViewPii(c);
  if (clear) await logPiiAccess(c, { action: 'view', orderIds: [view.s.orderId], description: `售后单 ${caseNo}` });
  const open = stage !== 'done' && stage !== 'closed';
  return renderPage(
    c,
    'after-sales/case',
    {
      title: `${t(c, 'rma.case')} ${caseNo}`,
      v: clear || !view.timeline ? view : { ...view, timeline: { ...view.timeline, entries: view.timeline.entries.map((e) => maskTimelineEntry(e)) } },
      s: clear ? view.s : { ...view.s, buyerNick: maskNick(view.s.buyerNick) },
      flash,
      actionId: newActionId(),
      refs,
      warehouseName: refs.warehouseName,
      returnsWarehouseName: refs.warehouseName(view.s.returnsWarehouseCode),
      sellableWarehouseName: refs.warehouseName(view.s.sellableWarehouseCode),
      sellableWarehouses: refs.warehouses.filter((w) => w.kind === 'normal'),
      qcRows: view.s.lines.map((l) => ({ ...l, qc: view.s.qc.find((q) => q.oid === l.oid) ?? null })),
      childOrders: view.s.childOrderIds,
      canAgree: stage === 'registered' && can(roles, 'aftersale.approve'),
      canReturnParcel: (stage === 'registered' || stage === 'awaiting_parcel') && can(roles, 'aftersale.register'),
      canReceive: stage === 'awaiting_parcel' && can(roles, 'aftersale.receive'),
      canQc: stage === 'awaiting_qc' && can(roles, 'aftersale.receive'),
      canApprove: stage === 'awaiting_approval' && can(roles, 'aftersale.approve'),
      paysBack: view.s.type === 'refund' || view.s.type === 'return',
      financeLink: stage === 'awaiting_finance' && can(roles, 'finance.view'),
      canRetryRefund: stage === 'awaiting_platform_refund' && can(roles, 'aftersale.approve'),
      canClose: open && can(roles, 'aftersale.approve'),
    },
    status,
  );
}

const answer = (c: Ctx, caseNo: string, o: CaseOutcome, okMessage: string) =>
  renderCase(c, caseNo, { ok: o.ok, message: o.message || okMessage }, o.ok ? 200 : o.failure === 'not_found' ? 404 : 409);

/** A case route's handler, called with a well-formed case number; anything else is answered 404. */
const forCase =
  (handler: (c: Ctx, no: string) => Promise<Response> | Response) =>
  (c: Ctx): Promise<Response> | Response => {
    const no = c.req.param('caseNo') ?? '';
    return CASE_NO.test(no) ? handler(c, no) : renderError(c, 404, t(c, 'rma.caseNotFound', { no }));
  };

/** A decision form on the case page: read through its schema (a bad form comes back on the page), then decided. */
const caseDecision = <S extends z.ZodType>(schema: S, decide: (c: Ctx, no: string, f: z.output<S>) => Promise<Response>) =>
  forCase(async (c, no) => {
    const form = await readForm(c, schema);
    if (!form.ok) return renderCase(c, no, { ok: false, message: form.message }, 400);
    return decide(c, no, form.data);
  });

const agreeForm = z.object({ actionId, expectedVersion: version, decision: z.enum(['agree', 'refuse']), reason: z.string().trim().max(255).default('') });
const parcelForm = z.object({ actionId, expectedVersion: version, company: z.string().trim().max(60).default(''), waybillNo: z.string().trim().min(1, 'rma.waybillRequired').max(60) });
const approveForm = z.object({
  actionId,
  expectedVersion: version,
  decision: z.enum(['approve', 'reject']),
  refund: z.string().trim().max(20).default(''),
  postageBorneBy: z.enum(['buyer', 'seller']).default('buyer'),
  postage: z.string().trim().max(20).default(''),
  sellableWarehouseCode: z.string().trim().max(40).default(''),
  reason: z.string().trim().max(255).default(''),
});
const closeForm = z.object({ actionId, expectedVersion: version, reason: z.string().trim().min(1, 'rma.reasonRequired').max(255) });
const versionForm = z.object({ actionId, expectedVersion: version });

// ---- QC --------------------------------------------------------------------------------------

/** QC counts from the form: good_<i>, defective_<i>, missing_<i>, wrong_<i> and note_<i> for each line of the case. */
function readQc(body: Record<string, unknown>, oids: readonly string[]): QcLine[] | null {
  const out: QcLine[] = [];
  for (const [i, oid] of oids.entries()) {
    const n = (k: string): number | null => {
      const text = String(body[`${k}_${i}`] ?? '0').trim() || '0';
      return /^\d{1,6}$/.test(text) ? Number(text) : null;
    };
    const counts = Object.fromEntries(QC_RESULTS.map((k) => [k, n(k)])) as Record<(typeof QC_RESULTS)[number], number | null>;
    if (Object.values(counts).some((v) => v === null)) return null;
    out.push({ oid, good: counts.good!, defective: counts.defective!, missing: counts.missing!, wrong: counts.wrong!, note: String(body[`note_${i}`] ?? '').trim().slice(0, 200) });
  }
  return out;
}

async function renderQcPage(c: Ctx, caseNo: string, flash?: Flash, status: ContentfulStatusCode = 200, values?: QcLine[]) {
  const view = await loadCaseView(c.var.deps.db.em(), c.var.deps.temporal, caseNo, c.var.locale, { timeline: false });
  if (!view) return renderError(c, 404, t(c, 'rma.caseNotFound', { no: caseNo }));
  return renderPage(
    c,
    'after-sales/qc',
    {
      title: `${t(c, 'nav.qc')} ${caseNo}`,
      v: view,
      // The QC desk checks goods; the buyer is masked for everyone here.
      s: { ...view.s, buyerNick: maskNick(view.s.buyerNick) },
      flash,
      actionId: newActionId(),
      ready: view.s.stage === 'awaiting_qc',
      // A scanner-driven desk: every unit starts as good, so a clean parcel is one Enter.
      lines: view.s.lines.map((l, i) => {
        const q = values?.find((x) => x.oid === l.oid) ?? view.s.qc.find((x) => x.oid === l.oid);
        return { ...l, i, good: q?.good ?? l.qty, defective: q?.defective ?? 0, missing: q?.missing ?? 0, wrong: q?.wrong ?? 0, note: q?.note ?? '' };
      }),
    },
    status,
  );
}

async function renderQcQueue(c: Ctx, banner?: Flash, status: ContentfulStatusCode = 200) {
  const em = c.var.deps.db.em();
  const page = await findCasePage(em, caseListQuery.parse({ stage: 'awaiting_qc', sort: 'updated', dir: 'asc', size: 100 }));
  return renderPage(c, 'after-sales/qc-queue', { title: t(c, 'nav.qc'), rows: page.rows.map((r) => ({ ...r, buyerNick: maskNick(r.buyerNick) })), total: page.pager.total, banner }, status);
}

// ---- returns desk ----------------------------------------------------------------------------

const scanForm = z.object({
  actionId,
  code: z.string().trim().max(60).default(''),
  company: z.string().trim().max(60).default(''),
  warehouseCode: z.string().trim().max(40).default(''),
});
const matchForm = z.object({ actionId, caseNo: z.string().trim().regex(CASE_NO, 'rma.badCaseNo') });

interface DeskBanner {
  kind: 'ok' | 'error' | 'info';
  message: string;
  caseNo?: string;
}

async function renderDesk(c: Ctx, banner: DeskBanner | null, status: ContentfulStatusCode = 200, form: { company?: string; warehouseCode?: string } = {}) {
  const em = c.var.deps.db.em();
  const [refs, unmatched] = await Promise.all([loadReferenceData(em), listUnmatchedParcels(em, { page: 1, size: 50 })]);
  const returnsWarehouses = refs.warehouses.filter((w) => w.kind === 'returns');
  return renderPage(
    c,
    'after-sales/returns',
    {
      title: t(c, 'nav.returnsDesk'),
      banner,
      actionId: newActionId(),
      warehouses: returnsWarehouses.length ? returnsWarehouses : refs.warehouses,
      warehouseCode: form.warehouseCode || returnsWarehouses[0]?.code || '',
      company: form.company ?? '',
      unmatched: unmatched.rows,
      unmatchedTotal: unmatched.total,
      mayMatch: can(c.var.user.roles, 'aftersale.receive'),
    },
    status,
  );
}

export const afterSalesRoutes = new Hono<AppEnv>()
  .get('/', requireRole('aftersale.view'), (c) => c.redirect('/after-sales/cases', 302))
  .get('/register', requireRole('aftersale.register'), (c) => renderRegister(c, { q: c.req.query('q') ?? '', orderId: c.req.query('orderId') ?? '' }))
  .post('/register', requireRole('aftersale.register'), async (c) => {
    const body = await c.req.parseBody({ all: true });
    const form = await readForm(c, registerForm);
    const orderId = typeof body.orderId === 'string' ? body.orderId : '';
    const keepId = typeof body.actionId === 'string' && actionIdPattern.test(body.actionId) ? body.actionId : undefined;
    if (!form.ok) return renderRegister(c, { orderId, error: form.message, values: body, ...(keepId ? { actionId: keepId } : {}) }, 400);
    const lines = readRegisterLines(body);
    if (!lines) return renderRegister(c, { orderId, error: t(c, 'rma.badQty'), values: body, actionId: form.data.actionId }, 400);
    const f = form.data;
    const outcome = await registerCase({ db: c.var.deps.db, temporal: c.var.deps.temporal, taskQueue: c.var.deps.config.taskQueue }, c.var.actor, c.var.locale, { ...f, lines });
    // The same action id goes back with a refusal, so a corrected or repeated submission still opens one case.
    if (!outcome.ok) return renderRegister(c, { orderId, error: outcome.message, values: body, actionId: f.actionId }, outcome.status);
    return c.redirect(`/after-sales/cases/${encodeURIComponent(outcome.caseNo)}?registered=${outcome.repeated ? 'again' : '1'}`, 303);
  })
  .get('/cases', requireRole('aftersale.view'), (c) => renderQueue(c, c.req.query()))
  .post('/cases/batch', requireRole('aftersale.approve'), async (c) => {
    const form = await readForm(c, batchForm);
    const filterRaw = form.ok ? Object.fromEntries(new URLSearchParams(form.data.filter)) : {};
    if (!form.ok) return renderQueue(c, filterRaw, { error: form.message });
    const f = form.data;
    let picks: CasePick[] | null;
    if (f.allMatching === '1') {
      const q = caseListQuery.safeParse(filterRaw);
      // "All matching" acts only on the stage the action belongs to, whatever tab the person was on.
      const stage = f.action === 'agree' ? 'registered' : 'awaiting_approval';
      picks = await findMatchingCases(c.var.deps.db.em(), { ...(q.success ? q.data : caseListQuery.parse({})), stage });
    } else picks = parseCasePicks(f.pick);
    if (!picks) return renderQueue(c, filterRaw, { error: t(c, 'error.badSelection') });
    if (!picks.length) return renderQueue(c, filterRaw, { error: t(c, 'rma.nothingSelected') });
    return renderQueue(c, filterRaw, { outcomes: await batchDecide(c, f.action, picks, f.actionId) });
  })
  .get(
    '/cases/:caseNo',
    requireRole('aftersale.view'),
    forCase((c, no) => {
      const registered = c.req.query('registered');
      const flash = registered ? { ok: true, message: t(c, registered === 'again' ? 'rma.registeredAgain' : 'rma.registered', { no }) } : undefined;
      return renderCase(c, no, flash);
    }),
  )
  .post('/cases/:caseNo/agree', requireRole('aftersale.approve'), caseDecision(agreeForm, async (c, no, f) => {
    if (f.decision === 'refuse' && !f.reason) return renderCase(c, no, { ok: false, message: t(c, 'rma.reasonRequired') }, 400);
    const o = await decisions(c).agree(no, f.expectedVersion, { decision: f.decision, ...(f.reason ? { reason: f.reason } : {}) }, `${f.actionId}:${no}`);
    return answer(c, no, o, t(c, f.decision === 'agree' ? 'rma.agreed' : 'rma.refused'));
  }))
  .post('/cases/:caseNo/return-parcel', requireRole('aftersale.register'), caseDecision(parcelForm, async (c, no, f) => {
    const o = await decisions(c).returnParcel(no, f.expectedVersion, { company: f.company, waybillNo: f.waybillNo }, `${f.actionId}:${no}`);
    return answer(c, no, o, t(c, 'rma.parcelNoted', { waybill: f.waybillNo }));
  }))
  .post('/cases/:caseNo/receive', requireRole('aftersale.receive'), caseDecision(parcelForm, async (c, no, f) => {
    const o = await decisions(c).receive(no, f.expectedVersion, { waybillNo: f.waybillNo, ...(f.company ? { company: f.company } : {}) }, `${f.actionId}:${no}`);
    return answer(c, no, o, t(c, 'returns.received', { no, waybill: f.waybillNo }));
  }))
  .post('/cases/:caseNo/approve', requireRole('aftersale.approve'), caseDecision(approveForm, async (c, no, f) => {
    if (f.decision === 'reject') {
      if (!f.reason) return renderCase(c, no, { ok: false, message: t(c, 'rma.reasonRequired') }, 400);
      return answer(c, no, await decisions(c).approve(no, f.expectedVersion, { decision: 'reject', reason: f.reason }, `${f.actionId}:${no}`), t(c, 'rma.rejected'));
    }
    const refundFen = fenOf(f.refund);
    const postageFen = fenOf(f.postage);
    if (refundFen === null || postageFen === null) return renderCase(c, no, { ok: false, message: t(c, 'rma.badAmount') }, 400);
    const o = await decisions(c).approve(
      no,
      f.expectedVersion,
      {
        decision: 'approve',
        ...(f.refund ? { refundFen } : {}),
        postageBorneBy: f.postageBorneBy,
        postageFen: f.postageBorneBy === 'seller' ? postageFen : 0,
        ...(f.sellableWarehouseCode ? { sellableWarehouseCode: f.sellableWarehouseCode } : {}),
        ...(f.reason ? { reason: f.reason } : {}),
      },
      `${f.actionId}:${no}`,
    );
    return answer(c, no, o, t(c, 'rma.approved'));
  }))
  .post(
    '/cases/:caseNo/close',
    requireRole('aftersale.approve'),
    caseDecision(closeForm, async (c, no, f) => answer(c, no, await decisions(c).close(no, f.expectedVersion, { reason: f.reason }, `${f.actionId}:${no}`), t(c, 'rma.closed'))),
  )
  .post(
    '/cases/:caseNo/retry-refund',
    requireRole('aftersale.approve'),
    caseDecision(versionForm, async (c, no) => answer(c, no, await decisions(c).retryPlatformRefund(no), t(c, 'rma.retrySent'))),
  )
  .get('/qc/:caseNo', requireRole('aftersale.receive'), forCase((c, no) => renderQcPage(c, no)))
  .post('/qc/:caseNo', requireRole('aftersale.receive'), forCase(async (c, no) => {
    const form = await readForm(c, versionForm);
    if (!form.ok) return renderQcPage(c, no, { ok: false, message: form.message }, 400);
    const row = await c.var.deps.db.em().findOne(AfterSaleCase, { caseNo: no });
    if (!row?.snapshot) return renderError(c, 404, t(c, 'rma.caseNotFound', { no }));
    const lines = readQc(await c.req.parseBody({ all: true }), row.snapshot.lines.map((l) => l.oid));
    if (!lines) return renderQcPage(c, no, { ok: false, message: t(c, 'rma.badQty') }, 400);
    const o = await decisions(c).qc(no, form.data.expectedVersion, { lines }, `${form.data.actionId}:${no}`);
    if (!o.ok) return renderQcPage(c, no, { ok: false, message: o.message }, o.failure === 'not_found' ? 404 : 409, lines);
    return renderQcQueue(c, { ok: true, message: o.message || t(c, 'rma.qcDone', { no }) });
  }))
  .get('/qc', requireRole('aftersale.receive'), (c) => renderQcQueue(c))
  .post('/qc', requireRole('aftersale.receive'), async (c) => {
    const form = await readForm(c, z.object({ code: z.string().trim().min(1, 'rma.scanSomething').max(60) }));
    if (!form.ok) return renderQcQueue(c, { ok: false, message: form.message }, 400);
    const code = form.data.code;
    const em = c.var.deps.db.em();
    const found = await em.find(AfterSaleCase, { $or: [{ caseNo: code }, { returnWaybillNo: code }], stage: 'awaiting_qc' }, { limit: 2 });
    if (found.length !== 1) return renderQcQueue(c, { ok: false, message: t(c, found.length ? 'rma.scanAmbiguous' : 'rma.noCaseForQc', { code }) }, 404);
    return c.redirect(`/after-sales/qc/${encodeURIComponent(found[0]!.caseNo)}`, 303);
  })
  .get('/returns', requireRole('aftersale.receive'), (c) => renderDesk(c, null))
  .post('/returns', requireRole('aftersale.receive'), async (c) => {
    const form = await readForm(c, scanForm);
    if (!form.ok) return renderDesk(c, { kind: 'error', message: form.message }, 400);
    const f = form.data;
    if (!f.code) return renderDesk(c, { kind: 'info', message: t(c, 'returns.scanFirst') }, 200, f);
    const refs = await loadReferenceData(c.var.deps.db.em());
    if (!refs.warehouses.some((w) => w.code === f.warehouseCode)) return renderDesk(c, { kind: 'error', message: t(c, 'rma.unknownWarehouse', { code: f.warehouseCode || '—' }) }, 400, f);
    const r = await scanReturnParcel(c.var.deps.db.em(), decisions(c), c.var.actor, { actionId: f.actionId, waybillNo: f.code, company: f.company, warehouseCode: f.warehouseCode });
    switch (r.kind) {
      case 'received':
        return renderDesk(c, { kind: 'ok', message: r.outcome.message || t(c, 'returns.received', { no: r.caseNo, waybill: f.code }), caseNo: r.caseNo }, 200, f);
      case 'refused':
        return renderDesk(c, { kind: 'error', message: t(c, 'returns.refused', { no: r.caseNo, reason: r.outcome.message }), caseNo: r.caseNo }, 409, f);
      case 'already':
        return renderDesk(c, { kind: 'info', message: t(c, 'returns.already', { no: r.caseNo, at: formatShanghai(r.receivedAt), by: r.receivedBy }), caseNo: r.caseNo }, 200, f);
      case 'ambiguous':
        return renderDesk(c, { kind: 'error', message: t(c, 'returns.ambiguous', { waybill: f.code, cases: r.caseNos.join('、') }) }, 409, f);
      default:
        return renderDesk(c, { kind: 'error', message: t(c, r.repeated ? 'returns.unmatchedAgain' : 'returns.unmatched', { waybill: f.code }) }, 200, f);
    }
  })
  .post('/returns/unmatched/:id/match', requireRole('aftersale.receive'), async (c) => {
    const id = Number(c.req.param('id'));
    const form = await readForm(c, matchForm);
    if (!form.ok) return renderDesk(c, { kind: 'error', message: form.message }, 400);
    if (!Number.isInteger(id) || id <= 0) return renderDesk(c, { kind: 'error', message: t(c, 'returns.parcelNotFound', { id: c.req.param('id') }) }, 404);
    const r = await matchUnmatchedParcel(c.var.deps.db.em(), decisions(c), c.var.actor, c.var.locale, id, form.data.caseNo, form.data.actionId);
    if (!r.ok) return renderDesk(c, { kind: 'error', message: r.message }, r.status);
    return renderDesk(c, { kind: 'ok', message: r.outcome.message || t(c, 'returns.matched', { no: form.data.caseNo }), caseNo: form.data.caseNo });
  })
  .post('/orders/:id/confirm-pulled', requireRole('ship.scan'), async (c) => {
    const orderId = c.req.param('id');
    const form = await readForm(c, versionForm);
    if (!form.ok) return renderOrderDetail(c, orderId, { ok: false, message: form.message }, 400);
    const order = await c.var.deps.db.em().findOne(Order, { id: orderId });
    if (!order) return renderOrderDetail(c, orderId);
    if (!order.interceptCaseNo) return renderOrderDetail(c, orderId, { ok: false, message: t(c, 'rma.notIntercepted') }, 409);
    const o = await decisions(c).confirmPulled(orderId, form.data.expectedVersion, order.interceptCaseNo, `${form.data.actionId}:${orderId}`);
    return renderOrderDetail(c, orderId, { ok: o.ok, message: o.message || t(c, 'rma.pulledConfirmed') }, o.ok ? 200 : 409);
  });
