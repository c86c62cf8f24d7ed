/** 调拨单: a transfer's stages, its snapshot and the pure rules of its lines, shared by the workflow, activities and pages. */
import type { StockQuality } from './after-sale';

/**
 * created → (出库审核) in_transit → (入库审核) done, or awaiting_difference when the received quantities differ, which a
 * second person approves (done) or sends back (in_transit). created → cancelled; in_transit/awaiting_difference →
 * reverse_requested → (an admin approves) reversed, or back where it stood.
 */
export type TransferStage = 'created' | 'in_transit' | 'awaiting_difference' | 'reverse_requested' | 'done' | 'cancelled' | 'reversed';

export const TRANSFER_STAGES: readonly TransferStage[] = ['created', 'in_transit', 'awaiting_difference', 'reverse_requested', 'done', 'cancelled', 'reversed'];

export const TRANSFER_STAGE_LABELS: Record<TransferStage, string> = {
  created: '待出库审核',
  in_transit: '在途（待入库审核）',
  awaiting_difference: '入库差异待审核',
  reverse_requested: '冲销待审批',
  done: '已完成',
  cancelled: '已取消',
  reversed: '已冲销',
};

/** Stages in which the goods have left the source and not yet arrived: they count as in transit to the destination. */
export const IN_TRANSIT_STAGES: readonly TransferStage[] = ['in_transit', 'awaiting_difference', 'reverse_requested'];

/** 同价调拨 moves goods at their cost; 异价调拨 names the cost each line carries into the destination. */
export type TransferCostBasis = 'same_price' | 'other';

export interface TransferLine {
  skuCode: string;
  title: string;
  spec: string;
  qty: number;
  /** Unit cost in fen the line carries (异价调拨); 0 for 同价调拨, which keeps the goods' own cost. */
  costFen: number;
  /** What the destination counted at 入库审核; null until then. */
  receivedQty: number | null;
}

export interface TransferStep {
  by: string;
  at: string;
}

export interface TransferSnapshot {
  transferNo: string;
  workflowId: string;
  stage: TransferStage;
  version: number;
  fromWarehouseCode: string;
  toWarehouseCode: string;
  quality: StockQuality;
  costBasis: TransferCostBasis;
  memo: string;
  lines: TransferLine[];
  outbound: TransferStep | null;
  inbound: TransferStep | null;
  difference: TransferStep | null;
  reverse: (TransferStep & { reason: string; from: TransferStage; approvedBy: string; approvedAt: string | null }) | null;
  printedAt: string | null;
  printCount: number;
  cancelledReason: string;
  alert: string;
  createdBy: string;
  createdAt: string;
  doneAt: string | null;
}

/** Per SKU: received minus shipped, only where they differ (the 入库差异 a second person approves). */
export function transferDifferences(lines: readonly TransferLine[]): Array<{ skuCode: string; shipped: number; received: number; diff: number }> {
  return lines
    .filter((l) => l.receivedQty !== null && l.receivedQty !== l.qty)
    .map((l) => ({ skuCode: l.skuCode, shipped: l.qty, received: l.receivedQty ?? 0, diff: (l.receivedQty ?? 0) - l.qty }));
}

/** Why a transfer's header or lines cannot be accepted, or null: two warehouses, one line per SKU, whole positive quantities. */
export function transferProblem(input: { fromWarehouseCode: string; toWarehouseCode: string; costBasis: string; lines: ReadonlyArray<{ skuCode: string; qty: number; costFen?: number }> }): string | null {
  if (!input.fromWarehouseCode || !input.toWarehouseCode) return '请选择调出仓库和调入仓库';
  if (input.fromWarehouseCode === input.toWarehouseCode) return '调出仓库和调入仓库不能相同';
  if (input.costBasis !== 'same_price' && input.costBasis !== 'other') return '请选择调拨类型';
  if (!input.lines.length) return '请至少填写一行商品';
  const seen = new Set<string>();
  for (const l of input.lines) {
    if (!l.skuCode) return '商品编码不能为空';
    if (seen.has(l.skuCode)) return `商品 ${l.skuCode} 重复，请合并为一行`;
    seen.add(l.skuCode);
    if (!Number.isInteger(l.qty) || l.qty <= 0) return `商品 ${l.skuCode} 的数量必须是正整数`;
    if (input.costBasis === 'other' && (!Number.isInteger(l.costFen ?? 0) || (l.costFen ?? 0) < 0)) return `商品 ${l.skuCode} 的调拨单价不能为负`;
  }
  return null;
}

/** Why received quantities cannot be recorded, or null: every line counted once, as a whole number of units, none negative. */
export function receivedProblem(lines: readonly TransferLine[], received: ReadonlyArray<{ skuCode: string; qty: number }>): string | null {
  const byCode = new Map<string, number>();
  for (const r of received) {
    if (!lines.some((l) => l.skuCode === r.skuCode)) return `调拨单没有商品 ${r.skuCode}`;
    if (byCode.has(r.skuCode)) return `商品 ${r.skuCode} 填了两次`;
    if (!Number.isInteger(r.qty) || r.qty < 0) return `商品 ${r.skuCode} 的实收数量必须是不小于 0 的整数`;
    byCode.set(r.skuCode, r.qty);
  }
  const missing = lines.find((l) => !byCode.has(l.skuCode));
  return missing ? `请填写商品 ${missing.skuCode} 的实收数量` : null;
}
