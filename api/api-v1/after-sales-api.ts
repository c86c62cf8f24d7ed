/**
 * 售后 for integrations: the same registration, queues, case, returns desk and decisions as the pages (the same
 * functions in api/after-sales/), each decision at the case version the caller saw and applied once per actionId;
 * the case workflow's validator refuses a changed case, a wrong stage or a missing role, and says why.
 */
import { maskNick } from '../../domain/pii-mask';
import { logPiiAccess } from '../privacy/access-log';
import { canViewPii, maskTimelineEntry } from '../privacy/pii-view';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { EntityManager } from '@mikro-orm/knex';
import type { Context } from 'hono';
import { AfterSaleCase, Order } from '../../db/entities';
import { createCaseDecisions, type CaseOutcome } from '../after-sales/case-decisions';
import { CASE_TABS, caseListQuery, findCasePage } from '../after-sales/case-list-query';
import { loadCaseView } from '../after-sales/case-view';
import { registerCase } from '../after-sales/register-case';
import { listUnmatchedParcels, matchUnmatchedParcel, scanReturnParcel } from '../after-sales/returns-desk';
import type { AppEnv } from '../env';
import { formatShanghai } from '../format-time';
import { PAGE_SIZES, pagerFor } from '../orders/order-list-query';
import { loadReferenceData } from '../orders/reference-data';
import { t } from '../render';
import { apiErrorBody, WORKFLOW_FAILURE } from './api-error';
import { apiApp, COMMON_ERRORS, errorResponse, guard, jsonBody, jsonResponse } from './api-route';
import {
  AgreeCaseBodySchema,
  ApproveCaseBodySchema,
  CaseDecisionRefusedSchema,
  CaseDecisionResultSchema,
  CaseDetailSchema,
  caseJson,
  CaseListSchema,
  CaseNoParam,
  CloseCaseBodySchema,
  ConfirmPulledBodySchema,
  MatchParcelBodySchema,
  OrderIdParam,
  ParcelBodySchema,
  QcBodySchema,
  RegisterCaseBodySchema,
  RegisterCaseResultSchema,
  RetryRefundBodySchema,
  ReturnScanBodySchema,
  ReturnScanResultSchema,
  timelineJson,
  UnmatchedIdParam,
  UnmatchedParcelListSchema,
  unmatchedParcelJson,
} from './api-schemas';

type Ctx = Context<AppEnv>;
type DecisionJson = z.infer<typeof CaseDecisionResultSchema>;

/** The failures a single case decision may answer with, besides bad input and auth. */
export const CASE_DECISION_FAILURES = {
  404: errorResponse('No such case (`not_found`)'),
  409: jsonResponse(CaseDecisionRefusedSchema, 'Refused by the case workflow (`refused`): wrong stage, stale expectedVersion, not permitted…; `message` says why'),
  502: jsonResponse(CaseDecisionRefusedSchema, 'The workflow call failed (`workflow_failed`)'),
  503: jsonResponse(CaseDecisionRefusedSchema, 'The workflow service cannot be reached (`workflow_unavailable`); nothing was done'),
  504: jsonResponse(CaseDecisionRefusedSchema, 'No answer in time (`workflow_timeout`); the outcome is unknown, send the same actionId again'),
};

/** Outcomes as JSON: what the workflow answered, or for a refusal the case's stage and version now from the read model. */
export async function caseDecisionsJson(em: EntityManager, outcomes: readonly CaseOutcome[]): Promise<DecisionJson[]> {
  const unknown = outcomes.filter((o) => o.stage === undefined).map((o) => o.caseNo);
  const now = unknown.length ? new Map((await em.find(AfterSaleCase, { caseNo: { $in: unknown } }, { fields: ['caseNo', 'stage', 'version'] })).map((r) => [r.caseNo, r])) : new Map<string, AfterSaleCase>();
  return outcomes.map((o) => {
    const out: DecisionJson = { caseNo: o.caseNo, ok: o.ok, stage: o.stage ?? now.get(o.caseNo)?.stage ?? null, version: o.version ?? now.get(o.caseNo)?.version ?? null, message: o.message };
    if (!o.ok) out.code = WORKFLOW_FAILURE[o.failure ?? 'failed'].code;
    return out;
  });
}

