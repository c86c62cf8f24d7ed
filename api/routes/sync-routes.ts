/**
 * 发货同步: shipped orders whose tracking number has not reached the platform, with the last error and next
 * attempt; staff may retry now, and a reviewer or admin may mark one synced by hand, with a reason.
 */
import { can } from '../../domain/roles';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { Order } from '../../db/entities';
import type { OrderStatus } from '../../domain/order-status';
import { actionIdPattern, newActionId } from '../action-id';
import { requireRole } from '../auth/require-role';
import type { AppEnv } from '../env';
import { createOrderDecisions, type DecisionOutcome } from '../orders/order-decisions';
import { loadOrderList, type ListScreen } from '../orders/order-list-page';
import { parsePicks } from '../orders/order-picks';
import { asList, readForm } from '../read-form';
import { renderPage, t } from '../render';
import { runLimited } from '../run-limited';

const SHIPPED: readonly OrderStatus[] = ['shipped', 'done'];

export const SYNC_SCREEN: ListScreen = {
  defaultStatus: 'shipped',
  statuses: { shipped: SHIPPED },
  defaultSort: 'syncNext',
  defaultDir: 'asc',
  defaultSync: 'failing',
};

// Marking synced by hand overrides the platform's answer, so it is kept to the people who approve orders.

const syncForm = z.object({
  actionId: z.string().regex(actionIdPattern, 'error.staleForm'),
  pick: z.preprocess(asList, z.array(z.string().max(200))).default([]),
  only: z.string().max(200).optional(),
  filter: z.string().max(4000).default(''),
  reason: z.string().trim().max(200).default(''),
});

async function renderSync(c: Context<AppEnv>, raw: Record<string, string>, extra: { outcomes?: Array<DecisionOutcome & { platformOrderNo: string }>; error?: string } = {}) {
  const list = await loadOrderList(c, raw, SYNC_SCREEN, new Map((extra.outcomes ?? []).map((o) => [o.orderId, o])));
  const results = extra.outcomes?.length
    ? { ok: extra.outcomes.filter((o) => o.ok).length, failed: extra.outcomes.filter((o) => !o.ok).length, items: extra.outcomes }
    : null;
  return renderPage(
    c,
    'sync/list',
    {
      title: t(c, 'nav.sync'),
      list,
      actionId: newActionId(),
      results,
      error: extra.error ?? list.error,
      canMarkSynced: can(c.var.user.roles, 'sync.markSynced'),
      syncOptions: ['failing', 'pending', 'synced'],
    },
    extra.error || list.error ? 400 : 200,
  );
}

async function picked(c: Context<AppEnv>, f: z.output<typeof syncForm>) {
  const picks = parsePicks(f.only ? [f.only] : f.pick);
  if (!picks) return null;
  if (!picks.length) return [];
  return c.var.deps.db.em().find(Order, { id: { $in: picks.map((p) => p.id) } }, { fields: ['id', 'platformOrderNo'] });
}

export const syncRoutes = new Hono<AppEnv>()
  .use('*', requireRole('sync.manage'))
  .get('/', (c) => renderSync(c, c.req.query()))
  .post('/retry', async (c) => {
    const form = await readForm(c, syncForm);
    const filterRaw = form.ok ? Object.fromEntries(new URLSearchParams(form.data.filter)) : {};
    if (!form.ok) return renderSync(c, filterRaw, { error: form.message });
    const orders = await picked(c, form.data);
    if (!orders) return renderSync(c, filterRaw, { error: t(c, 'error.badSelection') });
    if (!orders.length) return renderSync(c, filterRaw, { error: t(c, 'sync.nothingSelected') });
    const decisions = createOrderDecisions(c.var.deps.temporal, c.var.actor, c.var.locale);
    const outcomes = await runLimited(orders, 8, async (o) => {
      const r = await decisions.retrySync(o.id);
      return { ...r, message: r.ok ? t(c, 'sync.retryRequested') : r.message, platformOrderNo: o.platformOrderNo };
    });
    return renderSync(c, filterRaw, { outcomes });
  })
  .post('/mark-synced', requireRole('sync.markSynced'), async (c) => {
    const form = await readForm(c, syncForm);
    const filterRaw = form.ok ? Object.fromEntries(new URLSearchParams(form.data.filter)) : {};
    if (!form.ok) return renderSync(c, filterRaw, { error: form.message });
    if (!form.data.reason) return renderSync(c, filterRaw, { error: t(c, 'sync.reasonRequired') });
    const orders = await picked(c, form.data);
    if (!orders) return renderSync(c, filterRaw, { error: t(c, 'error.badSelection') });
    if (!orders.length) return renderSync(c, filterRaw, { error: t(c, 'sync.nothingSelected') });
    const decisions = createOrderDecisions(c.var.deps.temporal, c.var.actor, c.var.locale);
    const outcomes = await runLimited(orders, 8, async (o) => ({
      ...(await decisions.markSynced(o.id, form.data.reason, `${form.data.actionId}:${o.id}`)),
      platformOrderNo: o.platformOrderNo,
    }));
    return renderSync(c, filterRaw, { outcomes });
  });
