/** JSON API for scripts and integrations, signed in with a personal token and held to the same permissions as the pages. */
import { Hono } from 'hono';
import { z } from 'zod';
import { Order, OrderLine } from '../../db/entities';
import { actionIdPattern } from '../action-id';
import { requireRole } from '../auth/require-role';
import type { AppEnv } from '../env';
import { createOrderDecisions } from '../orders/order-decisions';
import { findOrderPage } from '../orders/order-list-query';
import { listWhere, parseListQuery } from '../orders/order-list-page';
import { describeIssue } from '../read-form';
import { ORDER_QUERY_SCREEN } from './order-routes';

const approveBody = z.object({
  actionId: z.string().regex(actionIdPattern),
  expectedVersion: z.number().int().min(0),
  courierCode: z.string().trim().max(20).optional(),
  warehouseCode: z.string().trim().max(40).optional(),
});

export const apiV1Routes = new Hono<AppEnv>()
  .get('/me', requireRole('order.view'), (c) => c.json({ username: c.var.user.username, displayName: c.var.user.displayName, roles: c.var.user.roles }))
  .get('/orders', requireRole('order.view'), async (c) => {
    const { q, error } = parseListQuery(c.req.query(), ORDER_QUERY_SCREEN);
    if (error) return c.json({ error: describeIssue(c, error) }, 400);
    const page = await findOrderPage(c.var.deps.db.em(), listWhere(q, ORDER_QUERY_SCREEN), q, q.sort ?? 'created', q.dir ?? 'desc');
    return c.json({ total: page.total, page: page.pager.page, pages: page.pager.pages, orders: page.rows });
  })
  .get('/orders/:id', requireRole('order.view'), async (c) => {
    const em = c.var.deps.db.em();
    const order = await em.findOne(Order, { id: c.req.param('id') });
    if (!order) return c.json({ error: 'not found' }, 404);
    const lines = await em.find(OrderLine, { orderId: order.id }, { orderBy: { lineNo: 'asc' } });
    return c.json({ ...order, lines });
  })
  .post('/orders/:id/approve', requireRole('order.review'), async (c) => {
    const parsed = approveBody.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: describeIssue(c, parsed.error) }, 400);
    const { actionId, ...input } = parsed.data;
    const orderId = c.req.param('id');
    const outcome = await createOrderDecisions(c.var.deps.temporal, c.var.actor, c.var.locale).approve(orderId, input, `${actionId}:${orderId}`);
    return c.json(outcome, outcome.ok ? 200 : 409);
  });
