/**
 * The sandbox platform's Tmall exchanges: the buyer asks to swap a shipped item for another spec, the seller
 * agrees and gives a return address, the buyer sends it back, the seller confirms receipt and sends the
 * replacement, the buyer receives it. Each exchange also shows in the refund list as a TMALL_EXCHANGE refund
 * with the same id, as on Tmall, and every change moves `modified` on both.
 */
import { EXCHANGE_STATUSES, type ExchangeStatus } from '../taobao/taobao-exchange';
import { REFUND_SUB_CODES } from '../taobao/refund-sub-codes';
import type { RefundBook } from './refund-book';
import type { SandboxExchange } from './sandbox-state';
import type { SandboxStore } from './sandbox-store';
import { topFailure } from './top-failure';

export interface AskExchangeOptions {
  oid: string;
  /** The spec the buyer wants instead, "颜色分类:白色;尺码:L"; default the same spec again. */
  exchangeSku?: string;
  reason?: string;
  desc?: string;
}

export type ExchangeBook = ReturnType<typeof createExchangeBook>;

/** What the exchange's twin in the refund list shows at each exchange status. */
const REFUND_STATUS_OF: Record<string, string> = {
  [EXCHANGE_STATUSES[1]]: 'WAIT_SELLER_AGREE',
  [EXCHANGE_STATUSES[6]]: 'WAIT_SELLER_AGREE',
  [EXCHANGE_STATUSES[2]]: 'WAIT_BUYER_RETURN_GOODS',
  [EXCHANGE_STATUSES[3]]: 'WAIT_SELLER_CONFIRM_GOODS',
  [EXCHANGE_STATUSES[12]]: 'WAIT_SELLER_CONFIRM_GOODS',
  [EXCHANGE_STATUSES[13]]: 'WAIT_SELLER_CONFIRM_GOODS',
  [EXCHANGE_STATUSES[5]]: 'SUCCESS',
  [EXCHANGE_STATUSES[4]]: 'CLOSED',
  [EXCHANGE_STATUSES[14]]: 'CLOSED',
};
const OPEN = new Set<string>([EXCHANGE_STATUSES[1], EXCHANGE_STATUSES[2], EXCHANGE_STATUSES[3], EXCHANGE_STATUSES[6], EXCHANGE_STATUSES[12], EXCHANGE_STATUSES[13]]);

