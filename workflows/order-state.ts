/** Pure helpers of the order workflow: the first snapshot, audit entries and the decision checks its validators run. */
import { courierServes } from '../domain/auto-review';
import type { OrderDraft } from '../domain/order-draft';
import type { AuditEntry, OrderSnapshot } from '../domain/order-snapshot';
import { ORDER_STATUS_LABELS, REVIEWABLE, type OrderStatus } from '../domain/order-status';
import { can, type Actor, type Permission } from '../domain/roles';
import { verifyScans } from '../domain/scan';
import { assertSignedActor } from './actor-signature';
import type { DecisionBase, ReserveWaybillRequest, ReviewDecision, ShipRequest } from './messages';


export function initialSnapshot(draft: OrderDraft): OrderSnapshot {
  return {
    id: draft.orderId,
    version: 0,
    status: 'submitted',
    reviewReasons: [],
    shopCode: draft.shopCode,
    platform: draft.platform,
    platformOrderNo: draft.platformOrderNo,
    platformStatus: draft.platformStatus,
    refundStatus: '',
    source: draft.source,
    buyerNick: draft.buyerNick,
    receiver: { ...draft.receiver },
    buyerMessage: draft.buyerMessage,
    sellerMemo: draft.sellerMemo,
    goodsFen: draft.goodsFen,
    postFen: draft.postFen,
    paidFen: draft.paidFen,
    platformCreatedAt: draft.createdAt,
    paidAt: draft.paidAt,
    shipBy: null,
    lines: draft.lines.map((l) => ({ ...l, barcode: '' })),
    courierCode: '',
    couriersServing: [],
    warehouseCode: '',
    waybillNo: '',
    reviewedBy: '',
    reviewedAt: null,
    printCount: 0,
    printedAt: null,
    shippedBy: '',
    shippedAt: null,
    weightGrams: 0,
    postageFen: 0,
    sync: { status: 'none', attempts: 0, lastError: '', nextAt: null, syncedAt: null },
    alert: '',
  };
}

/** Throws the reason a decision may not be taken on this order now; the UI shows it as is. */
export function assertDecision(s: OrderSnapshot, d: DecisionBase, permission: Permission, allowed: readonly OrderStatus[]): void {
  if (!d.actor?.username) throw new Error('缺少操作人');
  assertSignedActor(d.actor);
  if (!can(d.actor.roles ?? [], permission)) throw new Error(`${d.actor.displayName || d.actor.username} 没有此操作的权限`);
  if (!allowed.includes(s.status)) throw new Error(`订单当前状态为「${ORDER_STATUS_LABELS[s.status]}」，不能执行此操作`);
  if (d.expectedVersion !== s.version) throw new Error('订单已被他人或系统修改，请刷新后重试');
}

/**
 * The couriers that deliver to a province: from the coverage auto-review kept, so an address edited at review is
 * checked against its new province; orders started before coverage was kept fall back to the list for their own.
 */
export function couriersServing(s: OrderSnapshot, province: string): string[] {
  if (s.courierCoverage?.length) return s.courierCoverage.filter((c) => courierServes({ ...c, isDefault: false }, province)).map((c) => c.code);
  return s.couriersServing ?? [];
}

function assertCourierServes(s: OrderSnapshot, courier: string, province: string): void {
  const serving = couriersServing(s, province);
  // Orders started before couriersServing was kept have none: nothing to check against.
  if (serving.length && !serving.includes(courier)) {
    throw new Error(`${courier} 不派送 ${province}（超区），请改用 ${serving.join(' / ')}`);
  }
}

/** A refund asked before shipment holds the order: nothing moves it on until its case lets go. */
function assertNotIntercepted(s: OrderSnapshot): void {
  if (!s.intercept) return;
  if (s.intercept.state === 'waiting_pull') throw new Error(`售后拦截（售后单 ${s.intercept.caseNo}）：买家已申请退款，不要发货，请把包裹从发货线上取下`);
  throw new Error(`售后拦截中（售后单 ${s.intercept.caseNo}）：买家已申请退款，订单暂停处理`);
}

