/** Taobao trade shapes and statuses, and how a trade becomes an order draft. */
import { yuanToFen } from './money';
import type { OrderDraft, OrderSource } from './order-draft';
import { orderWorkflowId } from './order-draft';

export const TRADE_STATUSES = [
  'TRADE_NO_CREATE_PAY',
  'WAIT_BUYER_PAY',
  'SELLER_CONSIGNED_PART',
  'WAIT_SELLER_SEND_GOODS',
  'WAIT_BUYER_CONFIRM_GOODS',
  'TRADE_BUYER_SIGNED',
  'TRADE_FINISHED',
  'TRADE_CLOSED',
  'TRADE_CLOSED_BY_TAOBAO',
  'PAY_PENDING',
] as const;
export type TradeStatus = (typeof TRADE_STATUSES)[number];

export const REFUND_STATUSES = [
  'NO_REFUND',
  'WAIT_SELLER_AGREE',
  'WAIT_BUYER_RETURN_GOODS',
  'WAIT_SELLER_CONFIRM_GOODS',
  'SELLER_REFUSE_BUYER',
  'CLOSED',
  'SUCCESS',
] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/** A refund that is asked for or granted stops the parcel; a refused or closed one does not. */
export function refundBlocksShipping(status: string | undefined): boolean {
  return !!status && !['NO_REFUND', 'CLOSED', 'SELLER_REFUSE_BUYER'].includes(status);
}

/** Statuses in which the seller may (still) send the goods. */
export function tradeAwaitsShipment(status: string): boolean {
  return status === 'WAIT_SELLER_SEND_GOODS' || status === 'SELLER_CONSIGNED_PART';
}

export function tradeIsClosed(status: string): boolean {
  return status === 'TRADE_CLOSED' || status === 'TRADE_CLOSED_BY_TAOBAO';
}

/** One sub-order of a trade (fields as taobao.trade.fullinfo.get returns them; money in yuan strings). */
export interface TaobaoOrder {
  oid: string;
  title: string;
  outer_sku_id?: string;
  outer_iid?: string;
  sku_properties_name?: string;
  num: number;
  price: string;
  payment: string;
  refund_status?: string;
  status?: string;
  /** The item and its SKU as the platform lists them (JSON numbers from the real gateway). */
  num_iid?: string | number;
  sku_id?: string | number;
}

export interface TaobaoTrade {
  tid: string;
  status: string;
  buyer_nick: string;
  created: string;
  modified: string;
  pay_time?: string;
  payment: string;
  post_fee: string;
  total_fee: string;
  receiver_name: string;
  receiver_state: string;
  receiver_city: string;
  receiver_district: string;
  receiver_address: string;
  receiver_zip?: string;
  receiver_mobile?: string;
  receiver_phone?: string;
  buyer_message?: string;
  seller_memo?: string;
  orders: { order: TaobaoOrder[] };
}

/** Taobao writes times as "2026-11-26 10:00:00" in Asia/Shanghai (UTC+8, no daylight saving). */
export function taobaoTimeToIso(text: string): string {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim().replace(/\//g, '-'));
  if (!m) throw new RangeError(`不是有效时间: "${text}"`);
  const [, y, mo, d, h, mi, s] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s ?? '0'].map(Number) as [number, number, number, number, number, number];
  const local = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 2026-13-01 over into the next year; a time that does not exist is refused instead.
  if (local.getUTCMonth() !== month - 1 || local.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new RangeError(`不是有效时间: "${text}"`);
  }
  return new Date(local.getTime() - 8 * 3600_000).toISOString();
}

export function isoToTaobaoTime(iso: string | Date): string {
  const t = new Date(typeof iso === 'string' ? iso : iso.getTime());
  const local = new Date(t.getTime() + 8 * 3600_000);
  return local.toISOString().slice(0, 19).replace('T', ' ');
}

/** Maps a Taobao trade to a draft; the trade itself is kept verbatim elsewhere. */
export function draftFromTaobaoTrade(shopCode: string, trade: TaobaoTrade, source: OrderSource = 'pull'): OrderDraft {
  const lines = trade.orders.order.map((o) => ({
    oid: String(o.oid),
    skuCode: (o.outer_sku_id ?? o.outer_iid ?? '').trim(),
    title: o.title,
    spec: o.sku_properties_name ?? '',
    qty: Number(o.num),
    priceFen: yuanToFen(o.price),
    amountFen: yuanToFen(o.payment),
    isGift: false,
    ...(o.num_iid ? { numIid: String(o.num_iid), skuId: o.sku_id ? String(o.sku_id) : '' } : {}),
  }));
  return {
    orderId: orderWorkflowId(shopCode, String(trade.tid)),
    shopCode,
    platform: 'taobao',
    platformOrderNo: String(trade.tid),
    source,
    platformStatus: trade.status,
    buyerNick: trade.buyer_nick,
    receiver: {
      name: trade.receiver_name,
      mobile: trade.receiver_mobile ?? '',
      phone: trade.receiver_phone ?? '',
      province: trade.receiver_state,
      city: trade.receiver_city,
      district: trade.receiver_district,
      detail: trade.receiver_address,
      zip: trade.receiver_zip ?? '',
    },
    buyerMessage: (trade.buyer_message ?? '').trim(),
    sellerMemo: (trade.seller_memo ?? '').trim(),
    goodsFen: lines.reduce((s, l) => s + l.priceFen * l.qty, 0),
    postFen: yuanToFen(trade.post_fee),
    paidFen: yuanToFen(trade.payment),
    createdAt: taobaoTimeToIso(trade.created),
    paidAt: trade.pay_time ? taobaoTimeToIso(trade.pay_time) : null,
    modifiedAt: taobaoTimeToIso(trade.modified),
    lines,
  };
}

/** How a TOP request is signed: `hmac` is HMAC-MD5 in TOP's SDKs; `hmac-sha256` is the one new apps are told to use. */
export const TOP_SIGN_METHODS = ['md5', 'hmac', 'hmac-sha256'] as const;
export type TopSignMethod = (typeof TOP_SIGN_METHODS)[number];

export function isTopSignMethod(value: string): value is TopSignMethod {
  return (TOP_SIGN_METHODS as readonly string[]).includes(value);
}
