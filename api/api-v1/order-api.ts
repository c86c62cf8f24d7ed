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
});

export const OrderListSchema = z.object({ ...PageSchema, orders: z.array(OrderWithLinesSchema) }).openapi('OrderList');

const listOrders = createRoute({
  ...guard('order.view', 'The filters of the order search page; newest first unless sorted otherwise.'),
  method: 'get',
  path: '/orders',
  tags: ['orders'],
  summary: 'Search orders (订单查询)',
  request: { query: OrderListQuerySchema },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(OrderListSchema, 'One page of orders with their lines') },
});

const getOrder = createRoute({
  ...guard('order.view', 'The timeline merges the audit rows (who decided what, why, before → after) with the order workflow’s own history.'),
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
    const { q } = parseListQuery(c.req.query(), ORDER_QUERY_SCREEN);
    const em = c.var.deps.db.em();
    const page = await findOrderPage(em, listWhere(q, ORDER_QUERY_SCREEN), q, q.sort ?? ORDER_QUERY_SCREEN.defaultSort, q.dir ?? ORDER_QUERY_SCREEN.defaultDir);
    const lines = await linesByOrder(em, page.rows.map((o) => o.id));
    return c.json(
      {
        total: page.total,
        page: page.pager.page,
        pages: page.pager.pages,
        size: page.pager.size,
        orders: page.rows.map((o) => ({ ...orderJson(o), lines: (lines.get(o.id) ?? []).map(lineJson) })),
      },
      200,
    );
  })
  .openapi(getOrder, async (c) => {
    const { id } = c.req.valid('param');
    const em = c.var.deps.db.em();
    const order = await em.findOne(Order, { id });
    if (!order) return orderNotFound(c, id);
    const [lines, timeline] = await Promise.all([
      em.find(OrderLine, { orderId: id }, { orderBy: { lineNo: 'asc' } }),
      loadOrderTimeline(em, c.var.deps.temporal, id, c.var.locale),
    ]);
    return c.json({ ...orderJson(order), lines: lines.map(lineJson), timeline: timeline.entries.map(timelineJson), historyError: timeline.historyError }, 200);
  });
