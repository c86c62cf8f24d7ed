/**
 * 库存 for integrations: stock levels with in-transit figures and their CSV/XLSX export, a SKU's ledger, and 调拨单 —
 * created once per actionId, decided through the same workflow Updates as the pages (the actionId is the update id,
 * expectedVersion the version the caller saw), with the same permissions.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { StockTransfer } from '../../db/entities';
import { TRANSFER_STAGES, type TransferSnapshot, type TransferStage } from '../../domain/stock-transfer';
import type { AppEnv } from '../env';
import { PAGE_SIZES, pagerFor } from '../orders/order-list-query';
import { createTransfer } from '../stock/create-transfer';
import { findLedgerPage, ledgerQuery } from '../stock/ledger-query';
import { stockCsv, stockXlsx } from '../stock/stock-export';
import { findStockPage, STOCK_SORTS, stockQuery } from '../stock/stock-query';
import { createTransferDecisions, type TransferOutcome } from '../stock/transfer-decisions';
import { apiErrorBody, WORKFLOW_FAILURE } from './api-error';
import { apiApp, COMMON_ERRORS, errorResponse, guard, jsonBody, jsonResponse } from './api-route';
import { ErrorSchema } from './api-schemas';

const size = z.coerce.number().int().refine((n) => (PAGE_SIZES as readonly number[]).includes(n), 'error.badPageSize').default(50).openapi({ description: '50 (default), 100 or 200', enum: [...PAGE_SIZES] });
const page = z.coerce.number().int().min(1).max(1_000_000).default(1);
const actionId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/).openapi({ description: 'Unique per user action; sending it again applies the action once', example: '3f1c2b9e-7a55-4b8e-9a51-1c2d3e4f5a6b' });
const expectedVersion = z.number().int().min(0).openapi({ description: 'The transfer version the caller saw; a newer transfer refuses the decision (409)' });

const StockQuerySchema = z.object({
  q: stockQuery.shape.q.openapi({ description: 'Part of a SKU code or name, or a barcode exactly' }),
  warehouse: stockQuery.shape.warehouse.openapi({ description: 'Warehouse code' }),
  quality: stockQuery.shape.quality.openapi({ description: 'good (良品) or defective (次品); empty for both' }),
  show: stockQuery.shape.show.openapi({ description: 'nonzero (default): rows with stock on hand, reserved or in transit; all; short: nothing available' }),
  sort: stockQuery.shape.sort.openapi({ description: STOCK_SORTS.join(', ') }),
  dir: stockQuery.shape.dir,
  page,
  size,
});

const StockRowSchema = z.object({
  skuCode: z.string(), name: z.string(), spec: z.string(), barcode: z.string(), warehouseCode: z.string(), warehouseName: z.string(),
  quality: z.enum(['good', 'defective']), onHand: z.number().int(), reserved: z.number().int(),
  available: z.number().int().openapi({ description: 'onHand − reserved' }),
  inTransit: z.number().int().openapi({ description: 'Units transfers took out of their source for this warehouse and have not booked in' }),
}).openapi('StockRow');
const StockPageSchema = z.object({ total: z.number().int(), page: z.number().int(), pages: z.number().int(), size: z.number().int(), items: z.array(StockRowSchema) }).openapi('StockPage');

const LedgerRowSchema = z.object({
  id: z.number().int(), at: z.string().openapi({ description: 'UTC, ISO 8601' }), kind: z.string().openapi({ description: 'opening, reserve, release, deduct, return_in, stock_in, stock_out, adjust, transfer_out, transfer_in, transfer_back' }),
  skuCode: z.string(), warehouseCode: z.string(), quality: z.string(), onHandDelta: z.number().int(), reservedDelta: z.number().int(),
  onHandAfter: z.number().int(), reservedAfter: z.number().int(), refType: z.string(), refId: z.string(), actor: z.string(), note: z.string(),
}).openapi('StockLedgerRow');
const LedgerPageSchema = z.object({ total: z.number().int(), page: z.number().int(), pages: z.number().int(), size: z.number().int(), items: z.array(LedgerRowSchema) }).openapi('StockLedgerPage');

const TransferLineSchema = z.object({ skuCode: z.string(), title: z.string(), spec: z.string(), qty: z.number().int(), costFen: z.number().int(), receivedQty: z.number().int().nullable() });
const step = z.object({ by: z.string(), at: z.string() }).nullable();
const TransferSchema = z.object({
  transferNo: z.string(), stage: z.enum(TRANSFER_STAGES as unknown as [TransferStage, ...TransferStage[]]), version: z.number().int(),
  fromWarehouseCode: z.string(), toWarehouseCode: z.string(), quality: z.enum(['good', 'defective']), costBasis: z.enum(['same_price', 'other']),
  memo: z.string(), lines: z.array(TransferLineSchema), outbound: step, inbound: step, difference: step,
  reverse: z.object({ by: z.string(), at: z.string(), reason: z.string(), from: z.string(), approvedBy: z.string(), approvedAt: z.string().nullable() }).nullable(),
  cancelledReason: z.string(), alert: z.string(), createdBy: z.string(), createdAt: z.string(), doneAt: z.string().nullable(),
}).openapi('StockTransfer');
const TransferListSchema = z.object({ total: z.number().int(), page: z.number().int(), pages: z.number().int(), size: z.number().int(), items: z.array(TransferSchema) }).openapi('StockTransferList');
const CreateTransferBodySchema = z.object({
  actionId,
  fromWarehouseCode: z.string().trim().min(1).max(40).openapi({ example: 'MAIN' }),
  toWarehouseCode: z.string().trim().min(1).max(40).openapi({ example: 'RET' }),
  quality: z.enum(['good', 'defective']).default('good'),
  costBasis: z.enum(['same_price', 'other']).default('same_price').openapi({ description: 'same_price (同价调拨) or other (异价调拨, each line with its costFen)' }),
  memo: z.string().trim().max(255).default(''),
  lines: z.array(z.object({ code: z.string().trim().min(1).max(60).openapi({ description: 'SKU code or barcode' }), qty: z.number().int().min(1), costFen: z.number().int().min(0).optional() })).min(1).max(500),
}).openapi('CreateStockTransfer');
const CreatedSchema = z.object({ transferNo: z.string(), repeated: z.boolean().openapi({ description: 'true when this actionId had already created it' }) }).openapi('StockTransferCreated');
const DecisionBodySchema = z.object({ actionId, expectedVersion, reason: z.string().trim().max(255).optional() });
const TransferDecisionResultSchema = z.object({ transferNo: z.string(), ok: z.boolean(), stage: z.string().optional(), version: z.number().int().optional(), message: z.string() }).openapi('StockTransferDecisionResult');

const TRANSFER_FAILURES = {
  404: errorResponse('No such transfer (`not_found`)'),
  409: jsonResponse(ErrorSchema, 'Refused by the transfer workflow (`refused`): wrong stage, stale expectedVersion, not permitted, short stock…'),
  502: jsonResponse(ErrorSchema, 'The workflow call failed (`workflow_failed`)'),
  503: jsonResponse(ErrorSchema, 'The workflow service cannot be reached (`workflow_unavailable`); nothing was done'),
  504: jsonResponse(ErrorSchema, 'No answer in time (`workflow_timeout`); send the same actionId again'),
};
const NoParam = z.object({ no: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/).openapi({ param: { name: 'no', in: 'path' }, example: 'DB20261127-0001' }) });

const transferJson = (s: TransferSnapshot) => {
  const { workflowId: _w, printedAt: _p, printCount: _c, ...rest } = s;
  return rest;
};

function decisionAnswer(c: Context<AppEnv>, o: TransferOutcome) {
  if (o.ok) return c.json({ transferNo: o.transferNo, ok: true, stage: o.stage, version: o.version, message: o.message }, 200);
  const f = WORKFLOW_FAILURE[o.failure ?? 'refused'];
  return c.json(apiErrorBody(f.code, o.message), f.status);
}

const decisionRoute = (path: string, permission: 'stock.approve' | 'stock.manage' | 'stock.reverse', summary: string, body: z.ZodType) =>
  createRoute({
    ...guard(permission, summary),
    method: 'post',
    path,
    tags: ['stock'],
    summary,
    request: { params: NoParam, body: jsonBody(body) },
    responses: { ...COMMON_ERRORS, ...TRANSFER_FAILURES, 200: jsonResponse(TransferDecisionResultSchema, 'What the workflow did') },
  });

const printNote = createRoute({
  ...guard('stock.manage', 'Renders the outbound note (出库单) as an A4 PDF on the print worker and keeps it on the transfer; a second print is marked as a reprint.'),
  method: 'post', path: '/stock/transfers/{no}/print', tags: ['stock'], summary: 'Print the outbound note (出库单)',
  request: { params: NoParam, body: jsonBody(z.object({ actionId })) },
  responses: { ...COMMON_ERRORS, ...TRANSFER_FAILURES, 200: jsonResponse(TransferDecisionResultSchema, 'What the workflow did; fetch the PDF from /stock/transfers/{no}/note.pdf') },
});
const notePdf = createRoute({
  ...guard('stock.view', 'The last outbound note printed for the transfer.'),
  method: 'get', path: '/stock/transfers/{no}/note.pdf', tags: ['stock'], summary: 'The outbound note (出库单) PDF',
  request: { params: NoParam },
  responses: {
    ...COMMON_ERRORS,
    200: { description: 'The PDF', content: { 'application/pdf': { schema: z.string().openapi({ type: 'string', format: 'binary' }) } } },
    404: errorResponse('No such transfer, or its note was never printed (`not_found`)'),
  },
});

const levels = createRoute({
  ...guard('stock.view', 'Per SKU, warehouse and quality.'),
  method: 'get', path: '/stock/levels', tags: ['stock'], summary: 'Stock levels (库存查询)',
  request: { query: StockQuerySchema },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(StockPageSchema, 'One page of stock rows') },
});
const levelsExport = createRoute({
  ...guard('stock.view', 'All matching rows in the page order, streamed.'),
  method: 'get', path: '/stock/levels/export', tags: ['stock'], summary: 'Export stock levels as CSV or XLSX',
  request: { query: StockQuerySchema.omit({ page: true, size: true }).extend({ format: z.enum(['csv', 'xlsx']).default('csv') }) },
  responses: {
    ...COMMON_ERRORS,
    200: { description: 'The file', content: { 'text/csv': { schema: z.string().openapi({ format: 'binary' }) }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().openapi({ format: 'binary' }) } } },
  },
});
const ledger = createRoute({
  ...guard('stock.view', 'Newest first; onHandAfter/reservedAfter are the balances after each movement.'),
  method: 'get', path: '/stock/ledger', tags: ['stock'], summary: 'Stock ledger of a SKU',
  request: { query: z.object({ sku: ledgerQuery.shape.sku, warehouse: ledgerQuery.shape.warehouse, quality: ledgerQuery.shape.quality, page, size }) },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(LedgerPageSchema, 'One page of movements') },
});
const listTransfers = createRoute({
  ...guard('stock.view', 'Newest first.'),
  method: 'get', path: '/stock/transfers', tags: ['stock'], summary: 'Stock transfers (调拨单)',
  request: { query: z.object({ stage: z.enum(['', ...TRANSFER_STAGES] as [string, ...string[]]).default(''), page, size }) },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(TransferListSchema, 'One page of transfers') },
});
const getTransfer = createRoute({
  ...guard('stock.view'),
  method: 'get', path: '/stock/transfers/{no}', tags: ['stock'], summary: 'One stock transfer',
  request: { params: NoParam },
  responses: { ...COMMON_ERRORS, 404: errorResponse('No such transfer (`not_found`)'), 200: jsonResponse(TransferSchema, 'The transfer') },
});
const postTransfer = createRoute({
  ...guard('stock.manage', 'Lines by SKU code or barcode (a code given twice adds up); bundles are refused. Created once per actionId, then its workflow waits for outbound approval.'),
  method: 'post', path: '/stock/transfers', tags: ['stock'], summary: 'Create a stock transfer',
  request: { body: jsonBody(CreateTransferBodySchema) },
  responses: { ...COMMON_ERRORS, 409: errorResponse('Numbers for today used up (`refused`)'), 503: errorResponse('Saved, but its workflow could not be started; send the same actionId again'), 201: jsonResponse(CreatedSchema, 'Created (or already created by this actionId)') },
});

export const stockApi = apiApp()
  .openapi(levels, async (c) => {
    const q = stockQuery.parse(c.req.valid('query'));
    const { rows, pager } = await findStockPage(c.var.deps.db.em().fork(), q);
    return c.json({ total: pager.total, page: pager.page, pages: pager.pages, size: q.size, items: rows }, 200);
  })
  .openapi(levelsExport, (c) => {
    const { format, ...rest } = c.req.valid('query');
    const q = stockQuery.parse(rest);
    const em = c.var.deps.db.em().fork();
    return format === 'xlsx' ? stockXlsx(c, em, q) : stockCsv(c, em, q);
  })
  .openapi(ledger, async (c) => {
    const q = ledgerQuery.parse(c.req.valid('query'));
    const { rows, pager } = await findLedgerPage(c.var.deps.db.em().fork(), q);
    return c.json({ total: pager.total, page: pager.page, pages: pager.pages, size: q.size, items: rows.map(({ refHref: _h, ...r }) => ({ ...r, at: r.at.toISOString() })) }, 200);
  })
  .openapi(listTransfers, async (c) => {
    const q = c.req.valid('query');
    const em = c.var.deps.db.em().fork();
    const where = q.stage ? { stage: q.stage as TransferStage } : {};
    const pager = pagerFor(q.page, q.size, await em.count(StockTransfer, where));
    const rows = await em.find(StockTransfer, where, { orderBy: { createdAt: 'desc', transferNo: 'desc' }, limit: q.size, offset: (pager.page - 1) * q.size });
    return c.json({ total: pager.total, page: pager.page, pages: pager.pages, size: q.size, items: rows.flatMap((r) => (r.snapshot ? [transferJson(r.snapshot)] : [])) }, 200);
  })
  .openapi(getTransfer, async (c) => {
    const { no } = c.req.valid('param');
    const row = await c.var.deps.db.em().fork().findOne(StockTransfer, { transferNo: no });
    if (!row?.snapshot) return c.json(apiErrorBody('not_found', `调拨单 ${no} 不存在`), 404);
    return c.json(transferJson(row.snapshot), 200);
  })
  .openapi(printNote, async (c) => {
    const { no } = c.req.valid('param');
    const b = c.req.valid('json');
    return decisionAnswer(c, await createTransferDecisions(c.var.deps.temporal, c.var.deps.db.em(), c.var.actor, c.var.locale).printNote(no, `${b.actionId}:${no}`));
  })
  .openapi(notePdf, async (c) => {
    const { no } = c.req.valid('param');
    const row = await c.var.deps.db.em().fork().findOne(StockTransfer, { transferNo: no }, { populate: ['notePdf'] });
    if (!row?.notePdf) return c.json(apiErrorBody('not_found', row ? `调拨单 ${no} 还没有打印出库单` : `调拨单 ${no} 不存在`), 404);
    return c.body(new Uint8Array(row.notePdf), 200, { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${no}.pdf"`, 'cache-control': 'no-store' });
  })
  .openapi(postTransfer, async (c) => {
    const b = c.req.valid('json');
    const o = await createTransfer({ db: c.var.deps.db, temporal: c.var.deps.temporal, taskQueue: c.var.deps.config.taskQueue }, c.var.actor, {
      actionId: b.actionId, fromWarehouseCode: b.fromWarehouseCode, toWarehouseCode: b.toWarehouseCode, quality: b.quality, costBasis: b.costBasis, memo: b.memo, lines: b.lines,
    });
    if (!o.ok) return c.json(apiErrorBody(o.status === 400 ? 'bad_request' : o.status === 503 ? 'workflow_unavailable' : 'refused', o.message), o.status);
    return c.json({ transferNo: o.transferNo, repeated: o.repeated }, 201);
  })
  .openapi(decisionRoute('/stock/transfers/{no}/outbound', 'stock.approve', '出库审核: the goods leave the source and are in transit', DecisionBodySchema), async (c) => {
    const { no } = c.req.valid('param');
    const b = c.req.valid('json') as z.infer<typeof DecisionBodySchema>;
    return decisionAnswer(c, await createTransferDecisions(c.var.deps.temporal, c.var.deps.db.em(), c.var.actor, c.var.locale).outbound(no, b.expectedVersion, `${b.actionId}:${no}`, b.reason ?? ''));
  })
  .openapi(decisionRoute('/stock/transfers/{no}/inbound', 'stock.approve', '入库审核 with the counted quantities; a difference waits for a second person', DecisionBodySchema.extend({ received: z.array(z.object({ skuCode: z.string(), qty: z.number().int().min(0) })).min(1) })), async (c) => {
    const { no } = c.req.valid('param');
    const b = c.req.valid('json') as z.infer<typeof DecisionBodySchema> & { received: Array<{ skuCode: string; qty: number }> };
    return decisionAnswer(c, await createTransferDecisions(c.var.deps.temporal, c.var.deps.db.em(), c.var.actor, c.var.locale).inbound(no, b.expectedVersion, { received: b.received, reason: b.reason ?? '' }, `${b.actionId}:${no}`));
  })
  .openapi(decisionRoute('/stock/transfers/{no}/difference', 'stock.approve', 'Approve a counted difference (not by the counter) or send it back for a recount (reason required)', DecisionBodySchema.extend({ decision: z.enum(['approve', 'reject']) })), async (c) => {
    const { no } = c.req.valid('param');
    const b = c.req.valid('json') as z.infer<typeof DecisionBodySchema> & { decision: 'approve' | 'reject' };
    return decisionAnswer(c, await createTransferDecisions(c.var.deps.temporal, c.var.deps.db.em(), c.var.actor, c.var.locale).difference(no, b.expectedVersion, { decision: b.decision, reason: b.reason ?? '' }, `${b.actionId}:${no}`));
  })
  .openapi(decisionRoute('/stock/transfers/{no}/cancel', 'stock.manage', 'Cancel before outbound (reason required)', DecisionBodySchema), async (c) => {
    const { no } = c.req.valid('param');
    const b = c.req.valid('json') as z.infer<typeof DecisionBodySchema>;
    return decisionAnswer(c, await createTransferDecisions(c.var.deps.temporal, c.var.deps.db.em(), c.var.actor, c.var.locale).cancel(no, b.expectedVersion, { reason: b.reason ?? '' }, `${b.actionId}:${no}`));
  })
  .openapi(decisionRoute('/stock/transfers/{no}/reverse-request', 'stock.manage', 'Ask for a reverse after outbound (冲销出库 + 取消入库; reason required)', DecisionBodySchema), async (c) => {
    const { no } = c.req.valid('param');
    const b = c.req.valid('json') as z.infer<typeof DecisionBodySchema>;
    return decisionAnswer(c, await createTransferDecisions(c.var.deps.temporal, c.var.deps.db.em(), c.var.actor, c.var.locale).reverse(no, b.expectedVersion, { decision: 'request', reason: b.reason ?? '' }, `${b.actionId}:${no}`));
  })
  .openapi(decisionRoute('/stock/transfers/{no}/reverse-decision', 'stock.reverse', 'Approve a reverse (the goods go back to the source) or refuse it (reason required)', DecisionBodySchema.extend({ decision: z.enum(['approve', 'reject']) })), async (c) => {
    const { no } = c.req.valid('param');
    const b = c.req.valid('json') as z.infer<typeof DecisionBodySchema> & { decision: 'approve' | 'reject' };
    return decisionAnswer(c, await createTransferDecisions(c.var.deps.temporal, c.var.deps.db.em(), c.var.actor, c.var.locale).reverse(no, b.expectedVersion, { decision: b.decision, reason: b.reason ?? '' }, `${b.actionId}:${no}`));
  });
