/**
 * The sandbox platform's refunds, with Taobao's rules: the buyer asks (with or without goods, whole or part),
 * the seller agrees the return, the buyer sends the parcel, the seller agrees the refund (paid once, ever) or
 * refuses; every change bumps refund_version and moves `modified` on the refund and its trade; a deadline the
 * seller lets pass is decided for the buyer, checked lazily against the platform's clock.
 */
import { fenToYuan, yuanToFen } from '../../domain/money';
import { DISPUTE_TYPES, disputeTypeOf, refundIsOpen, type DisputeType, type RefundPhase } from '../../domain/platform-refund';
import { isoToTaobaoTime, REFUND_STATUSES, taobaoTimeToIso, type RefundStatus } from '../../domain/taobao';
import { REFUND_SUB_CODES } from '../taobao/refund-sub-codes';
import type { TaobaoRefund } from '../taobao/taobao-refund';
import type { SandboxOrder, SandboxRefundPayment, SandboxTrade } from './sandbox-state';
import type { SandboxStore } from './sandbox-store';
import { topFailure } from './top-failure';

/** How long each side has before the platform decides; Taobao's usual times by default. */
export interface RefundDeadlineHours {
  /** WAIT_SELLER_AGREE: then a refund without goods is paid, a return is agreed to the default address. */
  sellerAgree: number;
  /** WAIT_BUYER_RETURN_GOODS: then the refund closes. */
  buyerReturn: number;
  /** WAIT_SELLER_CONFIRM_GOODS: then the refund is paid. */
  sellerConfirmGoods: number;
}

/** 48 h to answer a request, 7 days for the buyer to send the goods, 10 days to confirm they arrived. */
export const DEFAULT_REFUND_DEADLINE_HOURS: RefundDeadlineHours = { sellerAgree: 48, buyerReturn: 168, sellerConfirmGoods: 240 };

export interface SellerReturnAddress {
  name: string;
  mobile: string;
  address: string;
  post?: string;
}

export interface RefundBookOptions {
  deadlineHours?: Partial<RefundDeadlineHours>;
  /** Where an auto-agreed return is sent: the shop's default return address on the platform. */
  returnAddress?: SellerReturnAddress;
}

/** The buyer's request, as the admin API takes it. */
export interface AskRefundOptions {
  /** Sub-orders; default every sub-order that has no open refund. */
  oids?: string[];
  /** A partial amount, only with a single sub-order; default what was paid for each (less earlier refunds). */
  amountFen?: number;
  /** The buyer sends goods back (退货退款); only after the goods were shipped. */
  hasGoodReturn?: boolean;
  disputeType?: DisputeType;
  reason?: string;
  desc?: string;
  /** Default onsale, aftersale once the trade finished. */
  phase?: RefundPhase;
}

/** The older, coarser control kept for existing tests: ask, or move a refund straight to a status. */
export interface RefundTradeOptions {
  oids?: string[];
  /** Default WAIT_SELLER_AGREE; a later call with SUCCESS or CLOSED moves the same refund on. */
  status?: Exclude<RefundStatus, 'NO_REFUND'>;
  reason?: string;
}

export interface AgreeRefundInfo {
  refundId: string;
  amountFen: number;
  version: string;
  phase: string;
}

export interface AgreeRefundAnswer {
  refund_id: string;
  succ: boolean;
  message: string;
}

export type RefundBook = ReturnType<typeof createRefundBook>;

const REMIND = { sellerAgree: 1, buyerReturn: 2, sellerConfirmGoods: 3 } as const;
const DEFAULT_RETURN_ADDRESS: SellerReturnAddress = {
  name: '沙盒旗舰店售后', mobile: '13800000000', address: '浙江省 杭州市 余杭区 仓前街道文一西路 1 号 退货仓', post: '311121',
};
const HOUR_MS = 3600_000;
const EXCHANGE_TYPES = new Set(['TMALL_EXCHANGE', 'TAOBAO_EXCHANGE']);