async function answer(c: Ctx, outcome: CaseOutcome) {
  const [body] = await caseDecisionsJson(c.var.deps.db.em(), [outcome]);
  if (outcome.ok) return c.json(body!, 200);
  const failure = WORKFLOW_FAILURE[outcome.failure ?? 'failed'];
  if (failure.status === 404) return c.json(apiErrorBody('not_found', outcome.message), 404);
  return c.json({ ...body!, error: { code: failure.code, message: outcome.message } }, failure.status);
}

const decisions = (c: Ctx) => createCaseDecisions(c.var.deps.temporal, c.var.deps.db.em(), c.var.actor, c.var.locale);

const CaseListQuerySchema = z.object({
  stage: caseListQuery.shape.stage.openapi({ description: `One stage, open (not done or closed) or all; default registered`, enum: [...CASE_TABS] }),
  type: caseListQuery.shape.type.openapi({ description: 'refund, return, exchange or reissue' }),
  shop: caseListQuery.shape.shop.openapi({ description: 'Shop code' }),
  q: caseListQuery.shape.q.openapi({ description: 'Case number, order number, return tracking number, refund id (whole or leading characters) or buyer nick' }),
  sort: caseListQuery.shape.sort.openapi({ description: 'updated (default), created, deadline, amount, no' }),
  dir: caseListQuery.shape.dir.openapi({ description: 'desc (default) or asc' }),
  page: caseListQuery.shape.page,
  size: caseListQuery.shape.size.openapi({ description: '50 (default), 100 or 200', enum: [...PAGE_SIZES] }),
});

const decisionRoute = <B extends z.ZodType>(path: string, permission: Parameters<typeof guard>[0], summary: string, description: string, body: B) =>
  createRoute({
    ...guard(permission, description),
    method: 'post',
    path,
    tags: ['after-sales'],
    summary,
    request: { params: CaseNoParam, body: jsonBody(body) },
    responses: { ...COMMON_ERRORS, 200: jsonResponse(CaseDecisionResultSchema, 'Done; the stage and version after it'), ...CASE_DECISION_FAILURES },
  });

const listCases = createRoute({
  ...guard('aftersale.view', 'The queues of the 售后单 page: one stage at a time with the count of every stage.'),
  method: 'get',
  path: '/after-sales/cases',
  tags: ['after-sales'],
  summary: 'After-sales cases by stage (售后单)',
  request: { query: CaseListQuerySchema },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(CaseListSchema, 'One page of cases') },
});

const getCase = createRoute({
  ...guard('aftersale.view', 'The workflow’s own state when it answers in time, else the read model’s; the timeline merges audit rows with the workflow history.'),
  method: 'get',
  path: '/after-sales/cases/{caseNo}',
  tags: ['after-sales'],
  summary: 'One case with its lines, QC, money and timeline',
  request: { params: CaseNoParam },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(CaseDetailSchema, 'The case'), 404: errorResponse('No such case (`not_found`)') },
});

const register = createRoute({
  ...guard(
    'aftersale.register',
    'Lines are checked against what the order still has open after its other cases; the same actionId again answers with the case it opened (and starts its workflow if the first try could not).',
  ),
  method: 'post',
  path: '/after-sales/cases',
  tags: ['after-sales'],
  summary: 'Register a case (退换登记)',
  request: { body: jsonBody(RegisterCaseBodySchema) },
  responses: {
    ...COMMON_ERRORS,
    200: jsonResponse(RegisterCaseResultSchema, 'The case, and whether this actionId had opened it before'),
    404: errorResponse('No such order (`not_found`)'),
    409: errorResponse('Refused (`refused`): more units than the order has left, or a number clash; nothing was opened'),
    503: errorResponse('The case is registered but its workflow did not start (`workflow_unavailable`); send the same actionId again'),
  },
});

