/**
 * The Taobao calls Guanjia makes, typed: pull changed trades without losing any, read one trade, tell
 * Taobao a parcel left (a repeated send with the same tracking number counts as done), read and answer
 * refunds and Tmall exchanges, and take or cancel Cainiao e-waybill numbers.
 */
import { isoToTaobaoTime, type TaobaoOrder, type TaobaoTrade } from '../../domain/taobao';
import type {
  CainiaoContact,
  CainiaoWaybillApplyRequest,
  CainiaoWaybillCancelResponse,
  CainiaoWaybillGetResponse,
} from './cainiao-waybill';
import { dayWindows, MAX_PAGE_SIZE } from './modified-windows';
import { createExchangeCalls } from './taobao-exchange';
import { createItemCalls } from './taobao-items';
import type { TaobaoRefund } from './taobao-refund';
import { createRefundCalls, normaliseRefund } from './taobao-refund-calls';
import type { TopClient } from './top-client';
import { TopError } from './top-error';
import { TOP_SUB_CODES } from './top-sub-codes';

/** Every field Guanjia keeps of a trade; TOP returns only the fields asked for. */
export const TRADE_FIELDS = [
  'tid', 'status', 'type', 'seller_nick', 'buyer_nick', 'created', 'modified', 'pay_time', 'consign_time', 'end_time',
  'payment', 'post_fee', 'total_fee', 'discount_fee', 'shipping_type',
  'receiver_name', 'receiver_state', 'receiver_city', 'receiver_district', 'receiver_address', 'receiver_zip',
  'receiver_mobile', 'receiver_phone', 'buyer_message', 'seller_memo', 'orders',
].join(',');

export const REFUND_FIELDS = [
  'refund_id', 'tid', 'oid', 'title', 'outer_id', 'num', 'buyer_nick', 'seller_nick', 'total_fee', 'payment',
  'refund_fee', 'status', 'order_status', 'good_status', 'has_good_return', 'reason', 'desc', 'created', 'modified',
].join(',');

export { isStaleRefundVersion } from './taobao-refund';
export type { AgreeRefundItem, AgreeRefundResult, AgreeReturnGoodsInput, RefundActionResult, RefundPage, RefundPullQuery, RefuseRefundInput } from './taobao-refund-calls';
export type { AgreeExchangeInput, ConsignExchangeInput, ExchangeActionResult, ExchangePage, ExchangeQuery, TaobaoExchange } from './taobao-exchange';

/** What shipping adds to a sub-order (fullinfo's orders.order.invoice_no is the tracking number). */
export interface ShippedTaobaoOrder extends TaobaoOrder {
  invoice_no?: string;
  logistics_company?: string;
}

export interface IncrementQuery {
  start: Date | string;
  /** Keep it a minute or so behind now: trades changing at the very edge would shift pages under the reader. */
  end: Date | string;
  pageSize?: number;
  status?: string;
}

export interface IncrementPage {
  /** ISO-8601 bounds of the ≤ 1-day window this page belongs to. */
  windowStart: string;
  windowEnd: string;
  pageNo: number;
  trades: TaobaoTrade[];
  /** The last page of its window: everything modified up to windowEnd has been read, a safe cursor. */
  windowDone: boolean;
}

export interface OfflineSendInput {
  tid: string;
  companyCode: string;
  outSid: string;
  /** Sub-orders shipping in this parcel when an order is split; omitted = the whole trade. */
  oids?: string[];
}

export interface OfflineSendResult {
  shipped: true;
  /** Taobao already had this tracking number for the trade (an earlier attempt went through). */
  alreadyShipped: boolean;
}

export interface RefundQuery {
  status?: string;
  start?: Date | string;
  end?: Date | string;
  pageSize?: number;
}

