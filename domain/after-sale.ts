/**
 * After-sales cases (售后单): returns, refunds, exchanges and reissues, their stages in the seller's words, and the
 * pure rules every step checks (what may still be returned, what may be refunded, what a QC result puts back).
 */
import type { Receiver } from './order-draft';
import type { OrderStatus } from './order-status';

export const CASE_TYPES = [
  'refund', // 仅退款: money back without goods (before shipment: the order is held or intercepted)
  'return', // 退货退款: goods come back, QC, then the money
  'exchange', // 换货: goods come back, QC, then a replacement order
  'reissue', // 补发: a replacement order at zero price for missing, broken or wrong items
] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const CASE_TYPE_LABELS: Record<CaseType, string> = {
  refund: '仅退款',
  return: '退货退款',
  exchange: '换货',
  reissue: '补发',
};

export const CASE_STAGES = [
  'registered', // 待审核: after-sales agrees the return (or the refund) or refuses it
  'intercepting', // 拦截中: the unshipped order is held; a printed parcel waits to be pulled from the line
  'awaiting_parcel', // 待收货: the buyer's return parcel is on its way
  'awaiting_qc', // 待质检: received at the returns desk, waits for QC
  'awaiting_approval', // 待审批: after-sales decides the amount (or refuses)
  'awaiting_finance', // 待财务: finance confirms the money
  'awaiting_platform_refund', // 待平台退款: the platform is being told to refund, retried until it has
  'awaiting_replacement', // 待发出: the replacement order is on its way through review, print and ship
  'done', // 已完成
  'closed', // 已关闭: refused, cancelled by the buyer, or closed by staff
] as const;
export type CaseStage = (typeof CASE_STAGES)[number];

export const CASE_STAGE_LABELS: Record<CaseStage, string> = {
  registered: '待审核',
  intercepting: '拦截中',
  awaiting_parcel: '待收货',
  awaiting_qc: '待质检',
  awaiting_approval: '待审批',
  awaiting_finance: '待财务',
  awaiting_platform_refund: '待平台退款',
  awaiting_replacement: '待发出',
  done: '已完成',
  closed: '已关闭',
};

export const OPEN_STAGES: readonly CaseStage[] = CASE_STAGES.filter((s) => s !== 'done' && s !== 'closed');

export function isCaseType(v: string): v is CaseType {
  return (CASE_TYPES as readonly string[]).includes(v);
}
export function isCaseStage(v: string): v is CaseStage {
  return (CASE_STAGES as readonly string[]).includes(v);
}

/** Order statuses a case of each type may be registered against: goods come back or go out again only after shipping. */
export const REGISTRABLE_ORDER_STATUSES: Record<CaseType, readonly OrderStatus[]> = {
  refund: ['submitted', 'review', 'out_of_area', 'waybill_pending', 'ready_to_print', 'printed', 'shipped', 'done'],
  return: ['shipped', 'done'],
  exchange: ['shipped', 'done'],
  reissue: ['shipped', 'done'],
};

/**
 * The workflow that runs a case and its id: cases registered by staff are keyed by their number, cases opened from a
 * platform refund by the shop and the refund id, so a refund pulled twice never opens two cases.
 */
export function caseWorkflowFor(type: CaseType, caseNo: string): { workflowType: 'returnWorkflow' | 'exchangeWorkflow' | 'reissueWorkflow'; workflowId: string } {
  if (type === 'exchange') return { workflowType: 'exchangeWorkflow', workflowId: `exchange:${caseNo}` };
  if (type === 'reissue') return { workflowType: 'reissueWorkflow', workflowId: `reissue:${caseNo}` };
  return { workflowType: 'returnWorkflow', workflowId: `return:${caseNo}` };
}

/** Workflow id and case number of the case answering a platform refund. */
export function platformCaseIds(shopCode: string, refundId: string): { workflowId: string; caseNo: string } {
  return { workflowId: `aftersale:${shopCode}:${refundId}`, caseNo: `${shopCode}-${refundId}` };
}

/** Reasons staff pick when registering; free text goes beside. */
export const CASE_REASONS = ['七天无理由', '质量问题', '发错货', '少件/漏发', '商品破损', '不想要了', '尺码/规格不合适', '拒收', '其他'] as const;

/** One order line (or part of it) a case is about. */
export interface CaseLine {
  oid: string;
  skuCode: string;
  title: string;
  spec: string;
  qty: number;
  /** What the buyer paid for these units (the line's amount pro rata), the ceiling of the refund for them. */
  paidFen: number;
}

export const QC_RESULTS = ['good', 'defective', 'missing', 'wrong'] as const;
export type QcResult = (typeof QC_RESULTS)[number];
export const QC_RESULT_LABELS: Record<QcResult, string> = { good: '良品', defective: '次品', missing: '缺件', wrong: '错货' };

/** QC of one case line: how many units came back in each condition; together they are the line's quantity. */
export interface QcLine {
  oid: string;
  good: number;
  defective: number;
  missing: number;
  wrong: number;
  note: string;
}

/** A replacement line of an exchange or reissue (child order). */
export interface ReplacementLine {
  skuCode: string;
  title: string;
  spec: string;
  qty: number;
  /** Price the buyer pays per unit (0 for a reissue). */
  priceFen: number;
}

