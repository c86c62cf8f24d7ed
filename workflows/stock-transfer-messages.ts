/** Updates and the Query of the stock transfer workflow (调拨单), with their payloads; shared by the workflow and api/. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { StockQuality } from '../domain/after-sale';
import type { Actor } from '../domain/roles';
import type { TransferCostBasis, TransferLine, TransferSnapshot, TransferStage } from '../domain/stock-transfer';
import type { DecisionBase } from './messages';

export interface StockTransferInput {
  transferNo: string;
  fromWarehouseCode: string;
  toWarehouseCode: string;
  quality: StockQuality;
  costBasis: TransferCostBasis;
  memo: string;
  lines: Array<Omit<TransferLine, 'receivedQty'>>;
  createdBy: Actor;
  createdAt: string;
}

export interface TransferDecisionResult {
  ok: boolean;
  stage: TransferStage;
  version: number;
  /** zh-CN sentence the UI shows: what happened, or why nothing did. */
  message: string;
}

/** 出库审核: the goods leave the source and are in transit. */
export type OutboundDecision = DecisionBase;

/** 入库审核: what the destination counted, per SKU. */
export interface InboundDecision extends DecisionBase {
  received: Array<{ skuCode: string; qty: number }>;
}

/** 差异审核: a second person accepts the counted quantities (approve) or sends the receipt back to be counted again. */
export interface DifferenceDecision extends DecisionBase {
  decision: 'approve' | 'reject';
}

export interface CancelTransferDecision extends DecisionBase {
  reason: string;
}

/** 冲销出库 + 取消入库: asked by the warehouse, approved or refused by an admin. */
export interface ReverseTransferDecision extends DecisionBase {
  decision: 'request' | 'approve' | 'reject';
}

/** Print the outbound note (出库单) through the print worker; the page then serves the PDF. */
export interface PrintNoteRequest {
  actor: Actor;
}

export const outboundUpdate = defineUpdate<TransferDecisionResult, [OutboundDecision]>('outbound');
export const inboundUpdate = defineUpdate<TransferDecisionResult, [InboundDecision]>('inbound');
export const differenceUpdate = defineUpdate<TransferDecisionResult, [DifferenceDecision]>('difference');
export const cancelTransferUpdate = defineUpdate<TransferDecisionResult, [CancelTransferDecision]>('cancelTransfer');
export const reverseTransferUpdate = defineUpdate<TransferDecisionResult, [ReverseTransferDecision]>('reverseTransfer');
export const printNoteUpdate = defineUpdate<TransferDecisionResult, [PrintNoteRequest]>('printNote');
export const transferStateQuery = defineQuery<TransferSnapshot>('transferState');

export type { TransferSnapshot };
