/**
 * 库存查询 export: the matching stock rows as CSV (UTF-8 with a BOM, so Excel reads the Chinese) or XLSX (exceljs's
 * streaming writer), read a chunk at a time while the response streams, so thousands of rows never sit in memory.
 */
import type { Writable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/knex';
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { shanghaiToday } from '../format-time';
import { translate, type Locale } from '../i18n/translate';
import { csvResponse } from '../exports/csv-response';
import { writeXlsx, xlsxResponse } from '../exports/xlsx-response';
import { stockChunks, type StockQuery, type StockRow } from './stock-query';

export const STOCK_EXPORT_COLUMNS = ['skuCode', 'name', 'spec', 'barcode', 'warehouse', 'quality', 'onHand', 'reserved', 'available', 'inTransit'] as const;

function exportRow(r: StockRow, locale: Locale): Array<string | number> {
  return [r.skuCode, r.name, r.spec, r.barcode, r.warehouseName, translate(locale, `stock.quality.${r.quality}`), r.onHand, r.reserved, r.available, r.inTransit];
}

const fileName = (ext: string) => `stock-${shanghaiToday()}.${ext}`;

export function stockCsv(c: Context<AppEnv>, em: EntityManager, q: StockQuery): Response {
  const locale = c.var.locale;
  return csvResponse({
    header: STOCK_EXPORT_COLUMNS.map((k) => translate(locale, `stock.col.${k}`)),
    chunks: stockChunks(em, q),
    toRow: (r) => exportRow(r, locale),
    fileName: fileName('csv'),
  });
}

/** Writes the XLSX to `out` as rows arrive; resolves when the workbook is complete. Shared by the page and the benchmark. */
export function writeStockXlsx(em: EntityManager, q: StockQuery, locale: Locale, out: Writable): Promise<number> {
  return writeXlsx(out, {
    sheetName: translate(locale, 'nav.stockQuery'),
    columns: STOCK_EXPORT_COLUMNS.map((k) => ({ key: k, header: translate(locale, `stock.col.${k}`), width: k === 'name' ? 30 : 14 })),
    chunks: stockChunks(em, q),
    toRow: (r) => exportRow(r, locale),
  });
}

export function stockXlsx(c: Context<AppEnv>, em: EntityManager, q: StockQuery): Response {
  return xlsxResponse((out) => writeStockXlsx(em, q, c.var.locale, out), fileName('xlsx'), 'stock');
}
