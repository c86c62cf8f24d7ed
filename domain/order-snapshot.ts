/** What the order workflow knows about its order, as written to the read model and returned by its query. */
import type { OrderLineDraft, OrderSource, Receiver } from './order-draft';
import type { OrderStatus, SyncStatus } from './order-status';

export interface OrderLine extends OrderLineDraft {
  /** Barcode of the SKU at the time of review, for the packing list and the scan check. */
  barcode: string;
}

export interface SyncState {
  status: SyncStatus;
  attempts: number;
  lastError: string;
  /** ISO time of the next automatic attempt, while failing. */
  nextAt: string | null;
  syncedAt: string | null;
}

export interface OrderSnapshot {
  id: string;
  /** Bumped on every state change; decisions carry the version they were made on. */
  version: number;
  status: OrderStatus;
  reviewReasons: string[];
  shopCode: string;
  platform: string;
  platformOrderNo: string;
  platformStatus: string;
  refundStatus: string;
  source: OrderSource;
  buyerNick: string;
  receiver: Receiver;
  buyerMessage: string;
  sellerMemo: string;
  goodsFen: number;
  postFen: number;
  paidFen: number;
  platformCreatedAt: string;
  paidAt: string | null;
  shipBy: string | null;
  lines: OrderLine[];
  courierCode: string;
  /** Couriers that deliver to the receiver's province (from auto-review), so approval can refuse one that does not. */
  couriersServing: string[];
  /** Where each courier does not deliver (from auto-review); absent on orders started before it was kept. */
  courierCoverage?: CourierCoverage[];
  warehouseCode: string;
  waybillNo: string;
  reviewedBy: string;
  reviewedAt: string | null;
  printCount: number;
  printedAt: string | null;
  shippedBy: string;
  shippedAt: string | null;
  weightGrams: number;
  postageFen: number;
  sync: SyncState;
  alert: string;
  /**
   * A buyer's change (address, memo) that reached the order after its label was printed: the scan desk refuses the
   * parcel until a supervisor lets it go. Absent on orders started before it was kept.
   */
  changedAfterPrint?: string;
  /**
   * A refund asked before shipment holds the order for its after-sales case: review, printing and the scan desk refuse
   * it until the refunded lines are cancelled (a printed parcel first pulled off the line) or the buyer withdraws.
   */
  intercept?: OrderIntercept;
  /**
   * Some of the trade's sub-orders left the order (refunded before shipment): the parcel ships only the sub-orders it
   * still has, so the platform is told which ones (it refuses a whole-trade send while a sub-order is refunded).
   */
  partialShipment?: boolean;
}

export interface OrderIntercept {
  caseNo: string;
  caseWorkflowId: string;
  /** Sub-orders and units refunded. */
  lines: Array<{ oid: string; qty: number }>;
  /** held: waits to be applied; waiting_pull: a printed parcel must be pulled off the line first. */
  state: 'held' | 'waiting_pull';
}

/** One audit row as the workflow produces it; `key` is unique so a retried write lands once. */
export interface AuditEntry {
  key: string;
  action: string;
  actor: string;
  actorName: string;
  reason: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  at: string;
}

/** Where one courier does not deliver (province short names), kept on the order so review checks an edited province without a look-up. */
export interface CourierCoverage {
  code: string;
  regionsNotServed: string[];
}
