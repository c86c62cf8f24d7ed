/**
 * Tmall's exchange (换货) calls, typed: list exchanges by modified window, read one, agree the request, confirm
 * the returned goods arrived, and send the replacement. A repeat after a lost answer finds the exchange already
 * past that step and counts as done.
 */
import { isoToTaobaoTime } from '../../domain/taobao';
import { pagesByModifiedWindow } from './modified-windows';
import { REFUND_SUB_CODES } from './refund-sub-codes';
import { requireDigits } from './taobao-refund-calls';
import type { TopClient } from './top-client';
import { TopError } from './top-error';

/** Tmall's exchange statuses: the number the list call filters by, and the text the exchange carries. */
export const EXCHANGE_STATUSES = {
  1: '换货待处理',
  2: '待买家退货',
  3: '买家已退货，待收货',
  4: '换货关闭',
  5: '换货成功',
  6: '待买家修改',
  12: '待发出换货商品',
  13: '待买家收货',
  14: '请退款',
} as const;
export type ExchangeStatusCode = keyof typeof EXCHANGE_STATUSES;
export type ExchangeStatus = (typeof EXCHANGE_STATUSES)[ExchangeStatusCode];

/** One exchange as tmall.exchange.receive.get / tmall.exchange.get return it (money in yuan strings). */
export interface TaobaoExchange {
  dispute_id: string;
  /** The sub-order (oid) the buyer exchanges. */
  biz_order_id: string;
  buyer_nick: string;
  seller_nick?: string;
  status: string;
  created: string;
  modified: string;
  reason: string;
  desc?: string;
  title: string;
  num: number;
  price?: string;
  payment?: string;
  /** The spec bought and the spec wanted, as the buyer picked them ("颜色分类:黑色;尺码:M"). */
  bought_sku?: string;
  exchange_sku?: string;
  buyer_name?: string;
  buyer_phone?: string;
  /** Where the replacement goes. */
  buyer_address?: string;
  /** The seller's address the buyer returns the goods to, once agreed. */
  address?: string;
  buyer_logistic_name?: string;
  buyer_logistic_no?: string;
  seller_logistic_name?: string;
  seller_logistic_no?: string;
  refund_version?: string | number;
  refund_phase?: string;
  good_status?: string;
  /** When the platform acts if the seller does not ("yyyy-MM-dd HH:mm:ss"). */
  time_out?: string;
}

/** Every field tmall.exchange.receive.get and tmall.exchange.get can return. */
export const EXCHANGE_FIELDS = [
  'dispute_id', 'biz_order_id', 'num', 'buyer_nick', 'seller_nick', 'status', 'created', 'modified', 'reason', 'desc',
  'title', 'price', 'payment', 'bought_sku', 'exchange_sku', 'buyer_name', 'buyer_phone', 'buyer_address', 'address',
  'buyer_logistic_name', 'buyer_logistic_no', 'seller_logistic_name', 'seller_logistic_no', 'refund_version',
  'refund_phase', 'good_status', 'time_out',
].join(',');

export interface ExchangeQuery {
  start: Date | string;
  end: Date | string;
  pageSize?: number;
  /** Only these statuses; default all. */
  statuses?: ExchangeStatusCode[];
}

export interface ExchangePage {
  windowStart: string;
  windowEnd: string;
  pageNo: number;
  exchanges: TaobaoExchange[];
  windowDone: boolean;
}

export interface AgreeExchangeInput {
  disputeId: string;
  /** The seller's return address in full, and its contact mobile. */
  address: string;
  mobile: string;
  post?: string;
  /** The shop's address book id (taobao.logistics.address.search contact_id), where it keeps one. */
  addressId?: string;
  message?: string;
}

export interface ConsignExchangeInput {
  disputeId: string;
  /** The replacement parcel's tracking number and courier name (Tmall takes the name, not a code). */
  logisticsNo: string;
  companyName: string;
  /** express (200, default) or post (100, 平邮). */
  logisticsType?: 'express' | 'post';
}

export interface ExchangeActionResult {
  status: string;
  modified: string;
  alreadyDone: boolean;
}

interface ExchangeResult {
  success?: boolean | string;
  message?: string;
  msg_code?: string;
  exchange?: Partial<TaobaoExchange>;
}

