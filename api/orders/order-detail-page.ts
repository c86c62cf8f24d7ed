/** Renders one order with its lines, receiver, amounts, shipping and sync state, its after-sales cases, and its single timeline of audit rows and workflow history. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AfterSaleCase, Order, OrderLine } from '../../db/entities';
import { numberRollRemaining } from '../../db/settings/number-roll-remaining';
import { can } from '../../domain/roles';
import { newActionId } from '../action-id';
import type { AppEnv } from '../env';
import { logPiiAccess } from '../privacy/access-log';
import { canViewPii, maskTimelineEntry, showPii } from '../privacy/pii-view';
import { renderError, renderPage, t } from '../render';
import { needsAttention } from './order-list-query';
import { loadOrderTimeline } from './order-timeline';
import { loadReferenceData } from './reference-data';

export interface DetailFlash {
  ok: boolean;
  message: string;
}

export async function renderOrderDetail(c: Context<AppEnv>, orderId: string, flash?: DetailFlash, status: ContentfulStatusCode = 200) {
  const em = c.var.deps.db.em();
  const order = await em.findOne(Order, { id: orderId });
  if (!order) return renderError(c, 404, t(c, 'order.notFound', { id: orderId }));
  const [lines, refs, timeline, cases] = await Promise.all([
    em.find(OrderLine, { orderId }, { orderBy: { lineNo: 'asc' } }),
    loadReferenceData(em),
    loadOrderTimeline(em, c.var.deps.temporal, orderId, c.var.locale),
    em.find(AfterSaleCase, { orderId }, { orderBy: { createdAt: 'asc' }, exclude: ['snapshot'] }),
  ]);
  // One order opened on purpose is a clear view for those allowed (logged); everyone else sees it masked.
  const clear = canViewPii(c);
  if (clear) await logPiiAccess(c, { action: 'view', orderIds: [order.id], description: `订单页 ${order.platformOrderNo}` });
  const shown = showPii(order, clear);
  const canReview = can(c.var.user.roles, 'order.review') && (order.status === 'review' || order.status === 'out_of_area');
  return renderPage(
    c,
    'orders/detail',
    {
      title: `${t(c, 'order.title')} ${order.platformOrderNo}`,
      order: shown,
      piiClear: clear,
      lines,
      shopName: refs.shopName(order.shopCode),
      courierName: refs.courierName(order.courierCode),
      warehouseName: refs.warehouseName(order.warehouseCode),
      refs,
      reasons: order.reviewReasons.split(/[；;]/).map((s) => s.trim()).filter(Boolean),
      pink: needsAttention(order),
      canReview,
      cases,
      // A reserved roll number: how many that courier's roll has left (empty for e-waybill couriers).
      rolls: order.waybillNo && order.courierCode ? await numberRollRemaining(em, [order.courierCode]) : [],
      // A printed parcel held for a refund: the warehouse says when it is off the line.
      canConfirmPulled: !!order.interceptCaseNo && order.status === 'printed' && can(c.var.user.roles, 'ship.scan'),
      actionId: newActionId(),
      timeline: clear ? timeline : { ...timeline, entries: timeline.entries.map((e) => maskTimelineEntry(e, order)) },
      // The Temporal UI shows the workflow's decoded payloads through /codec, which only admins may use: others get no link.
      temporalUrl: can(c.var.user.roles, 'temporal.decode')
        ? `${c.var.deps.config.temporalUiUrl}/namespaces/${encodeURIComponent(c.var.deps.temporal.options.namespace)}/workflows/${encodeURIComponent(orderId)}`
        : '',
      flash,
    },
    status,
  );
}
