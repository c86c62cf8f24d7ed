/**
 * 现金银行 export: the matching money entries as CSV (UTF-8 with a BOM, so Excel reads the Chinese) or XLSX (exceljs's
 * streaming writer), written a chunk at a time while the response streams, so a year of entries never sits in memory.
 */
import type { Writable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/knex';
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { shanghaiToday } from '../format-time';
import { translate } from '../i18n/translate';
import { csvResponse } from '../exports/csv-response';
import { writeXlsx, xlsxResponse } from '../exports/xlsx-response';
import { EXPORT_COLUMNS, exportRow, moneyEntryChunks, type MoneyEntryQuery } from './finance-desk';

function fileName(q: MoneyEntryQuery, ext: string): string {
  const range = q.from || q.to ? `${q.from || 'start'}_${q.to || shanghaiToday()}` : shanghaiToday();
  return `money-entries-${range}.${ext}`;
}

export function moneyEntriesCsv(c: Context<AppEnv>, em: EntityManager, q: MoneyEntryQuery): Response {
  const locale = c.var.locale;
  return csvResponse({
    header: EXPORT_COLUMNS.map((k) => translate(locale, `money.col.${k}`)),
    chunks: moneyEntryChunks(em, q),
    toRow: (e) => exportRow(e, locale),
    fileName: fileName(q, 'csv'),
    decimals: 2,
  });
}

export function moneyEntriesXlsx(c: Context<AppEnv>, em: EntityManager, q: MoneyEntryQuery): Response {
  const locale = c.var.locale;
  const columns = EXPORT_COLUMNS.map((k) => ({
    key: k,
    header: translate(locale, `money.col.${k}`),
    width: k === 'time' || k === 'orderId' ? 22 : 14,
    ...(k === 'amount' ? { numFmt: '0.00' } : {}),
  }));
  const write = (out: Writable) => writeXlsx(out, { sheetName: translate(locale, 'nav.cashBank'), columns, chunks: moneyEntryChunks(em, q), toRow: (e) => exportRow(e, locale) });
  return xlsxResponse(write, fileName(q, 'xlsx'), 'finance');
}
