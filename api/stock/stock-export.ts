/**
 * 库存查询 export: the matching stock rows as CSV (UTF-8 with a BOM, so Excel reads the Chinese) or XLSX (exceljs's
 * streaming writer), read a chunk at a time while the response streams, so thousands of rows never sit in memory.
 */
import { PassThrough, Readable, type Writable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/knex';
import ExcelJS from 'exceljs';
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { shanghaiToday } from '../format-time';
import { translate, type Locale } from '../i18n/translate';
import { stockChunks, type StockQuery, type StockRow } from './stock-query';

export const STOCK_EXPORT_COLUMNS = ['skuCode', 'name', 'spec', 'barcode', 'warehouse', 'quality', 'onHand', 'reserved', 'available', 'inTransit'] as const;

function exportRow(r: StockRow, locale: Locale): Array<string | number> {
  return [r.skuCode, r.name, r.spec, r.barcode, r.warehouseName, translate(locale, `stock.quality.${r.quality}`), r.onHand, r.reserved, r.available, r.inTransit];
}

function csvCell(v: string | number): string {
  const s = String(v);
  // A leading = + - @ in text would make a spreadsheet run it as a formula; numbers are numbers.
  const safe = typeof v !== 'number' && /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const fileName = (ext: string) => `stock-${shanghaiToday()}.${ext}`;

export function stockCsv(c: Context<AppEnv>, em: EntityManager, q: StockQuery): Response {
  const locale = c.var.locale;
  const encoder = new TextEncoder();
  const chunks = stockChunks(em, q);
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`\uFEFF${STOCK_EXPORT_COLUMNS.map((k) => csvCell(translate(locale, `stock.col.${k}`))).join(',')}\r\n`));
        return;
      }
      const next = await chunks.next();
      if (next.done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(next.value.map((r) => `${exportRow(r, locale).map(csvCell).join(',')}\r\n`).join('')));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${fileName('csv')}"`, 'cache-control': 'no-store' },
  });
}

/** Writes the XLSX to `out` as rows arrive; resolves when the workbook is complete. Shared by the page and the benchmark. */
export async function writeStockXlsx(em: EntityManager, q: StockQuery, locale: Locale, out: Writable): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(translate(locale, 'nav.stockQuery'));
  sheet.columns = STOCK_EXPORT_COLUMNS.map((k) => ({ header: translate(locale, `stock.col.${k}`), key: k, width: k === 'name' ? 30 : 14 }));
  let n = 0;
  for await (const chunk of stockChunks(em, q)) {
    for (const r of chunk) sheet.addRow(exportRow(r, locale)).commit();
    n += chunk.length;
  }
  sheet.commit();
  await workbook.commit();
  return n;
}

export function stockXlsx(c: Context<AppEnv>, em: EntityManager, q: StockQuery): Response {
  const out = new PassThrough();
  // The workbook is written while the response streams; a failure ends the download instead of hanging it.
  writeStockXlsx(em, q, c.var.locale, out).catch((err: unknown) => {
    console.error('[stock] xlsx export failed:', err);
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return new Response(Readable.toWeb(out) as ReadableStream<Uint8Array>, {
    headers: {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="${fileName('xlsx')}"`,
      'cache-control': 'no-store',
    },
  });
}