const agree = decisionRoute('/after-sales/cases/{caseNo}/agree', 'aftersale.approve', 'Agree or refuse a return (待审核)', 'Agreeing tells the platform, with the return address.', AgreeCaseBodySchema);
const returnParcel = decisionRoute('/after-sales/cases/{caseNo}/return-parcel', 'aftersale.register', "The buyer's return tracking number", 'For a parcel the buyer sent without telling the platform.', ParcelBodySchema);
const receive = decisionRoute('/after-sales/cases/{caseNo}/receive', 'aftersale.receive', 'Take the return parcel in', 'What the returns desk does when it scans the parcel.', ParcelBodySchema);
const qc = decisionRoute('/after-sales/cases/{caseNo}/qc', 'aftersale.receive', 'QC the returned goods (质检)', 'Every case line once; good + defective + missing + wrong = its quantity.', QcBodySchema);
const approve = decisionRoute('/after-sales/cases/{caseNo}/approve', 'aftersale.approve', 'Approve or reject (审批)', 'The refund may not exceed what was paid for the lines.', ApproveCaseBodySchema);
const close = decisionRoute('/after-sales/cases/{caseNo}/close', 'aftersale.approve', 'Close a case', 'Closing gives the case’s units back to the order.', CloseCaseBodySchema);

const retryRefund = createRoute({
  ...guard('finance.confirm', 'Wakes a case whose platform refund is failing for its next attempt now; the case page shows the outcome.'),
  method: 'post',
  path: '/after-sales/cases/{caseNo}/retry-platform-refund',
  tags: ['after-sales'],
  summary: 'Retry the platform refund now',
  request: { params: CaseNoParam, body: jsonBody(RetryRefundBodySchema) },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(CaseDecisionResultSchema, 'The case has the request'), ...CASE_DECISION_FAILURES },
});

const confirmPulled = createRoute({
  ...guard(
    'ship.scan',
    'The warehouse pulled a parcel held for a refund asked before shipment off the line: the refunded units leave the order (a whole refund cancels it, giving stock and tracking number back) and the rest is printed again.',
  ),
  method: 'post',
  path: '/orders/{id}/confirm-pulled',
  tags: ['after-sales'],
  summary: 'Confirm an intercepted parcel was pulled (拦截取件)',
  request: { params: OrderIdParam, body: jsonBody(ConfirmPulledBodySchema) },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(CaseDecisionResultSchema, 'Done: the holding case goes on'), ...CASE_DECISION_FAILURES },
});

const scan = createRoute({
  ...guard('aftersale.receive', 'A tracking number that matches one open case receives it; one that matches none is kept as a 无头件 to match later.'),
  method: 'post',
  path: '/after-sales/returns/scan',
  tags: ['after-sales'],
  summary: 'Scan a return parcel in (退货入库)',
  request: { body: jsonBody(ReturnScanBodySchema) },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(ReturnScanResultSchema, 'What happened to the parcel (a refusal is a result too)') },
});

const listUnmatched = createRoute({
  ...guard('aftersale.receive'),
  method: 'get',
  path: '/after-sales/unmatched-parcels',
  tags: ['after-sales'],
  summary: 'Unmatched return parcels (无头件), newest first',
  request: { query: z.object({ page: caseListQuery.shape.page, size: caseListQuery.shape.size, all: z.enum(['0', '1']).default('0').openapi({ description: '1 = also those already matched' }) }) },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(UnmatchedParcelListSchema, 'One page of parcels') },
});

const match = createRoute({
  ...guard('aftersale.receive', 'The case receives the parcel (its workflow may refuse), then the parcel is marked matched.'),
  method: 'post',
  path: '/after-sales/unmatched-parcels/{id}/match',
  tags: ['after-sales'],
  summary: 'Match an unmatched parcel to its case',
  request: { params: UnmatchedIdParam, body: jsonBody(MatchParcelBodySchema) },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(CaseDecisionResultSchema, 'Received by the case'), ...CASE_DECISION_FAILURES },
});

