/** Orders for integrations: the order search page's filters, sorting and paging, and one order with its lines and timeline. */
import { createRoute, z } from '@hono/zod-openapi';
import { Order, OrderLine } from '../../db/entities';
import { ORDER_STATUSES } from '../../domain/order-status';
import { linesByOrder, findOrderPage, orderListQuery } from '../orders/order-list-query';
import { listWhere, parseListQuery } from '../orders/order-list-page';
import { loadOrderTimeline } from '../orders/order-timeline';
import { ORDER_QUERY_SCREEN } from '../routes/order-routes';
import { apiApp, COMMON_ERRORS, guard, errorResponse, jsonResponse } from './api-route';
import { lineJson, OrderDetailSchema, OrderIdParam, orderJson, OrderWithLinesSchema, PageSchema, timelineJson } from './api-schemas';
import { orderNotFound } from './decision-json';
import { apiErrorBody } from './api-error';
import { describeRequest, logPiiAccess } from '../privacy/access-log';
import { exportOrders, MAX_EXPORT } from '../privacy/order-export';
import { canViewPii, maskTimelineEntry, showPii } from '../privacy/pii-view';
import { t } from '../render';

/** The hard cap of one API page: more per page gives 400 (never silently fewer), and paging goes through `page`. */
export const API_PAGE_CAP = 200;

const piiParam = z.enum(['masked', 'clear']).default('masked').openapi({
  description: 'masked (default): phone 138****8000, name 王*明, street and buyer nick masked. clear: the values in full, for holders of `order.viewPii` only (403 otherwise); the call is written to the personal-data access log',
});

const OrderListQuerySchema = orderListQuery.extend({
  status: z.enum(['all', ...ORDER_STATUSES]).optional().openapi({ description: 'all (default) or one status' }),
  shop: orderListQuery.shape.shop.openapi({ description: 'Shop code' }),
  from: orderListQuery.shape.from.openapi({ description: 'Paid on or after this day (yyyy-MM-dd, Asia/Shanghai)' }),
  to: orderListQuery.shape.to.openapi({ description: 'Paid on or before this day (yyyy-MM-dd, Asia/Shanghai)' }),
  province: orderListQuery.shape.province.openapi({ description: 'Province, short name (浙江, 新疆…)' }),
  q: orderListQuery.shape.q.openapi({ description: 'Order number, waybill, phone (whole or leading digits), buyer nick or receiver name' }),
  waybill: orderListQuery.shape.waybill.openapi({ description: 'Waybill number, exactly' }),
  courier: orderListQuery.shape.courier.openapi({ description: 'Courier code' }),
  sync: orderListQuery.shape.sync.openapi({ description: 'Shipment sync status' }),
  sort: orderListQuery.shape.sort.openapi({ description: 'created (default), paid, amount, province, sku, syncNext, shipped' }),
  dir: orderListQuery.shape.dir.openapi({ description: 'desc (default) or asc' }),
  size: orderListQuery.shape.size.openapi({ description: '50 (default), 100 or 200', enum: [50, 100, 200] }),
  limit: z.coerce.number().int().min(1, 'pii.limitTooLarge').max(API_PAGE_CAP, 'pii.limitTooLarge').optional().openapi({ description: `Orders per page, 1–${API_PAGE_CAP} (overrides size); more gives 400` }),
  pii: piiParam,
});

export const OrderListSchema = z.object({ ...PageSchema, orders: z.array(OrderWithLinesSchema) }).openapi('OrderList');

const listOrders = createRoute({
  ...guard('order.view', 'The filters of the order search page; newest first unless sorted otherwise. Buyers’ personal data is masked unless `pii=clear`; at most 200 orders a page; calls count against the token’s rate limit (429 with Retry-After).'),
  method: 'get',
  path: '/orders',
  tags: ['orders'],
  summary: 'Search orders (订单查询)',
  request: { query: OrderListQuerySchema },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(OrderListSchema, 'One page of orders with their lines') },
});

