/** Pure helpers of the case workflows: the first snapshot, the decision checks their validators run, the child order's draft. */
import { CASE_STAGE_LABELS, type CaseStage } from '../domain/after-sale';
import type { CaseSnapshot } from '../domain/after-sale-snapshot';
import type { OrderDraft } from '../domain/order-draft';
import type { OrderStatus } from '../domain/order-status';
import { can, type Actor, type Permission } from '../domain/roles';
import type { CaseWorkflowInput } from './after-sale-messages';
import { assertSignedActor } from './actor-signature';

/** Order statuses in which a refund can still stop the goods from leaving. */
export const PRE_SHIPMENT: readonly OrderStatus[] = ['submitted', 'review', 'out_of_area', 'waybill_pending', 'ready_to_print', 'printed'];

/** Platform refund statuses that say the seller (or the platform for them) already agreed the return. */
const RETURN_AGREED = ['WAIT_BUYER_RETURN_GOODS', 'WAIT_SELLER_CONFIRM_GOODS'];

function firstStage(input: CaseWorkflowInput): CaseStage {
  switch (input.type) {
    case 'refund':
      return input.orderId && (PRE_SHIPMENT as readonly string[]).includes(input.orderStatusAtOpen) ? 'intercepting' : 'awaiting_approval';
    case 'reissue':
      return 'awaiting_approval';
    default:
      return input.platformRefund && RETURN_AGREED.includes(input.platformRefund.status) ? 'awaiting_parcel' : 'registered';
  }
}

export function initialCaseSnapshot(input: CaseWorkflowInput, workflowId: string, now: string): CaseSnapshot {
  const stage = firstStage(input);
  return {
    caseNo: input.caseNo,
    workflowId,
    type: input.type,
    stage,
    version: 1,
    shopCode: input.shopCode,
    orderId: input.orderId,
    platformOrderNo: input.platformOrderNo,
    buyerNick: input.buyerNick,
    orderStatusAtOpen: input.orderStatusAtOpen,
    platformRefund: input.platformRefund ?? null,
    reason: input.reason,
    note: input.note,
    lines: input.lines,
    returnCompany: input.returnCompany ?? '',
    returnWaybillNo: input.returnWaybillNo ?? '',
    returnsWarehouseCode: input.returnsWarehouseCode,
    sellableWarehouseCode: input.sellableWarehouseCode,
    agreedAt: stage === 'awaiting_parcel' ? now : null,
    remindedAt: null,
    deadlineWarned: false,
    receivedBy: '',
    receivedAt: null,
    qc: [],
    qcBy: '',
    qcAt: null,
    replacement: input.replacement ?? [],
    priceDifferenceFen: 0,
    refundFen: 0,
    postageBorneBy: 'buyer',
    postageFen: 0,
    approvedBy: '',
    approvedAt: null,
    finance: null,
    platformRefundStep: { status: 'none', attempts: 0, lastError: '', nextAt: null, doneAt: null },
    interception: 'none',
    childOrderIds: [],
    alert: '',
    closedReason: '',
    createdBy: input.createdBy.username,
    createdAt: now,
    doneAt: null,
  };
}

/** Throws the reason a decision may not be taken on this case now; the UI shows it as is. */
export function assertCaseDecision(s: CaseSnapshot, d: { actor: Actor; expectedVersion: number }, permission: Permission, stages: readonly CaseStage[]): void {
  if (!d.actor?.username) throw new Error('缺少操作人');
  assertSignedActor(d.actor);
  if (!can(d.actor.roles ?? [], permission)) throw new Error(`${d.actor.displayName || d.actor.username} 没有此操作的权限`);
  if (!stages.includes(s.stage)) throw new Error(`售后单当前为「${CASE_STAGE_LABELS[s.stage]}」，不能执行此操作`);
  if (d.expectedVersion !== s.version) throw new Error('售后单已被他人或系统修改，请刷新后重试');
}

/**
 * The replacement order of an exchange or reissue: a child order with its own id, the original trade's number and
 * receiver, the case in the seller memo (so auto-review hands it to a reviewer), at the replacement's prices.
 */
export function childOrderDraft(s: CaseSnapshot, base: NonNullable<CaseWorkflowInput['childOrderBase']>, now: string): OrderDraft {
  const lines = s.replacement.map((l, i) => ({
    oid: `${s.caseNo}-${i + 1}`, skuCode: l.skuCode, title: l.title, spec: l.spec, qty: l.qty,
    priceFen: l.priceFen, amountFen: l.priceFen * l.qty, isGift: false,
  }));
  const goodsFen = lines.reduce((n, l) => n + l.amountFen, 0);
  return {
    orderId: `order:${base.shopCode}:${s.caseNo}`,
    shopCode: base.shopCode,
    platform: base.platform,
    platformOrderNo: base.platformOrderNo,
    source: 'after_sale',
    platformStatus: 'WAIT_SELLER_SEND_GOODS',
    buyerNick: base.buyerNick,
    receiver: { ...base.receiver },
    buyerMessage: '',
    sellerMemo: `${s.type === 'reissue' ? '补发' : '换货'}：售后单 ${s.caseNo}`,
    goodsFen,
    postFen: 0,
    paidFen: goodsFen,
    createdAt: now,
    paidAt: now,
    modifiedAt: now,
    lines,
  };
}
