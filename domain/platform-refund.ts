/**
 * The platform's refund record (原始退款单) as Taobao sends it, and the facts Guanjia reads from it: money in
 * fen, times in UTC, the dispute type always named, the platform's deadline as a time or null.
 */
import { yuanToFen } from './money';
import { taobaoTimeToIso } from './taobao';

/** What the buyer disputes; the platform's REPAIR and OTHERS become OTHER. */
export const DISPUTE_TYPES = ['REFUND', 'REFUND_AND_RETURN', 'TMALL_EXCHANGE', 'TAOBAO_EXCHANGE', 'RESHIPPING', 'PRICE_PROTECT', 'OTHER'] as const;
export type DisputeType = (typeof DISPUTE_TYPES)[number];

/** 售中 (before the trade finished) and 售后 (after). */
export const REFUND_PHASES = ['onsale', 'aftersale'] as const;
export type RefundPhase = (typeof REFUND_PHASES)[number];

/** The platform's countdown on a refund: when it will decide for the buyer if the seller does nothing. */
export interface TaobaoRefundRemindTimeout {
  remind_type?: number;
  exist_timeout: boolean;
  /** "yyyy-MM-dd HH:mm:ss" Asia/Shanghai. */
  timeout?: string;
}

/** A buyer's refund on one sub-order, as taobao.refunds.receive.get / taobao.refund.get return it (money in yuan strings). */
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
  /** REFUND, REFUND_AND_RETURN, TMALL_EXCHANGE, …; older answers leave it out. */
  dispute_type?: string;
  /** priceProtect / cashBack on partial refunds the platform starts itself. */
  special_refund_type?: string;
  refund_phase?: string;
  /** The buyer's return parcel: tracking number and courier name. */
  sid?: string;
  company_name?: string;
  good_return_time?: string;
  /** A millisecond timestamp that changes with every change to the refund; the real gateway sends a JSON number. */
  refund_version?: string | number;
  refund_remind_timeout?: TaobaoRefundRemindTimeout;
  /** The seller's return address, once the return was agreed. */
  address?: string;
}

/** One platform refund in Guanjia's terms: what a case needs to open, move or answer it. */
export interface PlatformRefundFacts {
  shopCode: string;
  refundId: string;
  tid: string;
  oid: string;
  /** WAIT_SELLER_AGREE | WAIT_BUYER_RETURN_GOODS | WAIT_SELLER_CONFIRM_GOODS | SELLER_REFUSE_BUYER | CLOSED | SUCCESS */
  status: string;
  disputeType: DisputeType;
  refundPhase: RefundPhase;
  goodStatus: string;
  hasGoodReturn: boolean;
  refundFeeFen: number;
  paymentFen: number;
  num: number;
  outerId: string;
  title: string;
  reason: string;
  desc: string;
  buyerNick: string;
  /** The buyer's return parcel ('' until the buyer sends it). */
  returnCompany: string;
  returnWaybillNo: string;
  refundVersion: string;
  /** ISO-8601 UTC; null when the platform runs no countdown. */
  deadline: string | null;
  created: string;
  modified: string;
}

const CLOSED_STATUSES = new Set(['CLOSED', 'SUCCESS', 'SELLER_REFUSE_BUYER', 'NO_REFUND', '']);

/** A refund still waiting for someone; an unknown status counts as open, so nothing ships on a guess. */
export function refundIsOpen(status: string): boolean {
  return !CLOSED_STATUSES.has(status);
}

/** Names the dispute even when the platform leaves dispute_type out (older answers) or sends a type Guanjia has no case for. */
export function disputeTypeOf(r: Pick<TaobaoRefund, 'dispute_type' | 'has_good_return' | 'special_refund_type'>): DisputeType {
  if (r.special_refund_type === 'priceProtect') return 'PRICE_PROTECT';
  const sent = (r.dispute_type ?? '').trim().toUpperCase();
  if (!sent) return truthy(r.has_good_return) ? 'REFUND_AND_RETURN' : 'REFUND';
  return (DISPUTE_TYPES as readonly string[]).includes(sent) ? (sent as DisputeType) : 'OTHER';
}

/** Reads a platform refund into Guanjia's terms; a malformed amount or time is refused, naming the refund. */
export function refundFactsFromTaobao(shopCode: string, r: TaobaoRefund): PlatformRefundFacts {
  const refundId = String(r.refund_id);
  const read = <T>(what: string, f: () => T): T => {
    try {
      return f();
    } catch (err) {
      throw new RangeError(`平台退款 ${refundId} 的${what}无效: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  };
  const timeout = r.refund_remind_timeout;
  return {
    shopCode,
    refundId,
    tid: String(r.tid),
    oid: String(r.oid),
    status: r.status,
    disputeType: disputeTypeOf(r),
    refundPhase: r.refund_phase === 'aftersale' || (!r.refund_phase && r.order_status === 'TRADE_FINISHED') ? 'aftersale' : 'onsale',
    goodStatus: r.good_status ?? '',
    hasGoodReturn: truthy(r.has_good_return),
    refundFeeFen: read('退款金额', () => yuanToFen(r.refund_fee)),
    paymentFen: read('实付金额', () => yuanToFen(r.payment ?? '0')),
    num: Number(r.num ?? 0),
    outerId: (r.outer_id ?? '').trim(),
    title: r.title ?? '',
    reason: r.reason ?? '',
    desc: r.desc ?? '',
    buyerNick: r.buyer_nick ?? '',
    returnCompany: (r.company_name ?? '').trim(),
    returnWaybillNo: (r.sid ?? '').trim(),
    refundVersion: r.refund_version === undefined || r.refund_version === null ? '' : String(r.refund_version),
    deadline: timeout && truthy(timeout.exist_timeout) && timeout.timeout ? read('超时时间', () => taobaoTimeToIso(timeout.timeout as string)) : null,
    created: read('创建时间', () => taobaoTimeToIso(r.created)),
    modified: read('修改时间', () => taobaoTimeToIso(r.modified)),
  };
}

/** XML-born gateways and old snapshots write booleans as "true"/"false". */
function truthy(value: unknown): boolean {
  return value === true || value === 'true';
}