const exportOrdersRoute = createRoute({
  ...guard('order.export', `订单导出: every order the filter matches (at most ${MAX_EXPORT}; more gives 400), streamed. Masked unless \`pii=clear\` (which needs \`order.viewPii\`); every export is written to the access log with its filter and row count.`),
  method: 'get',
  path: '/orders/export',
  tags: ['orders'],
  summary: 'Export orders as CSV or XLSX (订单导出)',
  request: { query: OrderListQuerySchema.omit({ page: true, size: true, limit: true }).extend({ format: z.enum(['csv', 'xlsx']).default('csv') }) },
  responses: {
    ...COMMON_ERRORS,
    200: { description: 'The file', content: { 'text/csv': { schema: z.string().openapi({ format: 'binary' }) }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().openapi({ format: 'binary' }) } } },
  },
});

const getOrder = createRoute({
  ...guard('order.view', 'The timeline merges the audit rows (who decided what, why, before → after) with the order workflow’s own history. Holders of `order.viewPii` get the buyer’s data in clear and the call is written to the access log; everyone else gets it masked.'),
  method: 'get',
  path: '/orders/{id}',
  tags: ['orders'],
  summary: 'One order with its lines and timeline',
  request: { params: OrderIdParam },
  responses: {
    ...COMMON_ERRORS,
    200: jsonResponse(OrderDetailSchema, 'The order'),
    404: errorResponse('No such order (`not_found`)'),
  },
});

export const orderApi = apiApp()
  .openapi(listOrders, async (c) => {
    const { limit, pii } = c.req.valid('query');
    if (pii === 'clear' && !canViewPii(c)) return c.json(apiErrorBody('forbidden', t(c, 'pii.forbidden')), 403);
    const { q } = parseListQuery(c.req.query(), ORDER_QUERY_SCREEN);
    if (limit !== undefined) q.size = limit;
    const clear = pii === 'clear';
    const em = c.var.deps.db.em();
    const page = await findOrderPage(em, listWhere(q, ORDER_QUERY_SCREEN), q, q.sort ?? ORDER_QUERY_SCREEN.defaultSort, q.dir ?? ORDER_QUERY_SCREEN.defaultDir);
    const lines = await linesByOrder(em, page.rows.map((o) => o.id));
    if (clear && page.rows.length) await logPiiAccess(c, { action: 'view', orderIds: page.rows.map((o) => o.id), description: describeRequest(c, 'API ') });
    return c.json(
      {
        total: page.total,
        page: page.pager.page,
        pages: page.pager.pages,
        size: page.pager.size,
        orders: page.rows.map((o) => ({ ...orderJson(showPii(o, clear)), lines: (lines.get(o.id) ?? []).map(lineJson) })),
      },
      200,
    );
  })
  .openapi(exportOrdersRoute, async (c) => {
    const { format, pii } = c.req.valid('query');
    if (pii === 'clear' && !canViewPii(c)) return c.json(apiErrorBody('forbidden', t(c, 'pii.forbidden')), 403);
    const { q } = parseListQuery(c.req.query(), ORDER_QUERY_SCREEN);
    const result = await exportOrders(c, {
      where: listWhere(q, ORDER_QUERY_SCREEN),
      sort: q.sort ?? ORDER_QUERY_SCREEN.defaultSort,
      dir: q.dir ?? ORDER_QUERY_SCREEN.defaultDir,
      format,
      clear: pii === 'clear',
      description: describeRequest(c, 'API '),
    });
    if (result instanceof Response) return result;
    return c.json(apiErrorBody('bad_request', t(c, 'export.tooMany', { max: MAX_EXPORT, n: result.tooMany })), 400);
  })
  .openapi(getOrder, async (c) => {
    const { id } = c.req.valid('param');
    const em = c.var.deps.db.em();
    const order = await em.findOne(Order, { id });
    if (!order) return orderNotFound(c, id);
    const clear = canViewPii(c);
    if (clear) await logPiiAccess(c, { action: 'view', orderIds: [id], description: `API 订单 ${order.platformOrderNo}` });
    const [lines, timeline] = await Promise.all([
      em.find(OrderLine, { orderId: id }, { orderBy: { lineNo: 'asc' } }),
      loadOrderTimeline(em, c.var.deps.temporal, id, c.var.locale),
    ]);
    const entries = clear ? timeline.entries : timeline.entries.map((e) => maskTimelineEntry(e, order));
    return c.json({ ...orderJson(showPii(order, clear)), lines: lines.map(lineJson), timeline: entries.map(timelineJson), historyError: timeline.historyError }, 200);
  });