export interface WaybillParcel {
  /** Cainiao answers a repeated object_id with the number it already gave: keep it stable per reservation. */
  objectId: string;
  /** Platform order numbers (tids) the parcel carries. */
  tradeOrderList: string[];
  /** Distinguishes several parcels of one order; the same id gets the same number again. */
  packageId?: string;
  items?: Array<{ name: string; count: number }>;
  recipient: CainiaoContact;
  orderChannelsType?: string;
  templateUrl?: string;
}

export interface WaybillApplication {
  cpCode: string;
  sender: CainiaoContact;
  parcels: WaybillParcel[];
}

export interface IssuedWaybill {
  objectId: string;
  waybillCode: string;
  printData: string;
}

export interface CancelWaybillResult {
  cancelled: true;
  alreadyCancelled: boolean;
}

export type TaobaoApi = ReturnType<typeof createTaobaoApi>;

export function createTaobaoApi(client: TopClient) {
  async function getTrade(tid: string): Promise<TaobaoTrade> {
    const res = await client.call<{ trade?: TaobaoTrade }>('taobao.trade.fullinfo.get', { fields: TRADE_FIELDS, tid });
    if (!res.trade) {
      throw new TopError({ code: '15', msg: 'Remote service error', subCode: TOP_SUB_CODES.tradeNotExist, subMsg: `交易 ${tid} 不存在`, method: 'taobao.trade.fullinfo.get' });
    }
    return normaliseTrade(res.trade);
  }

  return {
    ...createRefundCalls(client),
    ...createExchangeCalls(client),
    ...createItemCalls(client),

    /**
     * Pages of trades modified in [start, end], one ≤ 1-day window at a time. Within a window pages are
     * read last to first: a trade modified meanwhile leaves the window, which shifts later rows towards
     * the front, so reading backwards can only see a row twice, never miss one.
     */
    async *pullIncrement(query: IncrementQuery): AsyncGenerator<IncrementPage> {
      const pageSize = Math.min(Math.max(query.pageSize ?? MAX_PAGE_SIZE, 1), MAX_PAGE_SIZE);
      for (const window of dayWindows(new Date(query.start), new Date(query.end))) {
        const range = {
          start_modified: isoToTaobaoTime(window.start),
          end_modified: isoToTaobaoTime(window.end),
          status: query.status,
        };
        const head = await client.call<{ total_results?: number }>('taobao.trades.sold.increment.get', {
          ...range, fields: 'tid', page_no: 1, page_size: 1,
        });
        const pages = Math.ceil(Number(head.total_results ?? 0) / pageSize);
        const windowStart = window.start.toISOString();
        const windowEnd = window.end.toISOString();
        if (pages === 0) {
          yield { windowStart, windowEnd, pageNo: 1, trades: [], windowDone: true };
          continue;
        }
        for (let pageNo = pages; pageNo >= 1; pageNo--) {
          const res = await client.call<{ trades?: { trade?: TaobaoTrade[] } }>('taobao.trades.sold.increment.get', {
            ...range, fields: TRADE_FIELDS, page_no: pageNo, page_size: pageSize,
          });
          const trades = (res.trades?.trade ?? []).map(normaliseTrade);
          yield { windowStart, windowEnd, pageNo, trades, windowDone: pageNo === 1 };
        }
      }
    },

    getTrade,

    /** Marks the trade (or the given sub-orders) shipped; a retry after a lost answer resolves as done. */
    async offlineSend(input: OfflineSendInput): Promise<OfflineSendResult> {
      try {
        await client.call('taobao.logistics.offline.send', {
          tid: input.tid,
          company_code: input.companyCode,
          out_sid: input.outSid,
          ...(input.oids?.length ? { sub_tid: input.oids.join(','), is_split: 1 } : {}),
        });
        return { shipped: true, alreadyShipped: false };
      } catch (err) {
        if (!(err instanceof TopError) || err.subCode !== TOP_SUB_CODES.alreadyShipped) throw err;
        const trade = await getTrade(input.tid);
        const orders: ShippedTaobaoOrder[] = input.oids?.length
          ? trade.orders.order.filter((o) => input.oids?.includes(o.oid))
          : trade.orders.order;
        const numbers = [...new Set(orders.map((o) => o.invoice_no ?? ''))];
        if (numbers.length === 1 && numbers[0] === input.outSid) return { shipped: true, alreadyShipped: true };
        throw new TopError({
          code: err.code,
          msg: err.msg,
          subCode: err.subCode,
          subMsg: `已用其他运单号发货: ${numbers.filter(Boolean).join(', ') || '(无运单号)'}`,
          requestId: err.requestId,
          method: err.method,
          retryable: false,
        });
      }
    },

    /** Every refund matching the query, all pages. */
    async getRefunds(query: RefundQuery = {}): Promise<TaobaoRefund[]> {
      const pageSize = Math.min(query.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
      const refunds: TaobaoRefund[] = [];
      for (let pageNo = 1; ; pageNo++) {
        const res = await client.call<{ has_next?: boolean; refunds?: { refund?: TaobaoRefund[] } }>(
          'taobao.refunds.receive.get',
          {
            fields: REFUND_FIELDS,
            status: query.status,
            start_modified: query.start ? isoToTaobaoTime(new Date(query.start)) : undefined,
            end_modified: query.end ? isoToTaobaoTime(new Date(query.end)) : undefined,
            page_no: pageNo,
            page_size: pageSize,
            use_has_next: true,
          },
        );
        for (const r of res.refunds?.refund ?? []) refunds.push(normaliseRefund(r));
        if (!res.has_next) return refunds;
      }
    },

    /** Takes one e-waybill number per parcel; asking again with the same objectId and package returns the same number. */
    async getWaybills(application: WaybillApplication): Promise<IssuedWaybill[]> {
      const request: CainiaoWaybillApplyRequest = {
        cp_code: application.cpCode,
        sender: application.sender,
        trade_order_info_dtos: application.parcels.map((p) => ({
          object_id: p.objectId,
          order_info: { order_channels_type: p.orderChannelsType ?? 'TB', trade_order_list: p.tradeOrderList },
          package_info: { id: p.packageId, items: p.items },
          recipient: p.recipient,
          template_url: p.templateUrl,
        })),
      };
      const res = await client.call<CainiaoWaybillGetResponse>('cainiao.waybill.ii.get', {
        param_waybill_cloud_print_apply_new_request: request,
      });
      return (res.modules?.waybill_cloud_print_response ?? []).map((w) => ({
        objectId: String(w.object_id),
        waybillCode: String(w.waybill_code),
        printData: w.print_data,
      }));
    },

    /** Returns a number to Cainiao; one already returned counts as done. */
    async cancelWaybill(input: { cpCode: string; waybillCode: string }): Promise<CancelWaybillResult> {
      try {
        const res = await client.call<CainiaoWaybillCancelResponse>('cainiao.waybill.ii.cancel', {
          cp_code: input.cpCode,
          waybill_code: input.waybillCode,
        });
        if (!res.cancel_result) {
          throw new TopError({ code: '15', msg: 'Remote service error', subMsg: `面单 ${input.waybillCode} 未能取消`, method: 'cainiao.waybill.ii.cancel', retryable: false });
        }
        return { cancelled: true, alreadyCancelled: false };
      } catch (err) {
        if (err instanceof TopError && err.subCode === TOP_SUB_CODES.waybillAlreadyCancelled) {
          return { cancelled: true, alreadyCancelled: true };
        }
        throw err;
      }
    },
  };
}

/** Ids may arrive as JSON numbers from the real gateway; Guanjia keys everything on their digits. */
function normaliseTrade(trade: TaobaoTrade): TaobaoTrade {
  return {
    ...trade,
    tid: String(trade.tid),
    orders: { order: (trade.orders?.order ?? []).map((o) => ({ ...o, oid: String(o.oid), num: Number(o.num) })) },
  };
}
