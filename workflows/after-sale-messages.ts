/** Signals, Updates and Queries of the after-sales case workflows (return, refund, exchange, reissue) and what a case says to its order. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CaseLine, CaseType, QcLine, ReplacementLine } from '../domain/after-sale';
import type { CasePlatformRefund, CaseSnapshot, MoneyChannel, PostageBorneBy } from '../domain/after-sale-snapshot';
import type { OrderDraft } from '../domain/order-draft';
import type { PlatformRefundFacts } from '../domain/platform-refund';
import type { Actor } from '../domain/roles';
import type { DecisionBase, DecisionResult } from './messages';

export interface CaseWorkflowInput {
  caseNo: string;
  type: CaseType;
  shopCode: string;
  /** The original order's id (order:<shop>:<tid>), '' for a platform refund whose order Guanjia never saw. */
  orderId: string;
  platformOrderNo: string;
  buyerNick: string;
  orderStatusAtOpen: string;
  lines: CaseLine[];
  reason: string;
  note: string;
  createdBy: Actor;
  returnsWarehouseCode: string;
  sellableWarehouseCode: string;
  returnCompany?: string;
  returnWaybillNo?: string;
  /** Exchange and reissue: what goes out in the child order. */
  replacement?: ReplacementLine[];
  /** The child order's draft base (receiver, shop) for exchanges and reissues. */
  childOrderBase?: Pick<OrderDraft, 'shopCode' | 'platform' | 'platformOrderNo' | 'buyerNick' | 'receiver'>;
  platformRefund?: CasePlatformRefund;
  /** The shop's days before a missing return parcel is reminded and the case closes (default RETURN_PARCEL_DAYS). */
  parcelDays?: { remind: number; close: number };
  /** Set when the workflow continues as new (long platform retries) to carry its state over. */
  carried?: { snapshot: CaseSnapshot; auditSeq: number };
}

export interface CaseDecisionResult {
  ok: boolean;
  stage: CaseSnapshot['stage'];
  version: number;
  /** zh-CN sentence the UI shows: what happened, or why nothing did. */
  message: string;
}

/** 待审核: agree the return (the platform is told, with the return address) or refuse it. */
export interface AgreeCaseDecision extends DecisionBase {
  decision: 'agree' | 'refuse';
}

export interface ReturnParcelNotice extends DecisionBase {
  company: string;
  waybillNo: string;
}

/** The returns desk took the parcel in. */
export interface ReceiveParcelDecision extends DecisionBase {
  waybillNo: string;
  company?: string;
}

export interface QcDecision extends DecisionBase {
  lines: QcLine[];
}

/** 审批: the amount to refund and who bears the return postage, or a refusal with its reason. */
export interface ApproveCaseDecision extends DecisionBase {
  decision: 'approve' | 'reject';
  refundFen?: number;
  postageBorneBy?: PostageBorneBy;
  postageFen?: number;
  /** Exchange: the replacement lines (may differ from the returned ones). */
  replacement?: ReplacementLine[];
  sellableWarehouseCode?: string;
}

/** 财务确认: money confirmed through the platform, or offline with the account and reference it went through. */
export interface FinanceDecision extends DecisionBase {
  decision: 'confirm' | 'reject';
  channel?: MoneyChannel;
  account?: string;
  reference?: string;
  /**
   * Confirmed as part of a finance batch that asks the platform for all its refunds in a few calls
   * (platformRefundBatchWorkflow): the case waits a while for that answer before asking on its own.
   */
  batched?: boolean;
}

export interface CloseCaseDecision extends DecisionBase {
  reason: string;
}

/** The order's answer to an interception: what happened to the goods the case is about. */
export interface InterceptOutcome {
  orderId: string;
  outcome: 'lines_cancelled' | 'order_cancelled' | 'waiting_pull' | 'already_shipped' | 'already_cancelled';
  message: string;
}

export const agreeCaseUpdate = defineUpdate<CaseDecisionResult, [AgreeCaseDecision]>('agreeCase');
export const returnParcelUpdate = defineUpdate<CaseDecisionResult, [ReturnParcelNotice]>('returnParcel');
export const receiveParcelUpdate = defineUpdate<CaseDecisionResult, [ReceiveParcelDecision]>('receiveParcel');
export const qcUpdate = defineUpdate<CaseDecisionResult, [QcDecision]>('qc');
export const approveCaseUpdate = defineUpdate<CaseDecisionResult, [ApproveCaseDecision]>('approveCase');
export const financeUpdate = defineUpdate<CaseDecisionResult, [FinanceDecision]>('finance');
export const closeCaseUpdate = defineUpdate<CaseDecisionResult, [CloseCaseDecision]>('closeCase');
export const retryPlatformRefundSignal = defineSignal<[{ actor: Actor }]>('retryPlatformRefund');
/** The platform refund behind the case changed (pulled by the shop pull). */
export const platformRefundSignal = defineSignal<[PlatformRefundFacts]>('platformRefund');
export const interceptOutcomeSignal = defineSignal<[InterceptOutcome]>('interceptOutcome');

/** One refund's answer from a finance batch's rp.refunds.agree call. */
export interface PlatformRefundResult {
  refundId: string;
  ok: boolean;
  alreadyDone: boolean;
  message: string;
}
export const platformRefundResultSignal = defineSignal<[PlatformRefundResult]>('platformRefundResult');

export interface PlatformRefundBatchInput {
  shopCode: string;
  actor: Actor;
  items: Array<{ caseWorkflowId: string; refundId: string; amountFen: number; phase: 'onsale' | 'aftersale' }>;
}
export const caseStateQuery = defineQuery<CaseSnapshot>('caseState');

// ---- what a case says to its (unshipped) order -------------------------------------------------

export interface InterceptRequest {
  caseNo: string;
  caseWorkflowId: string;
  /** Sub-orders and units refunded; all of the order's units = the whole order. */
  lines: Array<{ oid: string; qty: number }>;
}

export interface ConfirmPulledDecision extends DecisionBase {
  caseNo?: string;
}

/** A refund before shipment: hold the order; cancel the refunded lines (or the whole order) with compensation. */
export const interceptSignal = defineSignal<[InterceptRequest]>('intercept');
/** The buyer withdrew the refund: the order goes on where it stood. */
export const releaseInterceptSignal = defineSignal<[{ caseNo: string }]>('releaseIntercept');
/** The warehouse pulled an intercepted parcel off the line. */
export const confirmPulledUpdate = defineUpdate<DecisionResult, [ConfirmPulledDecision]>('confirmPulled');

export type { CaseLine, CaseSnapshot, QcLine, ReplacementLine };
