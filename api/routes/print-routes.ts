/**
 * 单据打印 (F3): approved orders get their tracking numbers (预约物流单号) and are printed in batches; a reprint is
 * allowed and counted, and every batch's PDF stays available from the batch list.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { Order, PrintBatch } from '../../db/entities';
import { numberRollRemaining } from '../../db/settings/number-roll-remaining';
import type { OrderStatus } from '../../domain/order-status';
import { can } from '../../domain/roles';
import type { PrintKind } from '../../workflows/messages';
import { actionIdPattern, newActionId } from '../action-id';
import { requireRole } from '../auth/require-role';
import type { AppEnv } from '../env';
import { createOrderDecisions, type DecisionOutcome } from '../orders/order-decisions';
import { findMatchingIds, MAX_BATCH, orderBy } from '../orders/order-list-query';
import { listWhere, loadOrderList, parseListQuery, type ListScreen } from '../orders/order-list-page';
import { parsePicks, type OrderPick } from '../orders/order-picks';
import { runPrintBatch, sendPrintBatchPdf } from '../orders/print-run';
import { asList, readForm } from '../read-form';
import { renderError, renderPage, t } from '../render';
import { runLimited } from '../run-limited';
import { workflowErrorMessage } from '../workflow-error';

const PRINTABLE: readonly OrderStatus[] = ['waybill_pending', 'ready_to_print', 'printed'];

export const PRINT_SCREEN: ListScreen = {
  defaultStatus: 'todo',
  statuses: {
    todo: ['waybill_pending', 'ready_to_print'],
    waybill_pending: ['waybill_pending'],
    ready_to_print: ['ready_to_print'],
    printed: ['printed'],
    all: PRINTABLE,
  },
  defaultSort: 'paid',
  defaultDir: 'asc',
};

const SORT_OF_BATCH = { paid: 'time', province: 'province', sku: 'sku' } as const;

const KINDS: Record<string, PrintKind[]> = { waybill: ['waybill'], packing_list: ['packing_list'], both: ['waybill', 'packing_list'] };

const batchForm = z.object({
  actionId: z.string().regex(actionIdPattern, 'error.staleForm'),
  pick: z.preprocess(asList, z.array(z.string().max(200))).default([]),
  allMatching: z.string().optional(),
  filter: z.string().max(4000).default(''),
  kinds: z.enum(['waybill', 'packing_list', 'both']).optional(),
  courierCode: z.string().trim().max(20).default(''),
});

async function renderPrint(c: Context<AppEnv>, raw: Record<string, string>, extra: { outcomes?: Array<DecisionOutcome & { platformOrderNo: string }>; error?: string } = {}) {
  const outcomes = new Map((extra.outcomes ?? []).map((o) => [o.orderId, o]));
  const list = await loadOrderList(c, raw, PRINT_SCREEN, outcomes);
  const batches = await c.var.deps.db.em().find(
    PrintBatch,
    {},
    { fields: ['id', 'kinds', 'orderIds', 'pageCount', 'reprint', 'status', 'error', 'createdBy', 'createdAt', 'renderMs'], orderBy: { createdAt: 'desc' }, limit: 15 },
  );
  const results = extra.outcomes?.length
    ? { ok: extra.outcomes.filter((o) => o.ok).length, failed: extra.outcomes.filter((o) => !o.ok).length, items: extra.outcomes }
    : null;
  return renderPage(
    c,
    'printing/list',
    {
      title: t(c, 'nav.print'),
      list,
      actionId: newActionId(),
      results,
      error: extra.error ?? list.error,
      maxBatch: MAX_BATCH,
      canReserve: can(c.var.user.roles, 'waybill.reserve'),
      // 号段 left per roll courier, so whoever reserves numbers sees a roll running low before it runs out.
      rolls: await numberRollRemaining(c.var.deps.db.em()),
      batches: batches.map((b) => ({ ...b, failed: b.status === 'failed', orderCount: b.orderIds.length, kindsLabel: b.kinds.split(',').map((k) => t(c, `print.kind.${k.trim()}`)).join(' + ') })),
    },
    extra.error || list.error ? 400 : 200,
  );
}

/** The orders a print form names, in the order the list shows them (the batch prints in that order). */
async function pickedOrders(c: Context<AppEnv>, f: z.output<typeof batchForm>, statuses: readonly OrderStatus[]): Promise<OrderPick[] | null> {
  const filterRaw = Object.fromEntries(new URLSearchParams(f.filter));
  const { q } = parseListQuery(filterRaw, PRINT_SCREEN);
  const sort = q.sort ?? PRINT_SCREEN.defaultSort;
  const dir = q.dir ?? PRINT_SCREEN.defaultDir;
  const em = c.var.deps.db.em();
  if (f.allMatching === '1') return findMatchingIds(em, { $and: [listWhere(q, PRINT_SCREEN), { status: { $in: [...statuses] } }] }, sort, dir);
  const picks = parsePicks(f.pick);
  if (!picks) return null;
  if (!picks.length) return [];
  const rows = await em.find(Order, { id: { $in: picks.map((p) => p.id) } }, { fields: ['id', 'version'], orderBy: orderBy(sort, dir) });
  return rows.map((r) => ({ id: r.id, version: r.version }));
}

