/** Updates and Queries of the 入库单/出库单 and 盘点 workflows, and the signal a stock-in sends to orders waiting for stock. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { StockQuality } from '../domain/after-sale';
import type { Actor } from '../domain/roles';
import type { StockDocDirection, StockDocLine, StockDocSnapshot, StockDocStage, StocktakeSnapshot, StocktakeStage } from '../domain/stock-document';
import type { DecisionBase } from './messages';

export interface StockDocumentInput {
  docNo: string;
  direction: StockDocDirection;
  reason: string;
  warehouseCode: string;
  quality: StockQuality;
  memo: string;
  lines: StockDocLine[];
  createdBy: Actor;
  createdAt: string;
}

export interface StocktakeInput {
  stocktakeNo: string;
  warehouseCode: string;
  quality: StockQuality;
  memo: string;
  createdBy: Actor;
  createdAt: string;
}

export interface StockDocResult {
  ok: boolean;
  stage: StockDocStage | StocktakeStage;
  version: number;
  /** zh-CN sentence the UI shows: what happened, or why nothing did. */
  message: string;
}

export interface CancelStockDocDecision extends DecisionBase {
  reason: string;
}

/** The counts typed or scanned so far replace the sheet's counts for those SKUs. */
export interface CountDecision extends DecisionBase {
  counts: Array<{ skuCode: string; counted: number }>;
}

export interface StocktakeApproval extends DecisionBase {
  decision: 'approve' | 'reject';
}

/** Stock arrived for SKUs an order was short of: the order may retry its reservation (sent oldest paid first). */
export interface StockArrivedNotice {
  skuCodes: string[];
  warehouseCode: string;
  docNo: string;
}

export const approveStockDocUpdate = defineUpdate<StockDocResult, [DecisionBase]>('approveStockDoc');
export const cancelStockDocUpdate = defineUpdate<StockDocResult, [CancelStockDocDecision]>('cancelStockDoc');
export const stockDocStateQuery = defineQuery<StockDocSnapshot>('stockDocState');

export const countUpdate = defineUpdate<StockDocResult, [CountDecision]>('count');
export const submitCountUpdate = defineUpdate<StockDocResult, [DecisionBase]>('submitCount');
export const approveStocktakeUpdate = defineUpdate<StockDocResult, [StocktakeApproval]>('approveStocktake');
export const cancelStocktakeUpdate = defineUpdate<StockDocResult, [CancelStockDocDecision]>('cancelStocktake');
export const stocktakeStateQuery = defineQuery<StocktakeSnapshot>('stocktakeState');

export const stockArrivedSignal = defineSignal<[StockArrivedNotice]>('stockArrived');
