/** A buyer's refund on one sub-order, as taobao.refunds.receive.get returns it (money in yuan strings). */
export interface TaobaoRefund {
  refund_id: string;
  tid: string;
  oid: string;
  title: string;
  outer_id?: string;
  num: number;
  buyer_nick: string;
  seller_nick?: string;
  /** What the buyer paid for the trade, and for the sub-order. */
  total_fee: string;
  payment: string;
  refund_fee: string;
  /** One of REFUND_STATUSES. */
  status: string;
  /** The trade's status when the refund was asked for. */
  order_status: string;
  good_status: 'BUYER_NOT_RECEIVED' | 'BUYER_RECEIVED' | 'BUYER_RETURNED_GOODS';
  has_good_return: boolean;
  reason: string;
  desc?: string;
  created: string;
  modified: string;
}