/** How far each status is along the seller's path; a call is done when the exchange is at or past its target. */
const PROGRESS: Record<string, number> = {
  [EXCHANGE_STATUSES[1]]: 1,
  [EXCHANGE_STATUSES[6]]: 1,
  [EXCHANGE_STATUSES[2]]: 2,
  [EXCHANGE_STATUSES[3]]: 3,
  [EXCHANGE_STATUSES[12]]: 4,
  [EXCHANGE_STATUSES[13]]: 5,
  [EXCHANGE_STATUSES[5]]: 6,
};
/** The exchange methods of TaobaoApi, on one TOP client. */
export function createExchangeCalls(client: TopClient) {
  async function getExchange(disputeId: string): Promise<TaobaoExchange> {
    requireDigits('disputeId', disputeId);
    const res = await client.call<{ result?: ExchangeResult }>('tmall.exchange.get', { dispute_id: disputeId, fields: EXCHANGE_FIELDS });
    const exchange = res.result?.exchange;
    if (!exchange || !truthy(res.result?.success)) {
      throw new TopError({
        code: '15', msg: 'Remote service error', subCode: res.result?.msg_code || REFUND_SUB_CODES.exchangeNotExist,
        subMsg: res.result?.message || `换货单 ${disputeId} 不存在`, method: 'tmall.exchange.get', retryable: false,
      });
    }
    return normaliseExchange(exchange as TaobaoExchange);
  }

  /** Runs one exchange action; a refusal of an exchange already at or past `target` is a repeat and counts as done. */
  async function act(method: string, disputeId: string, params: Record<string, string | undefined>, target: ExchangeStatus): Promise<ExchangeActionResult> {
    requireDigits('disputeId', disputeId);
    let res: { result?: ExchangeResult };
    try {
      res = await client.call<{ result?: ExchangeResult }>(method, { dispute_id: disputeId, fields: 'dispute_id,status,modified', ...params });
    } catch (err) {
      if (!(err instanceof TopError) || err.retryable) throw err;
      return alreadyAt(err, disputeId, target);
    }
    if (!truthy(res.result?.success)) {
      const err = new TopError({
        code: '15', msg: 'Remote service error', subCode: res.result?.msg_code || REFUND_SUB_CODES.exchangeStatusForbids,
        subMsg: res.result?.message || `${method} 未成功`, method, retryable: false,
      });
      return alreadyAt(err, disputeId, target);
    }
    return { status: res.result?.exchange?.status ?? target, modified: res.result?.exchange?.modified ?? '', alreadyDone: false };
  }

  async function alreadyAt(err: TopError, disputeId: string, target: ExchangeStatus): Promise<ExchangeActionResult> {
    const exchange = await getExchange(disputeId);
    if ((PROGRESS[exchange.status] ?? 0) >= (PROGRESS[target] ?? Infinity)) {
      return { status: exchange.status, modified: exchange.modified, alreadyDone: true };
    }
    throw err;
  }

  async function* pullExchanges(query: ExchangeQuery): AsyncGenerator<ExchangePage> {
    const statuses = query.statuses?.map(Number);
    if (statuses?.some((s) => !(s in EXCHANGE_STATUSES))) throw new RangeError(`换货状态无效: ${statuses.join(',')}`);
    const pages = pagesByModifiedWindow<TaobaoExchange>(
      query,
      async (window, pageNo, pageSize) => {
        const res = await client.call<{ has_next?: boolean; results?: { exchange?: TaobaoExchange[] } }>('tmall.exchange.receive.get', {
          fields: EXCHANGE_FIELDS,
          start_gmt_modified_time: isoToTaobaoTime(window.start),
          // Sic: Tmall spells the end parameter without the second "i".
          end_gmt_modifed_time: isoToTaobaoTime(window.end),
          dispute_status_array: statuses?.join(','),
          page_no: pageNo,
          page_size: pageSize,
        });
        return { rows: (res.results?.exchange ?? []).map(normaliseExchange), hasNext: truthy(res.has_next) };
      },
      (e) => e.dispute_id,
    );
    for await (const { rows, ...page } of pages) yield { ...page, exchanges: rows };
  }

  return {
    pullExchanges,

    /** Every exchange modified in [start, end] (deduplicated), for callers that want a list rather than pages. */
    async getExchanges(query: ExchangeQuery): Promise<TaobaoExchange[]> {
      const byId = new Map<string, TaobaoExchange>();
      for await (const page of pullExchanges(query)) page.exchanges.forEach((e) => byId.set(e.dispute_id, e));
      return [...byId.values()];
    },

    getExchange,

    /** 同意换货 (tmall.exchange.agree): the buyer may send the goods back to this address. */
    async agreeExchange(input: AgreeExchangeInput): Promise<ExchangeActionResult> {
      if (!input.address?.trim() || !input.mobile?.trim()) throw new RangeError('同意换货需要退货地址和手机');
      return act('tmall.exchange.agree', input.disputeId, {
        complete_address: input.address.trim(), mobile: input.mobile.trim(), post: input.post, address_id: input.addressId, leave_message: input.message,
      }, EXCHANGE_STATUSES[2]);
    },

    /** 确认收货 (tmall.exchange.returngoods.agree): the returned goods arrived; the replacement is owed next. */
    agreeExchangeReturnGoods(input: { disputeId: string }): Promise<ExchangeActionResult> {
      return act('tmall.exchange.returngoods.agree', input.disputeId, {}, EXCHANGE_STATUSES[12]);
    },

    /** 换货发货 (tmall.exchange.consigngoods): the replacement left with this tracking number. */
    async consignExchangeGoods(input: ConsignExchangeInput): Promise<ExchangeActionResult> {
      if (!input.logisticsNo?.trim() || !input.companyName?.trim()) throw new RangeError('换货发货需要运单号和快递公司');
      return act('tmall.exchange.consigngoods', input.disputeId, {
        logistics_no: input.logisticsNo.trim(),
        logistics_company_name: input.companyName.trim(),
        logistics_type: input.logisticsType === 'post' ? '100' : '200',
      }, EXCHANGE_STATUSES[13]);
    },
  };
}

/** Ids and versions may arrive as JSON numbers; Guanjia keys everything on their digits. */
export function normaliseExchange(e: TaobaoExchange): TaobaoExchange {
  return {
    ...e,
    dispute_id: String(e.dispute_id),
    biz_order_id: String(e.biz_order_id),
    num: Number(e.num ?? 0),
    ...(e.refund_version !== undefined && e.refund_version !== null ? { refund_version: String(e.refund_version) } : {}),
  };
}

function truthy(value: unknown): boolean {
  return value === true || value === 'true';
}
