/**
 * 现金银行 export: the matching money entries as CSV (UTF-8 with a BOM, so Excel reads the Chinese) or XLSX (exceljs's
 * streaming writer), written a chunk at a time while the response streams, so a year of entries never sits in memory.
 */
import { PassThrough, Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/knex';
import ExcelJS from 'exceljs';
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { shanghaiToday } from '../format-time';
import { translate } from '../i18n/translate';
import { EXPORT_COLUMNS, exportRow, moneyEntryChunks, type MoneyEntryQuery } from './finance-desk';

function fileName(q: MoneyEntryQuery, ext: string): string {
  const range = q.from || q.to ? `${q.from || 'start'}_${q.to || shanghaiToday()}` : shanghaiToday();
  return `money-entries-${range}.${ext}`;
}

function csvCell(v: string | number): string {
  const s = typeof v === 'number' ? v.toFixed(2) : v;
  // A leading = + - @ would make a spreadsheet run it as a formula.
  const safe = /^[=+\-@]/.test(s) && typeof v !== 'number' ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function moneyEntriesCsv(c: Context<AppEnv>, em: EntityManager, q: MoneyEntryQuery): Response {
  const locale = c.var.locale;
  const encoder = new TextEncoder();
  const chunks = moneyEntryChunks(em, q);
  const header = `\uFEFF${EXPORT_COLUMNS.map((k) => csvCell(translate(locale, `money.col.${k}`))).join(',')}\r\n`;
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(header));
        return;
      }
      const next = await chunks.next();
      if (next.done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(next.value.map((e) => `${exportRow(e, locale).map(csvCell).join(',')}\r\n`).join('')));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${fileName(q, 'csv')}"`, 'cache-control': 'no-store' },
  });
}

export function moneyEntriesXlsx(c: Context<AppEnv>, em: EntityManager, q: MoneyEntryQuery): Response {
  const locale = c.var.locale;
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(translate(locale, 'nav.cashBank'));
  sheet.columns = EXPORT_COLUMNS.map((k) => ({ header: translate(locale, `money.col.${k}`), key: k, width: k === 'time' || k === 'orderId' ? 22 : 14, ...(k === 'amount' ? { style: { numFmt: '0.00' } } : {}) }));
  const write = async () => {
    for await (const chunk of moneyEntryChunks(em, q)) for (const e of chunk) sheet.addRow(exportRow(e, locale)).commit();
    sheet.commit();
    await workbook.commit();
  };
  // The workbook is written while the response streams; a failure ends the download instead of hanging it.
  write().catch((err: unknown) => {
    console.error('[finance] xlsx export failed:', err);
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return new Response(Readable.toWeb(out) as ReadableStream<Uint8Array>, {
    headers: {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="${fileName(q, 'xlsx')}"`,
      'cache-control': 'no-store',
    },
  });
}