export const printRoutes = new Hono<AppEnv>()
  .use('*', requireRole('print.run'))
  .get('/', (c) => renderPrint(c, c.req.query()))
  .post('/reserve', requireRole('waybill.reserve'), async (c) => {
    const form = await readForm(c, batchForm);
    const filterRaw = form.ok ? Object.fromEntries(new URLSearchParams(form.data.filter)) : {};
    if (!form.ok) return renderPrint(c, filterRaw, { error: form.message });
    const picks = await pickedOrders(c, form.data, ['waybill_pending']);
    if (!picks) return renderPrint(c, filterRaw, { error: t(c, 'error.badSelection') });
    const em = c.var.deps.db.em();
    // Only orders still waiting for a number are sent; the others already have one and are left alone.
    const pending = await em.find(Order, { id: { $in: picks.map((p) => p.id) }, status: 'waybill_pending' }, { fields: ['id', 'platformOrderNo'] });
    if (!pending.length) return renderPrint(c, filterRaw, { error: t(c, 'print.nothingToReserve') });
    const decisions = createOrderDecisions(c.var.deps.temporal, c.var.actor, c.var.locale);
    const courier = form.data.courierCode || undefined;
    const outcomes = await runLimited(pending, 8, async (o) => ({
      ...(await decisions.reserveWaybill(o.id, courier, `${form.data.actionId}:${o.id}`)),
      platformOrderNo: o.platformOrderNo,
    }));
    return renderPrint(c, filterRaw, { outcomes });
  })
  .post('/run', async (c) => {
    const form = await readForm(c, batchForm);
    if (!form.ok) return renderError(c, 400, form.message);
    const kinds = form.data.kinds ? KINDS[form.data.kinds] : undefined;
    if (!kinds) return renderError(c, 400, t(c, 'print.chooseKind'));
    const picks = await pickedOrders(c, form.data, ['ready_to_print', 'printed']);
    if (!picks) return renderError(c, 400, t(c, 'error.badSelection'));
    if (!picks.length) return renderError(c, 400, t(c, 'print.nothingSelected'));
    const { q } = parseListQuery(Object.fromEntries(new URLSearchParams(form.data.filter)), PRINT_SCREEN);
    const sortKey = q.sort ?? 'paid';
    // The selection as sent, not as resolved now: a resent form whose orders have been printed meanwhile is the same request.
    const selection = form.data.allMatching === '1' ? `all:${form.data.filter}` : [...form.data.pick].sort().join(',');
    try {
      const { result } = await runPrintBatch(c, {
        actionKey: `${form.data.actionId}|${form.data.kinds}|${selection}`,
        orderIds: picks.map((p) => p.id),
        kinds,
        sort: sortKey in SORT_OF_BATCH ? SORT_OF_BATCH[sortKey as keyof typeof SORT_OF_BATCH] : 'time',
      });
      if (result.outcome === 'refused') return renderError(c, 409, result.reason ?? '');
      if (result.outcome === 'failed') return renderError(c, 502, t(c, 'print.batchFailed', { id: result.batchId, reason: result.reason ?? '' }));
      return c.redirect(`/print/batches/${encodeURIComponent(result.batchId)}.pdf`, 303);
    } catch (err) {
      return renderError(c, 502, workflowErrorMessage(err, c.var.locale));
    }
  })
  .get('/batches/:file', (c) => sendPrintBatchPdf(c, c.req.param('file').replace(/\.pdf$/, '')));
