/**
 * 订单导出: the orders of a list filter as CSV (UTF-8 with a BOM, so Excel reads the Chinese) or XLSX, masked unless the
 * person may see buyers' data in clear and asked for it. An export is a bulk copy of buyers' data, so it is its own
 * permission (order.export), capped at MAX_EXPORT orders, and always written to the access log with its filter and
 * row count, masked or not.
 */
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { Context } from 'hono';
import { Order } from '../../db/entities';
import { fenToYuan } from '../../domain/money';
import { ORDER_STATUS_LABELS } from '../../domain/order-status';
import type { AppEnv } from '../env';
import { formatShanghai, shanghaiToday } from '../format-time';
import { translate, type Locale } from '../i18n/translate';
import { linesByOrder, orderBy, type OrderSort } from '../orders/order-list-query';
import { loadReferenceData, type ReferenceData } from '../orders/reference-data';
import { logPiiAccess } from './access-log';
import { csvResponse, type CsvRow } from '../exports/csv-response';
import { writeXlsx, xlsxResponse } from '../exports/xlsx-response';
import { showPii } from './pii-view';

/** The most orders one export writes: a larger filter is refused with a message to narrow it. */
export const MAX_EXPORT = 20_000;
const CHUNK = 500;

export const ORDER_EXPORT_COLUMNS = [
  'platformOrderNo', 'shop', 'status', 'buyerNick', 'receiverName', 'mobile', 'phone', 'province', 'city', 'district',
  'address', 'goods', 'paid', 'paidAt', 'courier', 'waybillNo',
] as const;

export interface OrderExportRequest {
  where: FilterQuery<Order>;
  sort: OrderSort;
  dir: 'asc' | 'desc';
  format: 'csv' | 'xlsx';
  clear: boolean;
  /** The filter in words, for the access log. */
  description: string;
}

async function* exportRows(em: EntityManager, req: OrderExportRequest, refs: ReferenceData, locale: Locale): AsyncGenerator<CsvRow[]> {
  for (let offset = 0; offset < MAX_EXPORT; offset += CHUNK) {
    const orders = await em.fork().find(Order, req.where, { orderBy: orderBy(req.sort, req.dir), limit: CHUNK, offset });
    if (!orders.length) return;
    const lines = await linesByOrder(em.fork(), orders.map((o) => o.id));
    yield orders.map((raw) => {
      const o = showPii(raw, req.clear);
      const goods = (lines.get(o.id) ?? []).map((l) => `${l.skuCode || l.title}×${l.qty}`).join('，');
      const status = locale === 'en' ? o.status : ORDER_STATUS_LABELS[o.status];
      return [o.platformOrderNo, refs.shopName(o.shopCode), status, o.buyerNick, o.receiverName, o.receiverMobile, o.receiverPhone, o.province, o.city, o.district, o.address, goods, Number(fenToYuan(o.paidFen)), formatShanghai(o.paidAt, true), refs.courierName(o.courierCode), o.waybillNo];
    });
    if (orders.length < CHUNK) return;
  }
}

/** Counts, logs and streams the export; answers { tooMany } with the count, writing nothing, when the filter matches more than MAX_EXPORT. */
export async function exportOrders(c: Context<AppEnv>, req: OrderExportRequest): Promise<{ tooMany: number } | Response> {
  const em = c.var.deps.db.em();
  const total = await em.count(Order, req.where);
  if (total > MAX_EXPORT) return { tooMany: total };
  await logPiiAccess(c, { action: 'export', description: `${req.clear ? '完整信息' : '脱敏'} ${req.format.toUpperCase()}：${req.description}`.trim(), rowCount: total });
  const refs = await loadReferenceData(em);
  const locale = c.var.locale;
  const header = ORDER_EXPORT_COLUMNS.map((k) => translate(locale, `export.col.${k}`));
  const name = `orders-${shanghaiToday()}.${req.format}`;
  const chunks = exportRows(em, req, refs, locale);
  if (req.format === 'csv') return csvResponse({ header, chunks, toRow: (r) => r, fileName: name });
  const columns = ORDER_EXPORT_COLUMNS.map((k, i) => ({ key: k, header: header[i] ?? k, width: k === 'address' || k === 'goods' ? 30 : 16 }));
  return xlsxResponse((out) => writeXlsx(out, { sheetName: translate(locale, 'nav.orders'), columns, chunks, toRow: (r) => r }), name, 'orders');
}
