/**
 * 订单审核 (F2): orders waiting for a reviewer, approved one at a time or in batches; each approval is an
 * Update on the order's workflow carrying the version the reviewer saw, so a changed order is refused, not overwritten.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { Order } from '../../db/entities';
import { REVIEWABLE, type OrderStatus } from '../../domain/order-status';
import { actionIdPattern, newActionId } from '../action-id';
import { requireRole } from '../auth/require-role';
import type { AppEnv } from '../env';
import { createOrderDecisions, type DecisionOutcome } from '../orders/order-decisions';
import { renderOrderDetail } from '../orders/order-detail-page';
import { findMatchingIds, MAX_BATCH } from '../orders/order-list-query';
import { listWhere, loadOrderList, parseListQuery, type ListScreen } from '../orders/order-list-page';
import { parsePick, parsePicks, type OrderPick } from '../orders/order-picks';
import { approveBatch, approveEdits, checkOverrides } from '../orders/review-approval';
import { asList, readForm } from '../read-form';
import { renderPage, t } from '../render';

export const REVIEW_SCREEN: ListScreen = {
  defaultStatus: 'pending',
  statuses: { pending: REVIEWABLE, review: ['review'], out_of_area: ['out_of_area'], all: null } satisfies Record<string, readonly OrderStatus[] | null>,
  defaultSort: 'paid',
  defaultDir: 'asc',
};

const approveForm = z.object({
  actionId: z.string().regex(actionIdPattern, 'error.staleForm'),
  pick: z.preprocess(asList, z.array(z.string().max(200))).default([]),
  only: z.string().max(200).optional(),
  allMatching: z.string().optional(),
  filter: z.string().max(4000).default(''),
  courierCode: z.string().trim().max(20).default(''),
  warehouseCode: z.string().trim().max(40).default(''),
});

const detailApproveForm = z.object({
  actionId: z.string().regex(actionIdPattern, 'error.staleForm'),
  expectedVersion: z.coerce.number().int().min(0),
  courierCode: z.string().trim().max(20).default(''),
  warehouseCode: z.string().trim().max(40).default(''),
  sellerMemo: z.string().trim().max(1000).optional(),
  receiverName: z.string().trim().max(100).optional(),
  receiverMobile: z.string().trim().max(40).optional(),
  receiverPhone: z.string().trim().max(40).optional(),
  province: z.string().trim().max(40).optional(),
  city: z.string().trim().max(60).optional(),
  district: z.string().trim().max(60).optional(),
  address: z.string().trim().max(500).optional(),
});

async function renderReview(c: Context<AppEnv>, raw: Record<string, string>, extra: { outcomes?: DecisionOutcome[]; error?: string } = {}, status: 200 | 400 = 200) {
  const outcomes = new Map((extra.outcomes ?? []).map((o) => [o.orderId, o]));
  const list = await loadOrderList(c, raw, REVIEW_SCREEN, outcomes);
  const results = extra.outcomes?.length
    ? {
        ok: extra.outcomes.filter((o) => o.ok).length,
        failed: extra.outcomes.filter((o) => !o.ok).length,
        items: extra.outcomes,
      }
    : null;
  return renderPage(
    c,
    'review/list',
    { title: t(c, 'nav.review'), list, actionId: newActionId(), results, error: extra.error ?? list.error, maxBatch: MAX_BATCH },
    extra.error || list.error ? 400 : status,
  );
}

export const reviewRoutes = new Hono<AppEnv>()
  .use('*', requireRole('order.review'))
  .get('/', (c) => renderReview(c, c.req.query()))
  .post('/approve', async (c) => {
    const form = await readForm(c, approveForm);
    const filterRaw = form.ok ? Object.fromEntries(new URLSearchParams(form.data.filter)) : {};
    if (!form.ok) return renderReview(c, filterRaw, { error: form.message });
    const f = form.data;
    const problem = await checkOverrides(c, f.courierCode, f.warehouseCode);
    if (problem) return renderReview(c, filterRaw, { error: problem });

    let picks: OrderPick[] | null;
    if (f.only) {
      const one = parsePick(f.only);
      picks = one ? [one] : null;
    } else if (f.allMatching === '1') {
      const { q } = parseListQuery(filterRaw, REVIEW_SCREEN);
      // "All matching" means all matching that can still be approved, whatever the status filter shows.
      const where = { $and: [listWhere(q, REVIEW_SCREEN), { status: { $in: [...REVIEWABLE] } }] };
      picks = await findMatchingIds(c.var.deps.db.em(), where, q.sort ?? REVIEW_SCREEN.defaultSort, q.dir ?? REVIEW_SCREEN.defaultDir);
    } else {
      picks = parsePicks(f.pick);
    }
    if (!picks) return renderReview(c, filterRaw, { error: t(c, 'error.badSelection') });
    if (!picks.length) return renderReview(c, filterRaw, { error: t(c, 'review.nothingSelected') });

    const decisions = createOrderDecisions(c.var.deps.temporal, c.var.actor, c.var.locale);
    const outcomes = await approveBatch(decisions, picks, f, f.actionId);
    const numbers = new Map(
      (await c.var.deps.db.em().find(Order, { id: { $in: picks.map((p) => p.id) } }, { fields: ['id', 'platformOrderNo'] })).map((o) => [o.id, o.platformOrderNo]),
    );
    const labelled = outcomes.map((o) => ({ ...o, platformOrderNo: numbers.get(o.orderId) ?? o.orderId }));
    return renderReview(c, filterRaw, { outcomes: labelled });
  })
  .post('/orders/:id/approve', async (c) => {
    const orderId = c.req.param('id');
    const form = await readForm(c, detailApproveForm);
    if (!form.ok) return renderOrderDetail(c, orderId, { ok: false, message: form.message }, 400);
    const f = form.data;
    const problem = await checkOverrides(c, f.courierCode, f.warehouseCode);
    if (problem) return renderOrderDetail(c, orderId, { ok: false, message: problem }, 400);
    const order = await c.var.deps.db.em().findOne(Order, { id: orderId });
    if (!order) return renderOrderDetail(c, orderId);

    const input = approveEdits(order, {
      expectedVersion: f.expectedVersion,
      courierCode: f.courierCode,
      warehouseCode: f.warehouseCode,
      ...(f.sellerMemo !== undefined ? { sellerMemo: f.sellerMemo } : {}),
      receiver: {
        name: f.receiverName,
        mobile: f.receiverMobile,
        phone: f.receiverPhone,
        province: f.province,
        city: f.city,
        district: f.district,
        detail: f.address,
      },
    });
    const decisions = createOrderDecisions(c.var.deps.temporal, c.var.actor, c.var.locale);
    const outcome = await decisions.approve(orderId, input, `${f.actionId}:${orderId}`);
    return renderOrderDetail(c, orderId, { ok: outcome.ok, message: outcome.message || t(c, 'review.approved') }, outcome.ok ? 200 : 409);
  });
