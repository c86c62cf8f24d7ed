/** 订单查询: every order in any state can be found by number, buyer, receiver, phone or waybill, and opened with its full history. */
import { Hono } from 'hono';
import { ORDER_STATUSES, type OrderStatus } from '../../domain/order-status';
import { requireRole } from '../auth/require-role';
import type { AppEnv } from '../env';
import { renderOrderDetail } from '../orders/order-detail-page';
import { loadOrderList, type ListScreen } from '../orders/order-list-page';
import { exportOrders, MAX_EXPORT } from '../privacy/order-export';
import { asksClear, canViewPii } from '../privacy/pii-view';
import { listWhere, parseListQuery } from '../orders/order-list-page';
import { can } from '../../domain/roles';
import { renderError, renderPage, t } from '../render';

const statuses: Record<string, readonly OrderStatus[] | null> = { all: null };
for (const s of ORDER_STATUSES) statuses[s] = [s];

export const ORDER_QUERY_SCREEN: ListScreen = { defaultStatus: 'all', statuses, defaultSort: 'created', defaultDir: 'desc' };

export const orderRoutes = new Hono<AppEnv>()
  .use('*', requireRole('order.view'))
  .get('/', async (c) => {
    const list = await loadOrderList(c, c.req.query(), ORDER_QUERY_SCREEN);
    // The list's query string carries pii=clear when the list shows clear values, so the file matches the screen.
    const exportQuery = list.queryString;
    return renderPage(
      c,
      'orders/list',
      {
        title: t(c, 'nav.orders'),
        list,
        canExport: can(c.var.user.roles, 'order.export'),
        csvHref: `/orders/export?${exportQuery}&format=csv`,
        xlsxHref: `/orders/export?${exportQuery}&format=xlsx`,
      },
      list.error ? 400 : 200,
    );
  })
  // 订单导出: the list's filter as a file; masked unless asked clear by someone who may, logged either way.
  .get('/export', requireRole('order.export'), async (c) => {
    if (asksClear(c) && !canViewPii(c)) return renderError(c, 403, t(c, 'pii.forbidden'));
    const raw = c.req.query();
    const { q, error } = parseListQuery(raw, ORDER_QUERY_SCREEN);
    if (error) return renderError(c, 400, t(c, 'error.badInput'));
    const format = raw.format === 'xlsx' ? 'xlsx' : 'csv';
    const result = await exportOrders(c, {
      where: listWhere(q, ORDER_QUERY_SCREEN),
      sort: q.sort ?? ORDER_QUERY_SCREEN.defaultSort,
      dir: q.dir ?? ORDER_QUERY_SCREEN.defaultDir,
      format,
      clear: asksClear(c),
      description: `订单查询 ${new URL(c.req.url).search}`,
    });
    if (result instanceof Response) return result;
    return renderError(c, 400, t(c, 'export.tooMany', { max: MAX_EXPORT, n: result.tooMany }));
  })
  .get('/:id', (c) => renderOrderDetail(c, c.req.param('id')));
