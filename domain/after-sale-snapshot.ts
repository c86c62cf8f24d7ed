/** What a case workflow knows about its after-sales case, as written to the read model and returned by its query. */
import type { CaseLine, CaseStage, CaseType, QcLine, ReplacementLine } from './after-sale';

export type PostageBorneBy = 'buyer' | 'seller';
export type MoneyChannel = 'platform' | 'offline';

/** The platform refund a case answers, as the case last saw it. */
export interface CasePlatformRefund {
  refundId: string;
  status: string;
  disputeType: string;
  phase: 'onsale' | 'aftersale';
  refundVersion: string;
  /** What the buyer asks, in fen. */
  requestedFen: number;
  /** The platform's deadline (refund_remind_timeout), ISO UTC; past it the platform decides for the buyer. */
  deadline: string | null;
  modified: string;
}

/** A durable call to the platform (agree refund, agree return, consign replacement) with its retry state. */
export interface RemoteStep {
  status: 'none' | 'pending' | 'failing' | 'done';
  attempts: number;
  lastError: string;
  nextAt: string | null;
  doneAt: string | null;
}

export interface CaseSnapshot {
  caseNo: string;
  workflowId: string;
  type: CaseType;
  stage: CaseStage;
  /** Bumped on every change; decisions carry the version they were made on. */
  version: number;
  shopCode: string;
  orderId: string;
  platformOrderNo: string;
  buyerNick: string;
  /** Order status when the case was opened: decides whether a refund intercepts the order or follows a shipment. */
  orderStatusAtOpen: string;
  platformRefund: CasePlatformRefund | null;
  reason: string;
  note: string;
  lines: CaseLine[];
  /** The buyer's return parcel. */
  returnCompany: string;
  returnWaybillNo: string;
  /** Good units go to sellableWarehouseCode; defective ones to returnsWarehouseCode as defective stock. */
  returnsWarehouseCode: string;
  sellableWarehouseCode: string;
  /** When the return was agreed: the parcel reminder and auto-close count from here. */
  agreedAt: string | null;
  remindedAt: string | null;
  /** The 24-hours-before warning of the platform's deadline was given. */
  deadlineWarned: boolean;
  receivedBy: string;
  receivedAt: string | null;
  qc: QcLine[];
  qcBy: string;
  qcAt: string | null;
  /** Replacement lines of an exchange or reissue. */
  replacement: ReplacementLine[];
  /** Exchange: what the buyer owes (+) or gets back (−) for the replacement against what was returned. */
  priceDifferenceFen: number;
  refundFen: number;
  postageBorneBy: PostageBorneBy;
  /** Return postage the seller pays back to the buyer (when borne by the seller). */
  postageFen: number;
  approvedBy: string;
  approvedAt: string | null;
  finance: { channel: MoneyChannel; account: string; reference: string; by: string; at: string; batched?: boolean } | null;
  platformRefundStep: RemoteStep;
  interception: 'none' | 'held' | 'waiting_pull' | 'lines_cancelled' | 'order_cancelled' | 'already_shipped';
  childOrderIds: string[];
  /** The one line a person should read first: what is wrong or what the case waits for. */
  alert: string;
  closedReason: string;
  createdBy: string;
  createdAt: string;
  doneAt: string | null;
}
