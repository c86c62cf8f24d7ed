/** Every Signal, Update and Query of Guanjia's workflows, with their payloads; shared by workflows and api/. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OrderDraft, PlatformStatusNotice, Receiver } from '../domain/order-draft';
import type { OrderSnapshot } from '../domain/order-snapshot';
import type { Actor } from '../domain/roles';

// ---- order workflow -------------------------------------------------------------------------

export interface OrderWorkflowInput {
  draft: OrderDraft;
  /** Set when the workflow continues as new (long shipment-sync retries) to carry its state over. */
  carried?: CarriedOrderState;
}

export interface CarriedOrderState {
  snapshot: OrderSnapshot;
  auditSeq: number;
  stockSeq: number;
  waybillSeq: number;
  platformModifiedAt: string;
  /** The platform's receiver, buyer message and seller memo as last seen, to tell a buyer's change from staff edits. */
  platformFacts?: PlatformFacts;
  /** Tracking numbers given up whose cancellation the courier has not confirmed yet; retried until it does. */
  waybillsToCancel?: WaybillToCancel[];
  waybillCancelAttempts?: number;
}

export interface PlatformFacts {
  receiver: Receiver;
  buyerMessage: string;
  sellerMemo: string;
}

export interface WaybillToCancel {
  courierCode: string;
  waybillNo: string;
}

/** A staff decision carries who made it and the version of the order it was made on. */
export interface DecisionBase {
  actor: Actor;
  /** The order version the person saw; a newer order refuses the decision as stale. */
  expectedVersion: number;
  reason?: string;
}

export interface ReviewDecision extends DecisionBase {
  decision: 'approve';
  courierCode?: string;
  warehouseCode?: string;
  receiver?: Partial<Receiver>;
  sellerMemo?: string;
}

export interface DecisionResult {
  ok: boolean;
  status: OrderSnapshot['status'];
  version: number;
  /** zh-CN sentence the UI shows: what happened, or why nothing did. */
  message: string;
  waybillNo?: string;
}

export interface ReserveWaybillRequest {
  actor: Actor;
  courierCode?: string;
}

export interface PrintedNotice {
  batchId: string;
  actor: Actor;
  at: string;
  kinds: string;
}

export interface ShipRequest {
  actor: Actor;
  /** Every barcode scanned for this parcel, in scan order; must match the order's items exactly. */
  scannedBarcodes: string[];
  weightGrams?: number;
  postageFen?: number;
  /**
   * A supervisor's release (permission ship.override) for what would otherwise stop the parcel: a refund check the
   * platform cannot answer, or a buyer's change made after printing. Never releases a refund the platform reports.
   */
  override?: { reason: string };
}

export interface SyncCommand {
  actor: Actor;
  reason?: string;
}

export const platformUpdateSignal = defineSignal<[PlatformStatusNotice]>('platformUpdate');
export const reviewUpdate = defineUpdate<DecisionResult, [ReviewDecision]>('review');
export const reserveWaybillUpdate = defineUpdate<DecisionResult, [ReserveWaybillRequest]>('reserveWaybill');
export const printedSignal = defineSignal<[PrintedNotice]>('printed');
export const shipUpdate = defineUpdate<DecisionResult, [ShipRequest]>('ship');
export const retrySyncSignal = defineSignal<[SyncCommand]>('retrySync');
export const markSyncedUpdate = defineUpdate<DecisionResult, [SyncCommand]>('markSynced');
export const orderStateQuery = defineQuery<OrderSnapshot>('orderState');

/** 货品对应 saved for a platform SKU this order waits on (货品未匹配): the order re-checks its unmatched lines. */
export interface SkuMappedNotice {
  actor: Actor;
  /** What was mapped, for the audit row: e.g. "612345678901:4567890123 → BWB500-01". */
  mapping: string;
}
export const skuMappedSignal = defineSignal<[SkuMappedNotice]>('skuMapped');

// ---- print batch and shop pull: payloads live in domain/ so activities need not look up here --

export type { PrintBatchInput, PrintBatchResult, PrintKind } from '../domain/print-run';
export type { ShopPullInput, ShopPullResult } from '../domain/shop-pull';
