/** 订单查询: every order in any state can be found by number, buyer, receiver, phone or waybill, and opened with its full history. */
import { Hono } from 'hono';
import { ORDER_STATUSES, type OrderStatus } from '../../domain/order-status';
import { requireRole } from '../auth/require-role';
import type { AppEnv } from '../env';
import { renderOrderDetail } from '../orders/order-detail-page';
import { loadOrderList, type ListScreen } from '../orders/order-list-page';
import { renderPage, t } from '../render';

const statuses: Record<string, readonly OrderStatus[] | null> = { all: null };
for (const s of ORDER_STATUSES) statuses[s] = [s];

export const ORDER_QUERY_SCREEN: ListScreen = { defaultStatus: 'all', statuses, defaultSort: 'created', defaultDir: 'desc' };

export const orderRoutes = new Hono<AppEnv>()
  .use('*', requireRole('order.view'))
  .get('/', async (c) => {
    const list = await loadOrderList(c, c.req.query(), ORDER_QUERY_SCREEN);
    return renderPage(c, 'orders/list', { title: t(c, 'nav.orders'), list }, list.error ? 400 : 200);
  })
  .get('/:id', (c) => renderOrderDetail(c, c.req.param('id')));