export function assertCanReview(s: OrderSnapshot, d: ReviewDecision): void {
  assertDecision(s, d, 'order.review', REVIEWABLE);
  assertNotIntercepted(s);
  assertCourierServes(s, d.courierCode || s.courierCode, d.receiver?.province || s.receiver.province);
  // A line that matches no SKU cannot be reserved, picked or scanned: it is mapped first (对应货品), then approved.
  const unmatched = s.reviewReasons.find((r) => r.startsWith('货品未匹配'));
  if (unmatched) throw new Error(`${unmatched}：请先对应货品，再审核`);
  if (s.status === 'out_of_area' && (!d.warehouseCode || d.warehouseCode === s.warehouseCode)) {
    throw new Error('超区订单在超区仓，审核时请选择发货仓库');
  }
}

export function assertCanReserveWaybill(s: OrderSnapshot, r: ReserveWaybillRequest): void {
  assertActor(r.actor, 'waybill.reserve');
  if (s.status !== 'waybill_pending') throw new Error(s.waybillNo ? `已有物流单号 ${s.waybillNo}` : '订单尚未审核，不能预约物流单号');
  assertNotIntercepted(s);
  if (r.courierCode) assertCourierServes(s, r.courierCode, s.receiver.province);
}

export function assertCanShip(s: OrderSnapshot, d: ShipRequest): void {
  const who = d.actor?.displayName || d.actor?.username || '?';
  const roles = d.actor?.roles ?? [];
  if (!d.actor?.username) throw new Error('缺少操作人');
  assertSignedActor(d.actor);
  if (d.override) {
    if (!can(roles, 'ship.override')) throw new Error(`${who} 没有放行权限，请主管（管理员）放行`);
    if (!d.override.reason?.trim()) throw new Error('放行请填写原因');
  } else if (!can(roles, 'ship.scan')) {
    throw new Error(`${who} 没有发货权限`);
  }
  if (s.status !== 'printed') throw new Error(`订单当前状态为「${ORDER_STATUS_LABELS[s.status]}」，不能发货`);
  assertNotIntercepted(s);
  if (s.alert.includes('退款')) throw new Error('买家已申请退款，不要发货');
  if (s.changedAfterPrint && !d.override) throw new Error(`${s.changedAfterPrint}，面单已打印：请拦截核对，主管放行后才能发货`);
  const problem = verifyScans(s.lines, d.scannedBarcodes ?? []);
  if (problem) throw new Error(problem);
  if (d.weightGrams !== undefined && (!Number.isInteger(d.weightGrams) || d.weightGrams < 0)) throw new Error('重量必须是不小于 0 的整数克数');
  if (d.postageFen !== undefined && (!Number.isInteger(d.postageFen) || d.postageFen < 0)) throw new Error('邮资必须是不小于 0 的金额');
}

export function assertActor(actor: Actor | undefined, permission: Permission): void {
  if (!actor?.username) throw new Error('缺少操作人');
  assertSignedActor(actor);
  if (!can(actor.roles ?? [], permission)) throw new Error(`${actor.displayName || actor.username} 没有此操作的权限`);
}

/** Capped exponential backoff for shipment sync: 10 s, 20 s, 40 s … at most 30 minutes. */
export function syncBackoffMs(attempt: number): number {
  return Math.min(10_000 * 2 ** Math.max(0, attempt - 1), 30 * 60_000);
}

/** One audit row of a workflow's entity (order or case); `<entity id>#<seq>` is unique so a retried write lands once. */
export function auditEntry(
  entityId: string,
  seq: number,
  action: string,
  actor: Actor,
  at: string,
  reason = '',
  before: Record<string, unknown> | null = null,
  after: Record<string, unknown> | null = null,
): AuditEntry {
  return { key: `${entityId}#${seq}`, action, actor: actor.username, actorName: actor.displayName, reason, before, after, at };
}
