/**
 * 入库单/出库单, 盘点 and 今日断货 for integrations: created once per actionId and decided through the same workflow
 * Updates as the pages (the actionId is the update id, expectedVersion the version the caller saw), same permissions.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { StockDocument, Stocktake } from '../../db/entities';
import type { StockDocDirection } from '../../domain/stock-document';
import { approveStockDocUpdate, approveStocktakeUpdate, cancelStockDocUpdate, cancelStocktakeUpdate, countUpdate, submitCountUpdate } from '../../workflows/stock-document-messages';
import type { AppEnv } from '../env';
import { PAGE_SIZES, pagerFor } from '../orders/order-list-query';
import { createStockDocument, createStocktake, type CreateOutcome } from '../stock/create-stock-document';
import { sendStockDecision, type StockDecisionOutcome } from '../stock/stock-decisions';
import { findStockOutsToday } from '../stock/stock-outs';
import { apiErrorBody, WORKFLOW_FAILURE } from './api-error';
import { apiApp, COMMON_ERRORS, errorResponse, guard, jsonBody, jsonResponse } from './api-route';
import { ErrorSchema } from './api-schemas';

const actionId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/).openapi({ description: 'Unique per user action; sending it again applies the action once' });
const expectedVersion = z.number().int().min(0).openapi({ description: 'The version the caller saw; a newer record refuses the decision (409)' });
const NoParam = z.object({ no: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/).openapi({ param: { name: 'no', in: 'path' }, example: 'RK20261127-0001' }) });
const Decision = z.object({ actionId, expectedVersion, reason: z.string().trim().max(255).optional() });
const Result = z.object({ ok: z.boolean(), stage: z.string().optional(), version: z.number().int().optional(), message: z.string() }).openapi('StockRecordDecisionResult');
const Created = z.object({ no: z.string(), repeated: z.boolean() }).openapi('StockRecordCreated');
const Record = z.object({}).passthrough().openapi('StockRecord', { description: 'The document or count sheet as its workflow last wrote it (see the page for the fields)' });
const FAILURES = {
  404: errorResponse('No such record (`not_found`)'),
  409: jsonResponse(ErrorSchema, 'Refused (`refused`): wrong stage, stale expectedVersion, not permitted, short stock…'),
  502: jsonResponse(ErrorSchema, 'The workflow call failed (`workflow_failed`)'),
  503: jsonResponse(ErrorSchema, 'The workflow service cannot be reached (`workflow_unavailable`)'),
  504: jsonResponse(ErrorSchema, 'No answer in time (`workflow_timeout`); send the same actionId again'),
};

function answer(c: Context<AppEnv>, o: StockDecisionOutcome) {
  if (o.ok) return c.json({ ok: true, stage: o.stage, version: o.version, message: o.message }, 200);
  const f = WORKFLOW_FAILURE[o.failure ?? 'refused'];
  return c.json(apiErrorBody(f.code, o.message), f.status);
}
function created(c: Context<AppEnv>, o: CreateOutcome) {
  if (!o.ok) return c.json(apiErrorBody(o.status === 400 ? 'bad_request' : o.status === 503 ? 'workflow_unavailable' : 'refused', o.message), o.status);
  return c.json({ no: o.no, repeated: o.repeated }, 201);
}
const deps = (c: Context<AppEnv>) => ({ db: c.var.deps.db, temporal: c.var.deps.temporal, taskQueue: c.var.deps.config.taskQueue });
const post = (path: string, permission: 'stock.manage' | 'stock.approve', summary: string, body: z.ZodType) =>
  createRoute({ ...guard(permission, summary), method: 'post', path, tags: ['stock'], summary, request: { params: NoParam, body: jsonBody(body) }, responses: { ...COMMON_ERRORS, ...FAILURES, 200: jsonResponse(Result, 'What the workflow did') } });
const get = (path: string, summary: string) =>
  createRoute({ ...guard('stock.view'), method: 'get', path, tags: ['stock'], summary, request: { params: NoParam }, responses: { ...COMMON_ERRORS, 404: errorResponse('No such record (`not_found`)'), 200: jsonResponse(Record, 'The record') } });

const createDoc = createRoute({
  ...guard('stock.manage', 'direction in (reason purchase|opening|other; opening books 期初 rows) or out (reason loss|sample|other); lines by SKU code or barcode. Moves nothing until approved.'),
  method: 'post', path: '/stock/documents', tags: ['stock'], summary: 'Create a 入库单 or 出库单',
  request: { body: jsonBody(z.object({ actionId, direction: z.enum(['in', 'out']), reason: z.string().max(20), warehouseCode: z.string().trim().min(1).max(40), quality: z.enum(['good', 'defective']).default('good'), memo: z.string().trim().max(255).default(''), lines: z.array(z.object({ code: z.string().trim().min(1).max(60), qty: z.number().int().min(1) })).min(1).max(500) })) },
  responses: { ...COMMON_ERRORS, 409: errorResponse('Refused (`refused`)'), 503: errorResponse('Saved, its workflow not started; send the same actionId again'), 201: jsonResponse(Created, 'Created (or already created by this actionId)') },
});
const createCount = createRoute({
  ...guard('stock.manage', 'The count begins now: the variance is worked out against the books as they stand at this moment.'),
  method: 'post', path: '/stock/stocktakes', tags: ['stock'], summary: 'Start a 盘点 count sheet',
  request: { body: jsonBody(z.object({ actionId, warehouseCode: z.string().trim().min(1).max(40), quality: z.enum(['good', 'defective']).default('good'), memo: z.string().trim().max(255).default('') })) },
  responses: { ...COMMON_ERRORS, 409: errorResponse('Refused (`refused`)'), 503: errorResponse('Saved, its workflow not started; send the same actionId again'), 201: jsonResponse(Created, 'Created (or already created by this actionId)') },
});
const ListQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  size: z.coerce.number().int().refine((n) => (PAGE_SIZES as readonly number[]).includes(n), 'error.badPageSize').default(50).openapi({ description: '50 (default), 100 or 200', enum: [...PAGE_SIZES] }),
});
const RecordPage = z.object({ total: z.number().int(), page: z.number().int(), pages: z.number().int(), size: z.number().int(), items: z.array(Record) }).openapi('StockRecordPage');
const list = (path: string, summary: string) =>
  createRoute({ ...guard('stock.view', 'Newest first.'), method: 'get', path, tags: ['stock'], summary, request: { query: ListQuery }, responses: { ...COMMON_ERRORS, 200: jsonResponse(RecordPage, 'One page') } });

const outages = createRoute({
  ...guard('stock.view', 'SKUs whose available stock reached zero or below today (Asia/Shanghai), with the orders waiting for them.'),
  method: 'get', path: '/stock/outages', tags: ['stock'], summary: '今日断货',
  responses: { ...COMMON_ERRORS, 200: jsonResponse(z.object({ items: z.array(z.object({}).passthrough()) }).openapi('StockOutages'), 'What ran out today') },
});

export const stockDocumentApi = apiApp()
  .openapi(list('/stock/documents', '入库单/出库单, newest first'), async (c) => {
    const q = c.req.valid('query');
    const em = c.var.deps.db.em().fork();
    const pager = pagerFor(q.page, q.size, await em.count(StockDocument, {}));
    const rows = await em.find(StockDocument, {}, { orderBy: { createdAt: 'desc', docNo: 'desc' }, limit: q.size, offset: (pager.page - 1) * q.size });
    return c.json({ total: pager.total, page: pager.page, pages: pager.pages, size: q.size, items: rows.flatMap((r) => (r.snapshot ? [r.snapshot as unknown as Record<string, unknown>] : [])) }, 200);
  })
  .openapi(list('/stock/stocktakes', '盘点 count sheets, newest first'), async (c) => {
    const q = c.req.valid('query');
    const em = c.var.deps.db.em().fork();
    const pager = pagerFor(q.page, q.size, await em.count(Stocktake, {}));
    const rows = await em.find(Stocktake, {}, { orderBy: { createdAt: 'desc', stocktakeNo: 'desc' }, limit: q.size, offset: (pager.page - 1) * q.size });
    return c.json({ total: pager.total, page: pager.page, pages: pager.pages, size: q.size, items: rows.flatMap((r) => (r.snapshot ? [r.snapshot as unknown as Record<string, unknown>] : [])) }, 200);
  })
  .openapi(createDoc, async (c) => {
    const b = c.req.valid('json');
    return created(c, await createStockDocument(deps(c), c.var.actor, { actionId: b.actionId, direction: b.direction as StockDocDirection, reason: b.reason, warehouseCode: b.warehouseCode, quality: b.quality, memo: b.memo, lines: b.lines }));
  })
  .openapi(get('/stock/documents/{no}', 'One 入库单/出库单'), async (c) => {
    const { no } = c.req.valid('param');
    const row = await c.var.deps.db.em().fork().findOne(StockDocument, { docNo: no });
    return row?.snapshot ? c.json(row.snapshot as unknown as Record<string, unknown>, 200) : c.json(apiErrorBody('not_found', `单据 ${no} 不存在`), 404);
  })
  .openapi(post('/stock/documents/{no}/approve', 'stock.approve', 'Approve: the stock moves (a stock-out never past what is available); a stock-in wakes orders waiting for it', Decision), async (c) => {
    const { no } = c.req.valid('param');
    const b = c.req.valid('json') as z.infer<typeof Decision>;
    return answer(c, await sendStockDecision(c.var.deps.temporal, `stockdoc:${no}`, approveStockDocUpdate, { actor: c.var.actor, expectedVersion: b.expectedVersion, reason: b.reason ?? '' }, `${b.actionId}:${no}`, c.var.locale));
  })
  .openapi(post('/stock/documents/{no}/cancel', 'stock.approve', 'Cancel a document not yet approved (reason required)', Decision), async (c) => {
    const { no } = c.req.valid('param');
    const b = c.req.valid('json') as z.infer<typeof Decision>;
    return answer(c, await sendStockDecision(c.var.deps.temporal, `stockdoc:${no}`, cancelStockDocUpdate, { actor: c.var.actor, expectedVersion: b.expectedVersion, reason: b.reason ?? '' }, `${b.actionId}:${no}`, c.var.locale));
  })
  .openapi(createCount, async (c) => {
    const b = c.req.valid('json');
    return created(c, await createStocktake(deps(c), c.var.actor, { actionId: b.actionId, warehouseCode: b.warehouseCode, quality: b.quality, memo: b.memo }));
  })
  .openapi(get('/stock/stocktakes/{no}', 'One 盘点 count sheet with its variance report'), async (c) => {
    const { no } = c.req.valid('param');
    const row = await c.var.deps.db.em().fork().findOne(Stocktake, { stocktakeNo: no });
    return row?.snapshot ? c.json(row.snapshot as unknown as Record<string, unknown>, 200) : c.json(apiErrorBody('not_found', `盘点单 ${no} 不存在`), 404);
  })
  .openapi(post('/stock/stocktakes/{no}/count', 'stock.manage', 'Record counts (replacing earlier counts of the same SKUs)', Decision.extend({ counts: z.array(z.object({ skuCode: z.string().min(1).max(60), counted: z.number().int().min(0) })).min(1).max(2000) })), async (c) => {
    const { no } = c.req.valid('param');
    const b = c.req.valid('json') as z.infer<typeof Decision> & { counts: Array<{ skuCode: string; counted: number }> };
    return answer(c, await sendStockDecision(c.var.deps.temporal, `stocktake:${no}`, countUpdate, { actor: c.var.actor, expectedVersion: b.expectedVersion, counts: b.counts }, `${b.actionId}:${no}`, c.var.locale));
  })
  .openapi(post('/stock/stocktakes/{no}/submit', 'stock.manage', 'Submit the count: the variance against the books at the start is worked out', Decision), async (c) => {
    const { no } = c.req.valid('param');
    const b = c.req.valid('json') as z.infer<typeof Decision>;
    return answer(c, await sendStockDecision(c.var.deps.temporal, `stocktake:${no}`, submitCountUpdate, { actor: c.var.actor, expectedVersion: b.expectedVersion }, `${b.actionId}:${no}`, c.var.locale));
  })
  .openapi(post('/stock/stocktakes/{no}/approve', 'stock.approve', 'Approve (not by the submitter: the variances are booked) or send back for a recount (reason required)', Decision.extend({ decision: z.enum(['approve', 'reject']) })), async (c) => {
    const { no } = c.req.valid('param');
    const b = c.req.valid('json') as z.infer<typeof Decision> & { decision: 'approve' | 'reject' };
    return answer(c, await sendStockDecision(c.var.deps.temporal, `stocktake:${no}`, approveStocktakeUpdate, { actor: c.var.actor, expectedVersion: b.expectedVersion, decision: b.decision, reason: b.reason ?? '' }, `${b.actionId}:${no}`, c.var.locale));
  })
  .openapi(post('/stock/stocktakes/{no}/cancel', 'stock.manage', 'Cancel a count sheet not yet approved (reason required); nothing is booked', Decision), async (c) => {
    const { no } = c.req.valid('param');
    const b = c.req.valid('json') as z.infer<typeof Decision>;
    return answer(c, await sendStockDecision(c.var.deps.temporal, `stocktake:${no}`, cancelStocktakeUpdate, { actor: c.var.actor, expectedVersion: b.expectedVersion, reason: b.reason ?? '' }, `${b.actionId}:${no}`, c.var.locale));
  })
  .openapi(outages, async (c) => {
    const rows = await findStockOutsToday(c.var.deps.db.em().fork());
    return c.json({ items: rows.map((r) => ({ ...r, firstAt: r.firstAt.toISOString(), waiting: r.waiting.map((o) => ({ ...o, paidAt: o.paidAt?.toISOString() ?? null })) })) }, 200);
  });
