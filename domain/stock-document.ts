/** 入库单/出库单 and 盘点: kinds, stages, snapshots and the pure rules of their lines, shared by workflows, activities and pages. */
import type { StockQuality } from './after-sale';

export type StockDocDirection = 'in' | 'out';
/** 入库: purchase receipt (采购入库), opening balance (期初, a warehouse's starting stock) or other; 出库: loss (报损), sample (样品) or other. */
export const STOCK_DOC_REASONS: Record<StockDocDirection, readonly string[]> = {
  in: ['purchase', 'opening', 'other'],
  out: ['loss', 'sample', 'other'],
};
export const STOCK_DOC_REASON_LABELS: Record<string, string> = { purchase: '采购入库', opening: '期初', loss: '报损', sample: '样品', other: '其他' };

export type StockDocStage = 'draft' | 'approved' | 'cancelled';
export const STOCK_DOC_STAGE_LABELS: Record<StockDocStage, string> = { draft: '待审核', approved: '已审核', cancelled: '已取消' };

export interface StockDocLine {
  skuCode: string;
  title: string;
  qty: number;
}

export interface StockDocSnapshot {
  docNo: string;
  workflowId: string;
  direction: StockDocDirection;
  reason: string;
  stage: StockDocStage;
  version: number;
  warehouseCode: string;
  quality: StockQuality;
  memo: string;
  lines: StockDocLine[];
  approvedBy: string;
  approvedAt: string | null;
  cancelledReason: string;
  /** Orders waiting for these SKUs (缺货) told to retry their reservation after a stock-in, oldest paid first. */
  notifiedOrders: string[];
  alert: string;
  createdBy: string;
  createdAt: string;
}

export type StocktakeStage = 'counting' | 'awaiting_approval' | 'approved' | 'cancelled';
export const STOCKTAKE_STAGE_LABELS: Record<StocktakeStage, string> = { counting: '盘点中', awaiting_approval: '待审核', approved: '已审核调整', cancelled: '已取消' };

/** One SKU of a count sheet: what was counted and, once submitted, how it compares with the books. */
export interface StocktakeLine {
  skuCode: string;
  counted: number;
  /** The level when the count began (the ledger up to the sheet's watermark). */
  bookAtStart: number | null;
  /** On-hand movements since the count began (orders shipped, returns…), which the count did not see. */
  movedSince: number | null;
  /** counted − bookAtStart: the adjustment booked on approval. */
  variance: number | null;
}

export interface StocktakeSnapshot {
  stocktakeNo: string;
  workflowId: string;
  stage: StocktakeStage;
  version: number;
  warehouseCode: string;
  quality: StockQuality;
  /** The last ledger row id when the count began: movements after it happened while counting. */
  ledgerWatermark: number;
  memo: string;
  lines: StocktakeLine[];
  countedBy: string[];
  submittedBy: string;
  approvedBy: string;
  approvedAt: string | null;
  cancelledReason: string;
  alert: string;
  createdBy: string;
  createdAt: string;
}

/** Why document lines cannot be accepted, or null: one line per SKU, whole positive quantities. */
export function docLinesProblem(lines: ReadonlyArray<{ skuCode: string; qty: number }>): string | null {
  if (!lines.length) return '请至少填写一行商品';
  const seen = new Set<string>();
  for (const l of lines) {
    if (seen.has(l.skuCode)) return `商品 ${l.skuCode} 重复，请合并为一行`;
    seen.add(l.skuCode);
    if (!Number.isInteger(l.qty) || l.qty <= 0) return `商品 ${l.skuCode} 的数量必须是正整数`;
  }
  return null;
}

/** Why counts cannot be recorded, or null: whole numbers not below zero, one per SKU. */
export function countsProblem(counts: ReadonlyArray<{ skuCode: string; counted: number }>): string | null {
  const seen = new Set<string>();
  for (const c of counts) {
    if (!c.skuCode) return '商品编码不能为空';
    if (seen.has(c.skuCode)) return `商品 ${c.skuCode} 填了两次`;
    seen.add(c.skuCode);
    if (!Number.isInteger(c.counted) || c.counted < 0) return `商品 ${c.skuCode} 的盘点数量必须是不小于 0 的整数`;
  }
  return null;
}