/** The refund rules on the store's state; decisions the seller leaves too long are taken by settleDeadlines. */
export function createRefundBook(store: SandboxStore, options: RefundBookOptions = {}) {
  const hours: RefundDeadlineHours = { ...DEFAULT_REFUND_DEADLINE_HOURS, ...options.deadlineHours };
  const returnAddress = options.returnAddress ?? DEFAULT_RETURN_ADDRESS;
  // The snapshot's arrays are the state's own, so these writes are saved with it.
  const state = store.state as { refunds: TaobaoRefund[]; refundPayments: SandboxRefundPayment[] };
  const byId = new Map<string, TaobaoRefund>();
  for (const refund of state.refunds) {
    upgrade(refund);
    byId.set(refund.refund_id, refund);
  }

  /** Refunds saved before these fields existed get what the platform would have sent. */
  function upgrade(refund: TaobaoRefund): void {
    refund.dispute_type ??= disputeTypeOf(refund);
    refund.refund_phase ??= refund.order_status === 'TRADE_FINISHED' ? 'aftersale' : 'onsale';
    refund.refund_version ??= Date.parse(taobaoTimeToIso(refund.modified));
    refund.refund_remind_timeout ??= deadlineFor(refund.status, new Date(taobaoTimeToIso(refund.modified)));
  }

  function deadlineFor(status: string, from: Date): TaobaoRefund['refund_remind_timeout'] {
    const key = status === 'WAIT_SELLER_AGREE' ? 'sellerAgree'
      : status === 'WAIT_BUYER_RETURN_GOODS' ? 'buyerReturn'
      : status === 'WAIT_SELLER_CONFIRM_GOODS' ? 'sellerConfirmGoods' : undefined;
    if (!key) return { exist_timeout: false };
    return { remind_type: REMIND[key], exist_timeout: true, timeout: isoToTaobaoTime(new Date(from.getTime() + hours[key] * HOUR_MS)) };
  }

  function requireRefund(refundId: string): TaobaoRefund {
    const refund = byId.get(refundId);
    if (!refund) throw topFailure.remote(REFUND_SUB_CODES.refundNotExist, `退款 ${refundId} 不存在`);
    return refund;
  }

  function orderOf(refund: TaobaoRefund): { trade: SandboxTrade; order: SandboxOrder } {
    const trade = store.requireTrade(refund.tid);
    const order = trade.orders.order.find((o) => o.oid === refund.oid);
    if (!order) throw topFailure.remote(REFUND_SUB_CODES.refundNotExist, `退款 ${refund.refund_id} 的子订单不存在`);
    return { trade, order };
  }

  function paidBack(oid: string): number {
    return state.refundPayments.filter((p) => p.oid === oid).reduce((s, p) => s + p.amount_fen, 0);
  }

  function refundable(order: SandboxOrder): number {
    return yuanToFen(order.payment) - paidBack(order.oid);
  }

  /** Every change: new status, a version later than the last, `modified` now, the sub-order and trade told. */
  function move(refund: TaobaoRefund, status: string, fields: Partial<TaobaoRefund> = {}): TaobaoRefund {
    const now = store.now();
    const at = store.nowText();
    Object.assign(refund, fields);
    refund.status = status;
    refund.modified = at;
    refund.refund_version = Math.max(now.getTime(), Number(refund.refund_version ?? 0) + 1);
    refund.refund_remind_timeout = EXCHANGE_TYPES.has(refund.dispute_type ?? '') ? { exist_timeout: false } : deadlineFor(status, now);
    const { trade, order } = orderOf(refund);
    order.refund_id = refund.refund_id;
    order.refund_status = status;
    if (status === 'SUCCESS' && !order.invoice_no && !EXCHANGE_TYPES.has(refund.dispute_type ?? '')) order.status = 'TRADE_CLOSED';
    if (trade.orders.order.every((o) => o.status === 'TRADE_CLOSED') && trade.status !== 'TRADE_CLOSED') {
      trade.status = 'TRADE_CLOSED';
      trade.end_time = at;
    }
    trade.modified = at;
    store.changed();
    return refund;
  }

  /** Pays once per refund: a refund that already has its payment is never paid again. */
  function pay(refund: TaobaoRefund, amountFen: number, by: SandboxRefundPayment['by']): void {
    if (state.refundPayments.some((p) => p.refund_id === refund.refund_id)) return;
    state.refundPayments.push({ refund_id: refund.refund_id, tid: refund.tid, oid: refund.oid, amount_fen: amountFen, at: store.now().toISOString(), by });
    move(refund, 'SUCCESS', { refund_fee: fenToYuan(amountFen) });
  }

  function create(trade: SandboxTrade, order: SandboxOrder, fields: { refundId?: string; status: string; refundFen: number; hasGoodReturn: boolean; disputeType: DisputeType; reason: string; desc?: string; phase?: RefundPhase }): TaobaoRefund {
    const at = store.nowText();
    const refund: TaobaoRefund = {
      refund_id: fields.refundId ?? store.newId(15),
      tid: trade.tid,
      oid: order.oid,
      title: order.title,
      ...(order.outer_sku_id ? { outer_id: order.outer_sku_id } : {}),
      num: order.num,
      buyer_nick: trade.buyer_nick,
      seller_nick: trade.seller_nick,
      total_fee: trade.payment,
      payment: order.payment,
      refund_fee: fenToYuan(fields.refundFen),
      status: fields.status,
      order_status: trade.status,
      good_status: fields.hasGoodReturn || order.invoice_no ? 'BUYER_RECEIVED' : 'BUYER_NOT_RECEIVED',
      has_good_return: fields.hasGoodReturn,
      reason: fields.reason,
      ...(fields.desc ? { desc: fields.desc } : {}),
      created: at,
      modified: at,
      dispute_type: fields.disputeType,
      refund_phase: fields.phase ?? (trade.status === 'TRADE_FINISHED' ? 'aftersale' : 'onsale'),
      refund_version: 0,
    };
    state.refunds.push(refund);
    byId.set(refund.refund_id, refund);
    return move(refund, fields.status);
  }

  function openRefundOf(order: SandboxOrder): TaobaoRefund | undefined {
    const refund = order.refund_id ? byId.get(order.refund_id) : undefined;
    return refund && refundIsOpen(refund.status) ? refund : undefined;
  }

  function checkVersion(refund: TaobaoRefund, version: string): void {
    if (String(refund.refund_version) !== version) {
      throw topFailure.remote(REFUND_SUB_CODES.refundVersionStale, `退款 ${refund.refund_id} 已变更(当前版本 ${String(refund.refund_version)})，请重新获取后再操作`);
    }
  }

  function refuseExchange(refund: TaobaoRefund): void {
    if (EXCHANGE_TYPES.has(refund.dispute_type ?? '')) {
      throw topFailure.remote(REFUND_SUB_CODES.refundStatusForbids, `退款 ${refund.refund_id} 是换货，请用 tmall.exchange.* 处理`);
    }
  }

  return {
    getRefund: (refundId: string): TaobaoRefund | undefined => byId.get(refundId),
    requireRefund,
    /** For the exchange book: a Tmall exchange shows in the refund list as a TMALL_EXCHANGE refund with the same id. */
    createMirror: create,
    move,
    orderOf,

    /** The platform's clock: every refund whose deadline passed is decided for the buyer, as Taobao does. */
    settleDeadlines(): void {
      const now = store.nowText();
      for (const refund of state.refunds) {
        const timeout = refund.refund_remind_timeout;
        if (!timeout?.exist_timeout || !timeout.timeout || timeout.timeout > now || EXCHANGE_TYPES.has(refund.dispute_type ?? '')) continue;
        if (refund.status === 'WAIT_SELLER_AGREE' && refund.has_good_return) {
          move(refund, 'WAIT_BUYER_RETURN_GOODS', { address: `${returnAddress.name}，${returnAddress.mobile}，${returnAddress.address}` });
        } else if (refund.status === 'WAIT_SELLER_AGREE' || refund.status === 'WAIT_SELLER_CONFIRM_GOODS') {
          pay(refund, yuanToFen(refund.refund_fee), 'timeout');
        } else if (refund.status === 'WAIT_BUYER_RETURN_GOODS') {
          move(refund, 'CLOSED');
        } else {
          refund.refund_remind_timeout = { exist_timeout: false };
        }
      }
    },

    /** The buyer asks for a refund on sub-orders of a paid trade; refused (changing nothing) when Taobao would refuse it. */
    askRefund(tid: string, opts: AskRefundOptions = {}): TaobaoRefund[] {
      const trade = store.requireTrade(tid);
      if (!trade.pay_time || trade.status === 'WAIT_BUYER_PAY') throw topFailure.remote(REFUND_SUB_CODES.refundStatusForbids, `交易 ${tid} 未付款，不能申请退款`);
      if (trade.status === 'TRADE_CLOSED' || trade.status === 'TRADE_CLOSED_BY_TAOBAO') {
        throw topFailure.remote(REFUND_SUB_CODES.refundStatusForbids, `交易 ${tid} 已关闭，不能申请退款`);
      }
      const orders = opts.oids
        ? opts.oids.map((oid) => {
          const order = trade.orders.order.find((o) => o.oid === oid);
          if (!order) throw topFailure.invalid('oids', `交易 ${tid} 没有子订单 ${oid}`);
          return order;
        })
        : trade.orders.order.filter((o) => !openRefundOf(o) && o.status !== 'TRADE_CLOSED');
      if (orders.length === 0) throw topFailure.invalid('oids', `交易 ${tid} 没有可申请退款的子订单`);
      if (opts.amountFen !== undefined && (orders.length !== 1 || !Number.isSafeInteger(opts.amountFen) || opts.amountFen <= 0)) {
        throw topFailure.invalid('amountFen', '部分退款金额须为正整数分，且只能针对一个子订单');
      }
      if (opts.disputeType !== undefined && !(DISPUTE_TYPES as readonly string[]).includes(opts.disputeType)) {
        throw topFailure.invalid('disputeType', `退款类型 ${String(opts.disputeType)} 无效`);
      }
      const hasGoodReturn = opts.hasGoodReturn ?? opts.disputeType === 'REFUND_AND_RETURN';
      for (const order of orders) {
        const open = openRefundOf(order);
        if (open) throw topFailure.remote(REFUND_SUB_CODES.refundStatusForbids, `子订单 ${order.oid} 已有进行中的退款 ${open.refund_id}`);
        if (order.status === 'TRADE_CLOSED') throw topFailure.remote(REFUND_SUB_CODES.refundStatusForbids, `子订单 ${order.oid} 已关闭`);
        if (hasGoodReturn && !order.invoice_no) throw topFailure.remote(REFUND_SUB_CODES.refundStatusForbids, `子订单 ${order.oid} 尚未发货，不能退货`);
        const left = refundable(order);
        if ((opts.amountFen ?? left) > left || left <= 0) {
          throw topFailure.remote(REFUND_SUB_CODES.refundFeeExceeds, `子订单 ${order.oid} 最多可退 ${fenToYuan(Math.max(left, 0))} 元`);
        }
      }
      const disputeType = opts.disputeType ?? (hasGoodReturn ? 'REFUND_AND_RETURN' : 'REFUND');
      return orders.map((order) => {
        const fields = {
          status: 'WAIT_SELLER_AGREE', refundFen: opts.amountFen ?? refundable(order), hasGoodReturn, disputeType,
          reason: opts.reason ?? (hasGoodReturn ? '七天无理由退换货' : '不想要了'), desc: opts.desc, phase: opts.phase,
        };
        const refused = order.refund_id ? byId.get(order.refund_id) : undefined;
        // A buyer who changes a refused refund re-opens it: same refund_id, a new version.
        if (refused?.status === 'SELLER_REFUSE_BUYER') {
          return move(refused, 'WAIT_SELLER_AGREE', {
            refund_fee: fenToYuan(fields.refundFen), has_good_return: hasGoodReturn, dispute_type: disputeType, reason: fields.reason,
            ...(opts.desc ? { desc: opts.desc } : {}),
          });
        }
        return create(trade, order, fields);
      });
    },

    /** The older control: asks, or moves the sub-orders' refunds straight to `status` (SUCCESS pays, once). */
    refundTrade(tid: string, opts: RefundTradeOptions = {}): TaobaoRefund[] {
      const trade = store.requireTrade(tid);
      const status = opts.status ?? 'WAIT_SELLER_AGREE';
      if (!(REFUND_STATUSES as readonly string[]).includes(status) || (status as string) === 'NO_REFUND') {
        throw topFailure.invalid('status', `退款状态 ${status} 无效`);
      }
      const orders = opts.oids ? trade.orders.order.filter((o) => opts.oids?.includes(o.oid)) : trade.orders.order;
      if (orders.length === 0) throw topFailure.invalid('oids', `交易 ${tid} 没有这些子订单`);
      const returning = status === 'WAIT_BUYER_RETURN_GOODS' || status === 'WAIT_SELLER_CONFIRM_GOODS';
      return orders.map((order) => {
        const last = order.refund_id ? byId.get(order.refund_id) : undefined;
        if (last?.status === status) return last;
        let refund = openRefundOf(order);
        if (!refund) {
          refund = create(trade, order, {
            status: 'WAIT_SELLER_AGREE', refundFen: refundable(order), hasGoodReturn: returning,
            disputeType: returning ? 'REFUND_AND_RETURN' : 'REFUND', reason: opts.reason ?? '不想要了',
          });
        }
        if (returning && !refund.has_good_return) refund.has_good_return = true;
        if (status === 'SUCCESS') pay(refund, yuanToFen(refund.refund_fee), 'platform');
        else if (refund.status !== status) move(refund, status);
        return refund;
      });
    },

    /** The buyer sends the goods back with this parcel: the seller now has to confirm receipt. */
    sendReturnParcel(refundId: string, parcel: { companyName: string; sid: string }): TaobaoRefund {
      const refund = requireRefund(refundId);
      refuseExchange(refund);
      if (refund.status !== 'WAIT_BUYER_RETURN_GOODS') {
        throw topFailure.remote(REFUND_SUB_CODES.refundStatusForbids, `退款 ${refundId} 状态为 ${refund.status}，不能填写退货物流`);
      }
      if (!parcel.companyName.trim() || !/^[A-Za-z0-9-]{6,40}$/.test(parcel.sid.trim())) {
        throw topFailure.invalid('sid', '退货物流需要快递公司和有效的运单号');
      }
      return move(refund, 'WAIT_SELLER_CONFIRM_GOODS', {
        company_name: parcel.companyName.trim(), sid: parcel.sid.trim(), good_status: 'BUYER_RETURNED_GOODS', good_return_time: store.nowText(),
      });
    },

    /** The buyer withdraws the refund: closed, whatever it was waiting for. */
    cancelRefund(refundId: string): TaobaoRefund {
      const refund = requireRefund(refundId);
      refuseExchange(refund);
      if (refund.status === 'SUCCESS' || refund.status === 'CLOSED') {
        throw topFailure.remote(REFUND_SUB_CODES.refundStatusForbids, `退款 ${refundId} 已${refund.status === 'SUCCESS' ? '成功' : '关闭'}，不能撤销`);
      }
      return move(refund, 'CLOSED');
    },

    /** taobao.rp.returngoods.agree: only a return (has_good_return) waiting for the seller; the address is kept. */
    agreeReturnGoods(input: { refundId: string; version: string; address: string; name: string; mobile: string; post?: string; remark?: string }): TaobaoRefund {
      const refund = requireRefund(input.refundId);
      refuseExchange(refund);
      checkVersion(refund, input.version);
      if (refund.status !== 'WAIT_SELLER_AGREE' || !refund.has_good_return) {
        throw topFailure.remote(REFUND_SUB_CODES.refundStatusForbids, `退款 ${refund.refund_id} 状态为 ${refund.status}${refund.has_good_return ? '' : '(仅退款)'}，不能同意退货`);
      }
      const address = [input.name, input.mobile, input.address, input.post].filter(Boolean).join('，');
      return move(refund, 'WAIT_BUYER_RETURN_GOODS', { address });
    },

    /**
     * taobao.rp.refunds.agree: at most 20 refunds and ¥6,000 a call (else the whole call is refused), then each
     * refund on its own: a refund without goods waiting for the seller, or returned goods waiting for confirmation,
     * at its current version, for no more than the buyer paid for the sub-order.
     */
    agreeRefunds(infos: AgreeRefundInfo[]): AgreeRefundAnswer[] {
      if (infos.length > 20) throw topFailure.remote(REFUND_SUB_CODES.refundAgreeLimit, `一次最多同意 20 笔退款，收到 ${infos.length} 笔`);
      const total = infos.reduce((s, i) => s + i.amountFen, 0);
      if (total > 600_000) throw topFailure.remote(REFUND_SUB_CODES.refundAgreeLimit, `一次同意退款的总金额不能超过 6000 元，收到 ${fenToYuan(total)} 元`);
      return infos.map((info) => {
        const fail = (message: string): AgreeRefundAnswer => ({ refund_id: info.refundId, succ: false, message });
        const refund = byId.get(info.refundId);
        if (!refund) return fail('退款不存在');
        if (EXCHANGE_TYPES.has(refund.dispute_type ?? '')) return fail('换货不能同意退款');
        if (refund.status === 'SUCCESS') return fail('退款已成功，不能重复操作');
        if (String(refund.refund_version) !== info.version) return fail('退款已变更，版本号不一致，请刷新后重试');
        const agreeable = (refund.status === 'WAIT_SELLER_AGREE' && !refund.has_good_return) || refund.status === 'WAIT_SELLER_CONFIRM_GOODS';
        if (!agreeable) return fail(`退款状态 ${refund.status} 不能同意退款`);
        const { order } = orderOf(refund);
        if (info.amountFen > refundable(order)) return fail(`退款金额超过买家实付，最多 ${fenToYuan(refundable(order))} 元`);
        pay(refund, info.amountFen, 'seller');
        return { refund_id: info.refundId, succ: true, message: 'succ' };
      });
    },

    /** taobao.refund.refuse: not on an unshipped sub-order (Taobao's rule: agree, or ship instead), with a reason. */
    refuseRefund(input: { refundId: string; version: string; message: string }): TaobaoRefund {
      const refund = requireRefund(input.refundId);
      refuseExchange(refund);
      checkVersion(refund, input.version);
      if (refund.status !== 'WAIT_SELLER_AGREE' && refund.status !== 'WAIT_SELLER_CONFIRM_GOODS') {
        throw topFailure.remote(REFUND_SUB_CODES.refundStatusForbids, `退款 ${refund.refund_id} 状态为 ${refund.status}，不能拒绝`);
      }
      if (!orderOf(refund).order.invoice_no) {
        throw topFailure.remote(REFUND_SUB_CODES.refundStatusForbids, `子订单 ${refund.oid} 未发货，不能拒绝退款`);
      }
      return move(refund, 'SELLER_REFUSE_BUYER');
    },
  };
}
