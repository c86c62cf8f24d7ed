/**
 * 订单审核 for integrations: approve one order (with corrections) or a batch, each at the version the caller saw;
 * the order workflow's validator refuses a changed order, a wrong state or a missing role, and says why.
 */
import { createRoute } from '@hono/zod-openapi';
import { Order } from '../../db/entities';
import { createOrderDecisions } from '../orders/order-decisions';
import { approveBatch, approveEdits, checkOverrides } from '../orders/review-approval';
import { apiErrorBody } from './api-error';
import { apiApp, COMMON_ERRORS, guard, jsonBody, jsonResponse } from './api-route';
import { ApproveBodySchema, BatchApproveBodySchema, BatchResultSchema, DecisionResultSchema, OrderIdParam } from './api-schemas';
import { decisionAnswer, decisionsJson, DECISION_FAILURES, orderNotFound } from './decision-json';

const approveOne = createRoute({
  ...guard('order.review', 'Only fields that differ from the order are applied. Courier and warehouse must be active ones.'),
  method: 'post',
  path: '/orders/{id}/approve',
  tags: ['review'],
  summary: 'Approve one order (审核), optionally correcting it',
  request: { params: OrderIdParam, body: jsonBody(ApproveBodySchema) },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(DecisionResultSchema, 'Approved; status and version after approval, waybillNo when one was reserved'), ...DECISION_FAILURES },
});

const approveMany = createRoute({
  ...guard(
    'order.review',
    'Each order is approved on its own at its expectedVersion; the answer lists every order’s result (ok false with the reason for those refused). Ids given twice count once.',
  ),
  method: 'post',
  path: '/review/approve',
  tags: ['review'],
  summary: 'Approve a batch of orders',
  request: { body: jsonBody(BatchApproveBodySchema) },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(BatchResultSchema, 'One result per order') },
});

export const reviewApi = apiApp()
  .openapi(approveOne, async (c) => {
    const { id } = c.req.valid('param');
    const { actionId, ...edits } = c.req.valid('json');
    const problem = await checkOverrides(c, edits.courierCode, edits.warehouseCode);
    if (problem) return c.json(apiErrorBody('bad_request', problem), 400);
    const em = c.var.deps.db.em();
    const order = await em.findOne(Order, { id });
    if (!order) return orderNotFound(c, id);
    const decisions = createOrderDecisions(c.var.deps.temporal, c.var.actor, c.var.locale);
    const answer = await decisionAnswer(em, await decisions.approve(id, approveEdits(order, edits), `${actionId}:${id}`));
    return answer.ok ? c.json(answer.body, 200) : c.json(answer.body, answer.status);
  })
  .openapi(approveMany, async (c) => {
    const { actionId, orders, ...overrides } = c.req.valid('json');
    const problem = await checkOverrides(c, overrides.courierCode, overrides.warehouseCode);
    if (problem) return c.json(apiErrorBody('bad_request', problem), 400);
    const seen = new Set<string>();
    const picks = orders.filter((o) => !seen.has(o.id) && seen.add(o.id)).map((o) => ({ id: o.id, version: o.expectedVersion }));
    const decisions = createOrderDecisions(c.var.deps.temporal, c.var.actor, c.var.locale);
    const results = await decisionsJson(c.var.deps.db.em(), await approveBatch(decisions, picks, overrides, actionId));
    return c.json({ ok: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length, results }, 200);
  });