/** The exchange rules on the store's state, each change mirrored on the exchange's refund twin. */
export function createExchangeBook(store: SandboxStore, refunds: RefundBook) {
  const exchanges = (store.state as { exchanges: SandboxExchange[] }).exchanges;

  function requireExchange(disputeId: string): SandboxExchange {
    const exchange = exchanges.find((e) => e.dispute_id === disputeId);
    if (!exchange) throw topFailure.remote(REFUND_SUB_CODES.exchangeNotExist, `换货单 ${disputeId} 不存在`);
    return exchange;
  }

  function move(exchange: SandboxExchange, from: readonly ExchangeStatus[], to: ExchangeStatus, fields: Partial<SandboxExchange> = {}): SandboxExchange {
    if (!from.includes(exchange.status as ExchangeStatus)) {
      throw topFailure.remote(REFUND_SUB_CODES.exchangeStatusForbids, `换货单 ${exchange.dispute_id} 状态为「${exchange.status}」，不能${actionName(to)}`);
    }
    Object.assign(exchange, fields);
    exchange.status = to;
    const twin = refunds.move(refunds.requireRefund(exchange.dispute_id), REFUND_STATUS_OF[to] ?? 'CLOSED');
    exchange.modified = twin.modified;
    exchange.refund_version = twin.refund_version;
    store.changed();
    return exchange;
  }

  return {
    getExchange: (disputeId: string): SandboxExchange | undefined => exchanges.find((e) => e.dispute_id === disputeId),
    requireExchange,

    /** The buyer asks to exchange one shipped sub-order; one open exchange or refund per sub-order. */
    askExchange(tid: string, opts: AskExchangeOptions): SandboxExchange {
      const trade = store.requireTrade(tid);
      const order = trade.orders.order.find((o) => o.oid === opts.oid);
      if (!order) throw topFailure.invalid('oid', `交易 ${tid} 没有子订单 ${opts.oid}`);
      if (!order.invoice_no) throw topFailure.remote(REFUND_SUB_CODES.exchangeStatusForbids, `子订单 ${opts.oid} 尚未发货，不能换货`);
      const open = order.refund_id ? refunds.getRefund(order.refund_id) : undefined;
      if (open && !['CLOSED', 'SUCCESS', 'SELLER_REFUSE_BUYER'].includes(open.status)) {
        throw topFailure.remote(REFUND_SUB_CODES.exchangeStatusForbids, `子订单 ${opts.oid} 已有进行中的退款或换货 ${open.refund_id}`);
      }
      const disputeId = store.newId(15);
      const status = EXCHANGE_STATUSES[1];
      const reason = opts.reason ?? '尺码不合适';
      const twin = refunds.createMirror(trade, order, {
        refundId: disputeId, status: REFUND_STATUS_OF[status] as string, refundFen: 0, hasGoodReturn: true, disputeType: 'TMALL_EXCHANGE', reason, desc: opts.desc,
      });
      const exchange: SandboxExchange = {
        dispute_id: disputeId,
        biz_order_id: order.oid,
        tid,
        buyer_nick: trade.buyer_nick,
        seller_nick: trade.seller_nick,
        status,
        created: twin.created,
        modified: twin.modified,
        reason,
        ...(opts.desc ? { desc: opts.desc } : {}),
        title: order.title,
        num: order.num,
        price: order.price,
        payment: order.payment,
        bought_sku: order.sku_properties_name ?? '',
        exchange_sku: opts.exchangeSku ?? order.sku_properties_name ?? '',
        buyer_name: trade.receiver_name,
        buyer_phone: trade.receiver_mobile ?? trade.receiver_phone ?? '',
        buyer_address: [trade.receiver_state, trade.receiver_city, trade.receiver_district, trade.receiver_address].join(' '),
        refund_version: twin.refund_version,
        refund_phase: twin.refund_phase,
        good_status: 'BUYER_RECEIVED',
      };
      exchanges.push(exchange);
      store.changed();
      return exchange;
    },

    /** The buyer sends the goods back. */
    sendReturnParcel(disputeId: string, parcel: { companyName: string; sid: string }): SandboxExchange {
      if (!parcel.companyName.trim() || !/^[A-Za-z0-9-]{6,40}$/.test(parcel.sid.trim())) {
        throw topFailure.invalid('sid', '退货物流需要快递公司和有效的运单号');
      }
      return move(requireExchange(disputeId), [EXCHANGE_STATUSES[2]], EXCHANGE_STATUSES[3], {
        buyer_logistic_name: parcel.companyName.trim(), buyer_logistic_no: parcel.sid.trim(), good_status: 'BUYER_RETURNED_GOODS',
      });
    },

    /** The buyer received the replacement: the exchange is done. */
    confirmReceived(disputeId: string): SandboxExchange {
      return move(requireExchange(disputeId), [EXCHANGE_STATUSES[13]], EXCHANGE_STATUSES[5]);
    },

    /** The buyer withdraws the exchange before the replacement left. */
    cancel(disputeId: string): SandboxExchange {
      const exchange = requireExchange(disputeId);
      if (!OPEN.has(exchange.status) || exchange.status === EXCHANGE_STATUSES[13]) {
        throw topFailure.remote(REFUND_SUB_CODES.exchangeStatusForbids, `换货单 ${disputeId} 状态为「${exchange.status}」，不能撤销`);
      }
      return move(exchange, [exchange.status as ExchangeStatus], EXCHANGE_STATUSES[4]);
    },

    /** tmall.exchange.agree: the seller takes the exchange and names the return address. */
    agree(disputeId: string, input: { address: string; mobile: string; post?: string }): SandboxExchange {
      if (!input.address.trim() || !input.mobile.trim()) throw topFailure.missing(!input.address.trim() ? 'complete_address' : 'mobile');
      return move(requireExchange(disputeId), [EXCHANGE_STATUSES[1], EXCHANGE_STATUSES[6]], EXCHANGE_STATUSES[2], {
        address: [input.address.trim(), input.mobile.trim(), input.post].filter(Boolean).join('，'),
      });
    },

    /** tmall.exchange.returngoods.agree: the seller confirms the returned goods arrived. */
    confirmReturnedGoods(disputeId: string): SandboxExchange {
      return move(requireExchange(disputeId), [EXCHANGE_STATUSES[3]], EXCHANGE_STATUSES[12]);
    },

    /** tmall.exchange.consigngoods: the replacement left with this parcel. */
    consign(disputeId: string, parcel: { logisticsNo: string; companyName: string }): SandboxExchange {
      return move(requireExchange(disputeId), [EXCHANGE_STATUSES[12]], EXCHANGE_STATUSES[13], {
        seller_logistic_no: parcel.logisticsNo, seller_logistic_name: parcel.companyName,
      });
    },
  };
}

function actionName(to: ExchangeStatus): string {
  switch (to) {
    case EXCHANGE_STATUSES[2]: return '同意换货';
    case EXCHANGE_STATUSES[3]: return '填写退货物流';
    case EXCHANGE_STATUSES[12]: return '确认收货';
    case EXCHANGE_STATUSES[13]: return '发出换货商品';
    case EXCHANGE_STATUSES[5]: return '确认收到换货';
    default: return `变为「${to}」`;
  }
}
