/**
 * 发货同步 for integrations: shipped orders whose tracking number the platform has not accepted, with the last error,
 * attempts and next automatic attempt; retry one now, or (reviewers, admins) mark it synced by hand with a reason.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { Order } from '../../db/entities';
import { createOrderDecisions } from '../orders/order-decisions';
import { findOrderPage, orderListQuery } from '../orders/order-list-query';
import { listWhere, parseListQuery } from '../orders/order-list-page';
import { t } from '../render';
import { SYNC_SCREEN } from '../routes/sync-routes';
import { apiErrorBody } from './api-error';
import { apiApp, COMMON_ERRORS, guard, errorResponse, jsonBody, jsonResponse } from './api-route';
import { DecisionResultSchema, MarkSyncedBodySchema, OrderIdParam, PageSchema, SyncRowSchema, syncRowJson } from './api-schemas';
import { decisionAnswer, DECISION_FAILURES, orderNotFound } from './decision-json';

const SyncListQuerySchema = z.object({
  status: z.enum(['failing', 'pending']).default('failing').openapi({ description: 'failing (default): the platform refused or could not be reached; pending: not tried yet' }),
  shop: orderListQuery.shape.shop.openapi({ description: 'Shop code' }),
  page: orderListQuery.shape.page,
  size: orderListQuery.shape.size.openapi({ description: '50 (default), 100 or 200', enum: [50, 100, 200] }),
});

export const SyncListSchema = z.object({ ...PageSchema, orders: z.array(SyncRowSchema) }).openapi('SyncList');

const listSync = createRoute({
  ...guard('sync.manage', 'Next automatic attempt first. Attempts back off from 10 s to 30 minutes and never stop.'),
  method: 'get',
  path: '/sync',
  tags: ['sync'],
  summary: 'Orders whose shipment is not synced to the platform (发货同步)',
  request: { query: SyncListQuerySchema },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(SyncListSchema, 'One page of orders') },
});

const retrySync = createRoute({
  ...guard('sync.manage', 'Asks the order workflow to try now; the outcome shows in GET /sync and on the order a few seconds later.'),
  method: 'post',
  path: '/orders/{id}/sync/retry',
  tags: ['sync'],
  summary: 'Retry the shipment sync now (立即重试)',
  request: { params: OrderIdParam },
  responses: {
    ...COMMON_ERRORS,
    202: jsonResponse(DecisionResultSchema, 'The workflow received the request'),
    404: errorResponse('No such order (`not_found`)'),
    409: errorResponse('The order is not shipped or already synced (`refused`)'),
    502: errorResponse('The workflow call failed (`workflow_failed`)'),
    503: errorResponse('The workflow service cannot be reached (`workflow_unavailable`)'),
    504: errorResponse('No answer in time (`workflow_timeout`)'),
  },
});

const markSynced = createRoute({
  ...guard('sync.markSynced', 'Closes the sync of a shipped order whose tracking number was entered on the platform by hand.'),
  method: 'post',
  path: '/orders/{id}/sync/mark-synced',
  tags: ['sync'],
  summary: 'Mark synced by hand (标记已同步)',
  request: { params: OrderIdParam, body: jsonBody(MarkSyncedBodySchema) },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(DecisionResultSchema, 'Marked synced; status done'), ...DECISION_FAILURES },
});

export const syncApi = apiApp()
  .openapi(listSync, async (c) => {
    const query = c.req.valid('query');
    const { q } = parseListQuery({ shop: query.shop, sync: query.status, page: String(query.page), size: String(query.size) }, SYNC_SCREEN);
    const page = await findOrderPage(c.var.deps.db.em(), listWhere(q, SYNC_SCREEN), q, SYNC_SCREEN.defaultSort, SYNC_SCREEN.defaultDir);
    return c.json({ total: page.total, page: page.pager.page, pages: page.pager.pages, size: page.pager.size, orders: page.rows.map(syncRowJson) }, 200);
  })
  .openapi(retrySync, async (c) => {
    const { id } = c.req.valid('param');
    const em = c.var.deps.db.em();
    const order = await em.findOne(Order, { id });
    if (!order) return orderNotFound(c, id);
    // The workflow ignores a retry it has nothing to retry for; say so instead of answering "requested".
    if (order.status !== 'shipped') {
      return c.json(apiErrorBody('refused', t(c, 'api.retryNotShipped', { no: order.platformOrderNo, status: t(c, `status.${order.status}`) })), 409);
    }
    const decisions = createOrderDecisions(c.var.deps.temporal, c.var.actor, c.var.locale);
    const answer = await decisionAnswer(em, await decisions.retrySync(id));
    if (!answer.ok) return c.json(answer.body, answer.status);
    return c.json({ ...answer.body, message: t(c, 'sync.retryRequested') }, 202);
  })
  .openapi(markSynced, async (c) => {
    const { id } = c.req.valid('param');
    const { actionId, reason } = c.req.valid('json');
    const em = c.var.deps.db.em();
    if (!(await em.count(Order, { id }))) return orderNotFound(c, id);
    const decisions = createOrderDecisions(c.var.deps.temporal, c.var.actor, c.var.locale);
    const answer = await decisionAnswer(em, await decisions.markSynced(id, reason, `${actionId}:${id}`));
    return answer.ok ? c.json(answer.body, 200) : c.json(answer.body, answer.status);
  });
