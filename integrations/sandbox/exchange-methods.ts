/**
 * The sandbox's Tmall exchange calls: tmall.exchange.receive.get (modified window, paged, has_next),
 * tmall.exchange.get, tmall.exchange.agree, tmall.exchange.returngoods.agree and tmall.exchange.consigngoods.
 * Actions answer Tmall's `result { success, exchange }`; a refusal is an error_response, as the gateway relays it.
 */
import { EXCHANGE_STATUSES } from '../taobao/taobao-exchange';
import type { ExchangeBook } from './exchange-book';
import type { SandboxExchange, SandboxState } from './sandbox-state';
import { topFailure } from './top-failure';
import type { TopMethodHandler } from './top-gateway';
import type { TopParamReader } from './top-param-reader';
import { pickFields } from './trade-methods';

const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 20;
const RESULT_FIELDS = 'dispute_id,biz_order_id,status,modified';

/** The exchange TOP methods, keyed by method name, for the gateway. */
export function createExchangeMethods(state: Readonly<SandboxState>, book: ExchangeBook): Record<string, TopMethodHandler> {
  const answer = (exchange: SandboxExchange, p: TopParamReader) => ({
    result: { success: true, msg_code: 'SUCCESS', message: '', exchange: pickFields(wire(exchange), p.string('fields') ?? RESULT_FIELDS) },
  });
  return {
    'tmall.exchange.receive.get': (p) => {
      const start = p.time('start_gmt_modified_time');
      const end = p.time('end_gmt_modifed_time');
      const statusText = p.string('dispute_status_array');
      const codes = statusText?.split(',').map((s) => Number(s.trim()));
      if (codes?.some((c) => !(c in EXCHANGE_STATUSES))) throw topFailure.invalid('dispute_status_array', `换货状态 ${statusText ?? ''} 无效`);
      const statuses = codes?.map((c) => EXCHANGE_STATUSES[c as keyof typeof EXCHANGE_STATUSES] as string);
      const buyerNick = p.string('buyer_nick');
      const matching = state.exchanges
        .filter((e) => (!start || e.modified >= start) && (!end || e.modified <= end))
        .filter((e) => (!statuses || statuses.includes(e.status)) && (!buyerNick || e.buyer_nick === buyerNick))
        .sort((a, b) => a.modified.localeCompare(b.modified) || a.dispute_id.localeCompare(b.dispute_id));
      const pageNo = p.int('page_no', { min: 1, fallback: 1 });
      const pageSize = p.int('page_size', { min: 1, max: MAX_PAGE_SIZE, fallback: DEFAULT_PAGE_SIZE });
      const slice = matching.slice((pageNo - 1) * pageSize, pageNo * pageSize).map((e) => pickFields(wire(e), p.string('fields')));
      return {
        total_results: matching.length,
        page_results: slice.length,
        has_next: pageNo * pageSize < matching.length,
        ...(slice.length > 0 ? { results: { exchange: slice } } : {}),
      };
    },

    'tmall.exchange.get': (p) => answer(book.requireExchange(p.id('dispute_id')), p),

    'tmall.exchange.agree': (p) => {
      const id = p.id('dispute_id');
      return answer(book.agree(id, { address: p.required('complete_address'), mobile: p.required('mobile'), post: p.string('post') }), p);
    },

    'tmall.exchange.returngoods.agree': (p) => answer(book.confirmReturnedGoods(p.id('dispute_id')), p),

    'tmall.exchange.consigngoods': (p) => {
      const id = p.id('dispute_id');
      const logisticsNo = p.required('logistics_no');
      if (!/^[A-Za-z0-9-]{6,40}$/.test(logisticsNo)) throw topFailure.invalid('logistics_no', `运单号 ${logisticsNo} 不符合规则`);
      const type = p.string('logistics_type') ?? '200';
      if (type !== '100' && type !== '200') throw topFailure.invalid('logistics_type', 'logistics_type 应为 100(平邮) 或 200(快递)');
      return answer(book.consign(id, { logisticsNo, companyName: p.required('logistics_company_name') }), p);
    },
  };
}

/** The wire shape leaves out the trade id the sandbox keeps beside it. */
function wire(exchange: SandboxExchange): Omit<SandboxExchange, 'tid'> {
  const { tid: _tid, ...rest } = exchange;
  return rest;
}
