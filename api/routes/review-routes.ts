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
import { createOrderDecisions, type ApproveInput, type DecisionOutcome } from '../orders/order-decisions';
import { renderOrderDetail } from '../orders/order-detail-page';
import { findMatchingIds, MAX_BATCH } from '../orders/order-list-query';
import { listWhere, loadOrderList, parseListQuery, type ListScreen } from '../orders/order-list-page';
import { parsePick, parsePicks, type OrderPick } from '../orders/order-picks';
import { loadReferenceData } from '../orders/reference-data';
import { asList, readForm } from '../read-form';
import { renderPage, t } from '../render';
import { runLimited } from '../run-limited';

const BATCH_CONCURRENCY = 8;

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

/** Courier and warehouse overrides must name active ones; an empty value keeps what auto-review chose. */
async function checkOverrides(c: Context<AppEnv>, courierCode: string, warehouseCode: string): Promise<string | null> {
  const refs = await loadReferenceData(c.var.deps.db.em());
  if (courierCode && !refs.couriers.some((x) => x.code === courierCode)) return t(c, 'review.unknownCourier', { code: courierCode });
  if (warehouseCode && !refs.warehouses.some((x) => x.code === warehouseCode)) return t(c, 'review.unknownWarehouse', { code: warehouseCode });
  return null;
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
    const input = (p: OrderPick): ApproveInput => ({
      expectedVersion: p.version,
      ...(f.courierCode ? { courierCode: f.courierCode } : {}),
      ...(f.warehouseCode ? { warehouseCode: f.warehouseCode } : {}),
    });
    const outcomes = await runLimited(picks, BATCH_CONCURRENCY, (p) => decisions.approve(p.id, input(p), `${f.actionId}:${p.id}`));
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

    // Only what the reviewer actually changed is sent, so an untouched field never overwrites a newer value.
    const receiver: NonNullable<ApproveInput['receiver']> = {};
    const edits: Array<[keyof typeof receiver, string | undefined, string]> = [
      ['name', f.receiverName, order.receiverName],
      ['mobile', f.receiverMobile, order.receiverMobile],
      ['phone', f.receiverPhone, order.receiverPhone],
      ['province', f.province, order.province],
      ['city', f.city, order.city],
      ['district', f.district, order.district],
      ['detail', f.address, order.address],
    ];
    for (const [key, value, current] of edits) if (value !== undefined && value !== current) receiver[key] = value;
    const input: ApproveInput = { expectedVersion: f.expectedVersion };
    if (f.courierCode && f.courierCode !== order.courierCode) input.courierCode = f.courierCode;
    if (f.warehouseCode && f.warehouseCode !== order.warehouseCode) input.warehouseCode = f.warehouseCode;
    if (f.sellerMemo !== undefined && f.sellerMemo !== order.sellerMemo) input.sellerMemo = f.sellerMemo;
    if (Object.keys(receiver).length) input.receiver = receiver;

    const decisions = createOrderDecisions(c.var.deps.temporal, c.var.actor, c.var.locale);
    const outcome = await decisions.approve(orderId, input, `${f.actionId}:${orderId}`);
    return renderOrderDetail(c, orderId, { ok: outcome.ok, message: outcome.message || t(c, 'review.approved') }, outcome.ok ? 200 : 409);
  });
