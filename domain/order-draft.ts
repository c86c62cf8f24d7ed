/** An order as it enters the system, whatever its source (platform pull, CSV import, manual entry). */

/** after_sale: a reissue or exchange replacement, a child of its after-sales case; never synced to the platform. */
export type OrderSource = 'pull' | 'csv' | 'manual' | 'after_sale';

export interface Receiver {
  name: string;
  mobile: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
  zip: string;
}

export interface OrderLineDraft {
  /** The platform's sub-order id (oid); unique within the order. */
  oid: string;
  /** 商家编码 of the SKU; matched against the catalogue. */
  skuCode: string;
  title: string;
  spec: string;
  qty: number;
  priceFen: number;
  /** What the buyer pays for the line after discounts. */
  amountFen: number;
  isGift: boolean;
  /** The platform's item (num_iid) and SKU (sku_id) of the line, for 货品对应; absent on lines from before they were carried. */
  numIid?: string;
  skuId?: string;
}

export interface OrderDraft {
  /** Workflow id and primary key: order:<shopCode>:<platformOrderNo>. */
  orderId: string;
  shopCode: string;
  platform: string;
  platformOrderNo: string;
  source: OrderSource;
  platformStatus: string;
  buyerNick: string;
  receiver: Receiver;
  buyerMessage: string;
  sellerMemo: string;
  goodsFen: number;
  postFen: number;
  paidFen: number;
  /** ISO-8601 UTC. */
  createdAt: string;
  paidAt: string | null;
  modifiedAt: string;
  lines: OrderLineDraft[];
}

/** Changes of a platform order seen after it was submitted (refund asked, closed, address or memo changed, …). */
export interface PlatformStatusNotice {
  platformStatus: string;
  modifiedAt: string;
  refundStatus?: string;
  /**
   * Refund status per sub-order (oid): an order that lost its refunded lines before shipment looks only at the lines it
   * still has. Absent in notices sent before it was carried (then refundStatus speaks for the whole trade).
   */
  refundStatuses?: Record<string, string>;
  reason?: string;
  /** The platform's receiver, buyer message and seller memo now; absent in notices sent before they were carried. */
  receiver?: Receiver;
  buyerMessage?: string;
  sellerMemo?: string;
}

/** How an order's alert begins when a buyer's change reached it after printing; the scan desk refuses such a parcel. */
export const CHANGED_AFTER_PRINT = '买家在打印后修改了';

/** What the buyer or the shop can change on the platform after an order was submitted. */
export type PlatformChange = 'receiver' | 'buyerMessage' | 'sellerMemo';

/** The seller's words for each change, as reasons and alerts say them. */
export const PLATFORM_CHANGE_LABELS: Record<PlatformChange, string> = { receiver: '收货地址', buyerMessage: '买家留言', sellerMemo: '客服备注' };

/** The fields a notice changes against what was last known of the platform order. */
export function platformChanges(
  known: { receiver: Receiver; buyerMessage: string; sellerMemo: string },
  notice: PlatformStatusNotice,
): PlatformChange[] {
  const changed: PlatformChange[] = [];
  if (notice.receiver && receiverKey(notice.receiver) !== receiverKey(known.receiver)) changed.push('receiver');
  if (notice.buyerMessage !== undefined && notice.buyerMessage !== known.buyerMessage) changed.push('buyerMessage');
  if (notice.sellerMemo !== undefined && notice.sellerMemo !== known.sellerMemo) changed.push('sellerMemo');
  return changed;
}

function receiverKey(r: Receiver): string {
  return [r.name, r.mobile, r.phone, r.province, r.city, r.district, r.detail, r.zip].map((v) => (v ?? '').trim()).join('\u0001');
}

export function orderWorkflowId(shopCode: string, platformOrderNo: string): string {
  return `order:${shopCode}:${platformOrderNo}`;
}

/** The refund status that speaks for an order's own lines: the first sub-order of theirs with a refund, else ''. */
export function refundStatusForLines(notice: Pick<PlatformStatusNotice, 'refundStatus' | 'refundStatuses'>, oids: readonly string[]): string {
  if (!notice.refundStatuses) return notice.refundStatus ?? '';
  return oids.map((oid) => notice.refundStatuses?.[oid] ?? '').find((r) => r && r !== 'NO_REFUND') ?? '';
}
