/**
 * 单据打印 for integrations: reserve an order's tracking number, print waybills and packing lists for a set of
 * orders as one PDF (a second print is a recorded reprint), and fetch any batch's PDF again.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { Order, PrintBatch } from '../../db/entities';
import type { PrintKind } from '../../workflows/messages';
import { actionIdPattern } from '../action-id';
import { createOrderDecisions } from '../orders/order-decisions';
import { runPrintBatch, sendPrintBatchPdf } from '../orders/print-run';
import { checkOverrides } from '../orders/review-approval';
import { t } from '../render';
import { workflowErrorKind, workflowErrorMessage } from '../workflow-error';
import { apiErrorBody, WORKFLOW_FAILURE } from './api-error';
import { apiApp, COMMON_ERRORS, guard, errorResponse, jsonBody, jsonResponse } from './api-route';
import {
  BatchIdParam,
  DecisionResultSchema,
  OrderIdParam,
  pdfUrl,
  PrintBatchBodySchema,
  PrintBatchRunSchema,
  PrintBatchSchema,
  ReserveWaybillBodySchema,
} from './api-schemas';
import { decisionAnswer, DECISION_FAILURES, orderNotFound } from './decision-json';

const KIND_ORDER: readonly PrintKind[] = ['waybill', 'packing_list'];

const reserveWaybill = createRoute({
  ...guard('waybill.reserve', 'For an approved order still waiting for its number (waybill_pending), optionally with another courier.'),
  method: 'post',
  path: '/orders/{id}/reserve-waybill',
  tags: ['print'],
  summary: 'Reserve a tracking number (预约物流单号)',
  request: { params: OrderIdParam, body: jsonBody(ReserveWaybillBodySchema) },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(DecisionResultSchema, 'The number was reserved: waybillNo, status ready_to_print'), ...DECISION_FAILURES },
});

const createBatch = createRoute({
  ...guard(
    'print.run',
    'Renders one PDF for the orders that may print (ready_to_print, or printed again as a reprint) and marks them printed; the others are listed in `refused`. Waits until the PDF is made. Send an `actionId` (or `Idempotency-Key` header): the same one again answers with the batch it made (200, `repeated: true`) and prints nothing.',
  ),
  method: 'post',
  path: '/print-batches',
  tags: ['print'],
  summary: 'Print waybills and/or packing lists (单据打印)',
  request: {
    body: jsonBody(PrintBatchBodySchema),
    headers: z.object({ 'idempotency-key': z.string().optional().openapi({ description: 'Same as the actionId field' }) }),
  },
  responses: {
    ...COMMON_ERRORS,
    200: jsonResponse(PrintBatchRunSchema, 'This actionId printed the batch before: the same batch, nothing printed again'),
    201: jsonResponse(PrintBatchRunSchema, 'Printed; fetch the PDF from pdfUrl'),
    409: errorResponse('None of the orders may print (`refused`); the message lists each with its reason'),
    502: errorResponse('The PDF could not be made (`workflow_failed`): the batch is kept as failed with the reason, the orders may be printed again'),
    503: errorResponse('The workflow service cannot be reached (`workflow_unavailable`)'),
    504: errorResponse('No answer in time (`workflow_timeout`); see GET /print-batches later'),
  },
});

const getBatch = createRoute({
  ...guard('print.run'),
  method: 'get',
  path: '/print-batches/{id}',
  tags: ['print'],
  summary: 'A print batch',
  request: { params: BatchIdParam },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(PrintBatchSchema, 'The batch'), 404: errorResponse('No such batch (`not_found`)') },
});

const getBatchPdf = createRoute({
  ...guard('print.run'),
  method: 'get',
  path: '/print-batches/{id}/pdf',
  tags: ['print'],
  summary: "A print batch's PDF",
  request: { params: BatchIdParam },
  responses: {
    ...COMMON_ERRORS,
    200: { description: 'The PDF', content: { 'application/pdf': { schema: z.string().openapi({ type: 'string', format: 'binary' }) } } },
    404: errorResponse('No such batch (`not_found`)'),
    409: errorResponse('The batch has no PDF (`pdf_not_ready`): still being made, or failed (the message says why)'),
  },
});

export const printApi = apiApp()
  .openapi(reserveWaybill, async (c) => {
    const { id } = c.req.valid('param');
    const { actionId, courierCode } = c.req.valid('json');
    const problem = await checkOverrides(c, courierCode);
    if (problem) return c.json(apiErrorBody('bad_request', problem), 400);
    const em = c.var.deps.db.em();
    if (!(await em.count(Order, { id }))) return orderNotFound(c, id);
    const decisions = createOrderDecisions(c.var.deps.temporal, c.var.actor, c.var.locale);
    const answer = await decisionAnswer(em, await decisions.reserveWaybill(id, courierCode || undefined, `${actionId}:${id}`));
    return answer.ok ? c.json(answer.body, 200) : c.json(answer.body, answer.status);
  })
  .openapi(createBatch, async (c) => {
    const body = c.req.valid('json');
    const actionId = body.actionId ?? c.req.valid('header')['idempotency-key'];
    if (!actionId || !actionIdPattern.test(actionId)) return c.json(apiErrorBody('bad_request', t(c, 'api.badActionId')), 400);
    try {
      const { result, repeated } = await runPrintBatch(c, {
        actionKey: actionId,
        orderIds: [...new Set(body.orderIds)],
        kinds: KIND_ORDER.filter((k) => body.kinds.includes(k)),
        sort: body.sort,
      });
      if (result.outcome === 'refused') return c.json(apiErrorBody('refused', result.reason ?? ''), 409);
      if (result.outcome === 'failed') {
        return c.json(apiErrorBody('workflow_failed', t(c, 'print.batchFailed', { id: result.batchId, reason: result.reason ?? '' })), 502);
      }
      return c.json(
        {
          batchId: result.batchId,
          pageCount: result.pageCount,
          printed: result.printed,
          reprinted: result.reprinted,
          refused: result.refused,
          closedOrders: result.closedOrders ?? [],
          repeated,
          pdfUrl: pdfUrl(result.batchId),
        },
        repeated ? 200 : 201,
      );
    } catch (err) {
      const kind = workflowErrorKind(err);
      // The batch is a workflow of its own, so "not found" says nothing about the orders: the run failed.
      const failure = WORKFLOW_FAILURE[kind === 'not_found' ? 'failed' : kind];
      return c.json(apiErrorBody(failure.code, workflowErrorMessage(err, c.var.locale)), failure.status);
    }
  })
  .openapi(getBatch, async (c) => {
    const { id } = c.req.valid('param');
    const batch = await c.var.deps.db.em().findOne(PrintBatch, { id }, { exclude: ['pdf'] });
    if (!batch) return c.json(apiErrorBody('not_found', t(c, 'print.batchNotFound', { id })), 404);
    return c.json(
      {
        id: batch.id,
        status: batch.status,
        error: batch.error,
        kinds: batch.kinds.split(',').map((k) => k.trim()).filter(Boolean),
        orderIds: batch.orderIds,
        pageCount: batch.pageCount,
        reprint: batch.reprint,
        createdBy: batch.createdBy,
        createdAt: batch.createdAt.toISOString(),
        renderMs: batch.renderMs,
        pdfUrl: batch.status === 'failed' ? null : pdfUrl(batch.id),
      },
      200,
    );
  })
  .openapi(getBatchPdf, (c) => sendPrintBatchPdf(c, c.req.valid('param').id));