export type StockQuality = 'good' | 'defective';

/** One movement into stock after QC: good units to sellable stock, defective ones to the returns warehouse. */
export interface ReturnStockLine {
  skuCode: string;
  qty: number;
  quality: StockQuality;
  warehouseCode: string;
}

/** The order facts a case is registered against, read from the read model by the registration. */
export interface CaseOrderFacts {
  orderId: string;
  shopCode: string;
  platformOrderNo: string;
  buyerNick: string;
  status: string;
  receiver: Receiver;
  courierCode: string;
  warehouseCode: string;
  lines: Array<{ oid: string; skuCode: string; title: string; spec: string; qty: number; amountFen: number; isGift: boolean }>;
}

/**
 * Units of each order line still open to a new case: what was ordered minus what open or finished cases already
 * claim (closed cases give their units back).
 */
export function returnableQty(order: CaseOrderFacts, otherCases: Array<{ type: CaseType; stage: CaseStage; lines: CaseLine[] }>): Map<string, number> {
  const left = new Map(order.lines.map((l) => [l.oid, l.qty]));
  for (const c of otherCases) {
    // A reissue sends more goods; it does not take any back, so it never uses up what can be returned.
    if (c.stage === 'closed' || c.type === 'reissue') continue;
    for (const l of c.lines) left.set(l.oid, (left.get(l.oid) ?? 0) - l.qty);
  }
  return left;
}

/** What the buyer paid for qty units of a line: its amount pro rata, rounded down so parts never exceed the whole. */
export function paidForUnits(line: { qty: number; amountFen: number }, qty: number): number {
  if (line.qty <= 0) return 0;
  return qty >= line.qty ? line.amountFen : Math.floor((line.amountFen * qty) / line.qty);
}

/** Checks a case's lines against the order and the cases already open on it; returns the reason it is refused, or ''. */
export function linesProblem(type: CaseType, order: CaseOrderFacts, lines: Array<{ oid: string; qty: number }>, otherCases: Array<{ type: CaseType; stage: CaseStage; lines: CaseLine[] }>): string {
  if (!lines.length) return '请选择商品和数量';
  const seen = new Set<string>();
  const left = returnableQty(order, otherCases);
  for (const l of lines) {
    const line = order.lines.find((x) => x.oid === l.oid);
    if (!line) return `订单里没有子订单 ${l.oid}`;
    if (seen.has(l.oid)) return `子订单 ${l.oid} 重复`;
    seen.add(l.oid);
    if (!Number.isInteger(l.qty) || l.qty <= 0) return `${line.title}：数量必须是正整数`;
    if (type === 'reissue') {
      if (l.qty > line.qty) return `${line.title}：补发数量 ${l.qty} 超过订单数量 ${line.qty}`;
      continue;
    }
    const open = left.get(l.oid) ?? 0;
    if (l.qty > open) return `${line.title}：最多还能申请 ${Math.max(open, 0)} 件（订单 ${line.qty} 件，其他售后单已占用 ${line.qty - open} 件）`;
  }
  return '';
}

/** Sum of what was paid for the case's lines: the most that may be refunded for them (postage aside). */
export function refundCeilingFen(lines: CaseLine[]): number {
  return lines.reduce((sum, l) => sum + l.paidFen, 0);
}

/** Checks a QC against the case's lines: every line once, counts that add up to its quantity. */
export function qcProblem(lines: CaseLine[], qc: QcLine[]): string {
  if (qc.length !== lines.length) return `请为每一行填写质检结果（共 ${lines.length} 行）`;
  for (const line of lines) {
    const q = qc.find((x) => x.oid === line.oid);
    if (!q) return `${line.title} 没有质检结果`;
    const counts = [q.good, q.defective, q.missing, q.wrong];
    if (counts.some((n) => !Number.isInteger(n) || n < 0)) return `${line.title}：数量必须是非负整数`;
    const total = counts.reduce((a, b) => a + b, 0);
    if (total !== line.qty) return `${line.title}：良品、次品、缺件、错货合计 ${total}，应为 ${line.qty}`;
  }
  return '';
}

/** Stock movements a QC produces: good units to the sellable warehouse, defective ones as defective to the returns warehouse. */
export function returnStockLines(lines: CaseLine[], qc: QcLine[], sellableWarehouse: string, returnsWarehouse: string): ReturnStockLine[] {
  const out: ReturnStockLine[] = [];
  for (const line of lines) {
    const q = qc.find((x) => x.oid === line.oid);
    if (!q) continue;
    if (q.good > 0) out.push({ skuCode: line.skuCode, qty: q.good, quality: 'good', warehouseCode: sellableWarehouse });
    if (q.defective > 0) out.push({ skuCode: line.skuCode, qty: q.defective, quality: 'defective', warehouseCode: returnsWarehouse });
  }
  return out;
}

/** Days a return parcel may take before the case reminds, and before it closes on its own, unless the shop says otherwise. */
export const RETURN_PARCEL_DAYS = { remind: 7, close: 15 } as const;
/** How long before the platform's own deadline the case warns. */
export const PLATFORM_DEADLINE_WARNING_MS = 24 * 3_600_000;
