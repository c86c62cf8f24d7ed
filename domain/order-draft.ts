/** An order as it enters the system, whatever its source (platform pull, CSV import, manual entry). */

export type OrderSource = 'pull' | 'csv' | 'manual';

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

/** Status changes of a platform order seen after it was submitted (refund asked, closed, …). */
export interface PlatformStatusNotice {
  platformStatus: string;
  modifiedAt: string;
  refundStatus?: string;
  reason?: string;
}

export function orderWorkflowId(shopCode: string, platformOrderNo: string): string {
  return `order:${shopCode}:${platformOrderNo}`;
}