/** Typed as the plain app: the chained route types are more than the compiler can carry into the mount. */
export const afterSalesApi: OpenAPIHono<AppEnv> = apiApp()
  .openapi(listCases, async (c) => {
    const q = caseListQuery.parse(c.req.valid('query'));
    const page = await findCasePage(c.var.deps.db.em(), q);
    return c.json({ total: page.pager.total, page: page.pager.page, pages: page.pager.pages, size: page.pager.size, counts: page.counts, cases: page.rows.map((r) => ({ ...caseJson(r), buyerNick: maskNick(r.buyerNick) })) }, 200);
  })
  .openapi(getCase, async (c) => {
    const { caseNo } = c.req.valid('param');
    const view = await loadCaseView(c.var.deps.db.em(), c.var.deps.temporal, caseNo, c.var.locale);
    if (!view) return c.json(apiErrorBody('not_found', t(c, 'rma.caseNotFound', { no: caseNo })), 404);
    const s = view.s;
    // Like the case page: the buyer in clear for holders of order.viewPii (logged), masked for everyone else.
    const clear = canViewPii(c);
    if (clear) await logPiiAccess(c, { action: 'view', orderIds: [view.row.orderId], description: `API 售后单 ${caseNo}` });
    return c.json(
      {
        ...caseJson(view.row),
        buyerNick: clear ? view.row.buyerNick : maskNick(view.row.buyerNick),
        stage: s.stage,
        version: s.version,
        live: view.live,
        lines: s.lines,
        qc: s.qc,
        replacement: s.replacement,
        note: s.note,
        returnCompany: s.returnCompany,
        returnWaybillNo: s.returnWaybillNo,
        returnsWarehouseCode: s.returnsWarehouseCode,
        sellableWarehouseCode: s.sellableWarehouseCode,
        receivedBy: s.receivedBy,
        receivedAt: s.receivedAt,
        refundFen: s.refundFen,
        priceDifferenceFen: s.priceDifferenceFen,
        postageBorneBy: s.postageBorneBy,
        postageFen: s.postageFen,
        approvedBy: s.approvedBy,
        approvedAt: s.approvedAt,
        finance: s.finance,
        platformRefundStep: s.platformRefundStep,
        childOrderIds: s.childOrderIds,
        alert: s.alert,
        deadline: view.deadline?.at ?? null,
        deadlineWarning: !!view.deadline?.warn,
        closedReason: s.closedReason,
        timeline: (view.timeline?.entries ?? []).map((e) => (clear ? e : maskTimelineEntry(e))).map(timelineJson),
        historyError: view.timeline?.historyError ?? '',
      },
      200,
    );
  })
  .openapi(register, async (c) => {
    const body = c.req.valid('json');
    const outcome = await registerCase({ db: c.var.deps.db, temporal: c.var.deps.temporal, taskQueue: c.var.deps.config.taskQueue }, c.var.actor, c.var.locale, body);
    if (outcome.ok) return c.json({ caseNo: outcome.caseNo, workflowId: outcome.workflowId, repeated: outcome.repeated }, 200);
    const code = outcome.status === 400 ? 'bad_request' : outcome.status === 404 ? 'not_found' : outcome.status === 409 ? 'refused' : 'workflow_unavailable';
    return c.json(apiErrorBody(code, outcome.message), outcome.status);
  })
  .openapi(agree, async (c) => {
    const { caseNo } = c.req.valid('param');
    const { actionId, expectedVersion, decision, reason } = c.req.valid('json');
    if (decision === 'refuse' && !reason) return c.json(apiErrorBody('bad_request', t(c, 'rma.reasonRequired')), 400);
    return answer(c, await decisions(c).agree(caseNo, expectedVersion, { decision, ...(reason ? { reason } : {}) }, `${actionId}:${caseNo}`));
  })
  .openapi(returnParcel, async (c) => {
    const { caseNo } = c.req.valid('param');
    const { actionId, expectedVersion, waybillNo, company } = c.req.valid('json');
    return answer(c, await decisions(c).returnParcel(caseNo, expectedVersion, { waybillNo, company: company ?? '' }, `${actionId}:${caseNo}`));
  })
  .openapi(receive, async (c) => {
    const { caseNo } = c.req.valid('param');
    const { actionId, expectedVersion, waybillNo, company } = c.req.valid('json');
    return answer(c, await decisions(c).receive(caseNo, expectedVersion, { waybillNo, ...(company ? { company } : {}) }, `${actionId}:${caseNo}`));
  })
  .openapi(qc, async (c) => {
    const { caseNo } = c.req.valid('param');
    const { actionId, expectedVersion, lines } = c.req.valid('json');
    return answer(c, await decisions(c).qc(caseNo, expectedVersion, { lines }, `${actionId}:${caseNo}`));
  })
  .openapi(approve, async (c) => {
    const { caseNo } = c.req.valid('param');
    const { actionId, expectedVersion, ...d } = c.req.valid('json');
    if (d.decision === 'reject' && !d.reason) return c.json(apiErrorBody('bad_request', t(c, 'rma.reasonRequired')), 400);
    return answer(c, await decisions(c).approve(caseNo, expectedVersion, d, `${actionId}:${caseNo}`));
  })
  .openapi(close, async (c) => {
    const { caseNo } = c.req.valid('param');
    const { actionId, expectedVersion, reason } = c.req.valid('json');
    return answer(c, await decisions(c).close(caseNo, expectedVersion, { reason }, `${actionId}:${caseNo}`));
  })
  .openapi(retryRefund, async (c) => {
    const { caseNo } = c.req.valid('param');
    return answer(c, await decisions(c).retryPlatformRefund(caseNo));
  })
  .openapi(confirmPulled, async (c) => {
    const { id } = c.req.valid('param');
    const { actionId, expectedVersion } = c.req.valid('json');
    const order = await c.var.deps.db.em().findOne(Order, { id });
    if (!order) return c.json(apiErrorBody('not_found', t(c, 'order.notFound', { id })), 404);
    // No look at interceptCaseNo before asking: a confirmation sent again after it was applied must get its first answer.
    return answer(c, await decisions(c).confirmPulled(id, expectedVersion, order.interceptCaseNo, `${actionId}:${id}`));
  })
  .openapi(scan, async (c) => {
    const body = c.req.valid('json');
    const em = c.var.deps.db.em();
    const refs = await loadReferenceData(em);
    const warehouseCode = body.warehouseCode || refs.warehouses.find((w) => w.kind === 'returns')?.code || '';
    if (!refs.warehouses.some((w) => w.code === warehouseCode)) return c.json(apiErrorBody('bad_request', t(c, 'rma.unknownWarehouse', { code: warehouseCode || '—' })), 400);
    const r = await scanReturnParcel(em, decisions(c), c.var.actor, { actionId: body.actionId, waybillNo: body.waybillNo, company: body.company, warehouseCode });
    const none = { caseNo: null, caseNos: [], unmatchedParcel: null, repeated: false };
    switch (r.kind) {
      case 'received':
      case 'refused':
        return c.json({ ...none, result: r.kind, caseNo: r.caseNo, caseNos: [r.caseNo], message: r.outcome.message || t(c, 'returns.received', { no: r.caseNo, waybill: body.waybillNo }) }, 200);
      case 'already':
        return c.json({ ...none, result: r.kind, caseNo: r.caseNo, caseNos: [r.caseNo], message: t(c, 'returns.already', { no: r.caseNo, at: formatShanghai(r.receivedAt), by: r.receivedBy }) }, 200);
      case 'ambiguous':
        return c.json({ ...none, result: r.kind, caseNos: r.caseNos, message: t(c, 'returns.ambiguous', { waybill: body.waybillNo, cases: r.caseNos.join('、') }) }, 200);
      default:
        return c.json({ ...none, result: r.kind, unmatchedParcel: unmatchedParcelJson(r.parcel), repeated: r.repeated, message: t(c, r.repeated ? 'returns.unmatchedAgain' : 'returns.unmatched', { waybill: body.waybillNo }) }, 200);
    }
  })
  .openapi(listUnmatched, async (c) => {
    const { page, size, all } = c.req.valid('query');
    const list = await listUnmatchedParcels(c.var.deps.db.em(), { page, size, all: all === '1' });
    const pager = pagerFor(page, size, list.total);
    return c.json({ total: list.total, page: pager.page, pages: pager.pages, size, parcels: list.rows.map(unmatchedParcelJson) }, 200);
  })
  .openapi(match, async (c) => {
    const { id } = c.req.valid('param');
    const { actionId, caseNo } = c.req.valid('json');
    const r = await matchUnmatchedParcel(c.var.deps.db.em(), decisions(c), c.var.actor, c.var.locale, id, caseNo, actionId);
    if (r.ok) return answer(c, r.outcome);
    if (r.outcome) return answer(c, r.outcome);
    if (r.status === 404) return c.json(apiErrorBody('not_found', r.message), 404);
    return c.json({ caseNo, ok: false, stage: null, version: null, message: r.message, code: 'refused' as const, error: { code: 'refused' as const, message: r.message } }, 409);
  });
