/**
 * The sandbox's trade reads: taobao.trades.sold.increment.get (windows of at most one day, paged,
 * ordered by modified), taobao.trade.fullinfo.get and taobao.refunds.receive.get, each returning only
 * the fields asked for and leaving out empty lists, as the real gateway does.
 */
import { REFUND_STATUSES, taobaoTimeToIso, TRADE_STATUSES } from '../../domain/taobao';
import { TOP_SUB_CODES } from '../taobao/top-sub-codes';
import type { SandboxStore } from './sandbox-store';
import { topFailure } from './top-failure';
import type { TopMethodHandler } from './top-gateway';
import type { TopParamReader } from './top-param-reader';

const MAX_WINDOW_MS = 24 * 3600_000;
const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 40;
/** Grouped statuses the increment API accepts besides the plain ones. */
const STATUS_GROUPS: Record<string, readonly string[]> = {
  ALL_WAIT_PAY: ['WAIT_BUYER_PAY', 'TRADE_NO_CREATE_PAY'],
  ALL_CLOSED: ['TRADE_CLOSED', 'TRADE_CLOSED_BY_TAOBAO'],
};

export function createTradeMethods(store: SandboxStore): Record<string, TopMethodHandler> {
  return {
    'taobao.trades.sold.increment.get': (p) => {
      const start = p.requiredTime('start_modified');
      const end = p.requiredTime('end_modified');
      if (end < start) throw topFailure.invalid('end_modified', 'end_modified 不能早于 start_modified');
      if (Date.parse(taobaoTimeToIso(end)) - Date.parse(taobaoTimeToIso(start)) > MAX_WINDOW_MS) {
        throw topFailure.invalid('start_modified', 'start_modified 与 end_modified 的间隔不能超过一天');
      }
      const statuses = statusFilter(p);
      const matching = store.state.trades
        .filter((t) => t.modified >= start && t.modified <= end && (!statuses || statuses.includes(t.status)))
        .sort((a, b) => a.modified.localeCompare(b.modified) || a.tid.localeCompare(b.tid));
      return page(p, matching, 'trades', 'trade');
    },

    'taobao.trade.fullinfo.get': (p) => {
      const tid = p.required('tid');
      if (!/^\d+$/.test(tid)) throw topFailure.invalid('tid', 'tid 应为数字');
      const trade = store.getTrade(tid);
      if (!trade) throw topFailure.remote(TOP_SUB_CODES.tradeNotExist, `交易 ${tid} 不存在`);
      return { trade: pickFields(trade, p.string('fields')) };
    },

    'taobao.refunds.receive.get': (p) => {
      const status = p.string('status');
      if (status && !(REFUND_STATUSES as readonly string[]).includes(status)) {
        throw topFailure.invalid('status', `退款状态 ${status} 无效`);
      }
      const start = p.time('start_modified');
      const end = p.time('end_modified');
      const buyerNick = p.string('buyer_nick');
      const matching = store.state.refunds
        .filter((r) => (!status || r.status === status) && (!buyerNick || r.buyer_nick === buyerNick))
        .filter((r) => (!start || r.modified >= start) && (!end || r.modified <= end))
        .sort((a, b) => a.modified.localeCompare(b.modified) || a.refund_id.localeCompare(b.refund_id));
      return page(p, matching, 'refunds', 'refund');
    },
  };
}

function statusFilter(p: TopParamReader): readonly string[] | undefined {
  const status = p.string('status');
  if (!status) return undefined;
  const group = STATUS_GROUPS[status];
  if (group) return group;
  if (!(TRADE_STATUSES as readonly string[]).includes(status)) throw topFailure.invalid('status', `交易状态 ${status} 无效`);
  return [status];
}

/** page_no from 1; with use_has_next the answer carries has_next instead of total_results. */
export function page<T extends object>(p: TopParamReader, rows: T[], listKey: string, itemKey: string): Record<string, unknown> {
  const pageNo = p.int('page_no', { min: 1, fallback: 1 });
  const pageSize = p.int('page_size', { min: 1, max: MAX_PAGE_SIZE, fallback: DEFAULT_PAGE_SIZE });
  const fields = p.string('fields');
  const slice = rows.slice((pageNo - 1) * pageSize, pageNo * pageSize).map((row) => pickFields(row, fields));
  return {
    ...(p.bool('use_has_next') ? { has_next: pageNo * pageSize < rows.length } : { total_results: rows.length }),
    ...(slice.length > 0 ? { [listKey]: { [itemKey]: slice } } : {}),
  };
}

/** `fields=tid,status,orders` gives whole sub-orders; `orders.title` gives only that sub-order field. */
export function pickFields<T extends object>(row: T, fields: string | undefined): Record<string, unknown> {
  const copy = structuredClone(row) as Record<string, unknown>;
  if (!fields) return copy;
  const wanted = new Set(fields.split(',').map((f) => f.trim()).filter(Boolean));
  const orderFields = [...wanted].filter((f) => f.startsWith('orders.')).map((f) => f.slice('orders.'.length));
  const picked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(copy)) {
    if (wanted.has(key)) picked[key] = value;
  }
  if (!wanted.has('orders') && orderFields.length > 0 && 'orders' in copy) {
    const orders = (copy.orders as { order: Array<Record<string, unknown>> }).order;
    picked.orders = {
      order: orders.map((o) => Object.fromEntries(Object.entries(o).filter(([k]) => orderFields.includes(k)))),
    };
  }
  return picked;
}
