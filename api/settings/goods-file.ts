/**
 * 货品档案 as a file, for import and export alike (so an export imports back unchanged): CSV (UTF-8 with a BOM, or
 * GBK as Excel on Chinese Windows saves it) or XLSX through exceljs. Columns are found by their Chinese or English
 * header in any order; a column left out of an import keeps what the SKU has (a new SKU gets the default).
 */
import type { Writable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/knex';
import ExcelJS from 'exceljs';
import type { Context } from 'hono';
import { formatComponents, parseComponents, type SkuInput, type SkuRowError, type SkuRowInput } from '../../db/settings/save-skus';
import { fenToYuan, yuanToFen } from '../../domain/money';
import { decodeCsvSource } from '../../integrations/csv/decode-csv-source';
import { findColumns, openCsvTable, CsvReadError } from '../../integrations/csv/open-csv-table';
import type { AppEnv } from '../env';
import { csvResponse } from '../exports/csv-response';
import { writeXlsx, xlsxResponse } from '../exports/xlsx-response';
import { shanghaiToday } from '../format-time';
import { translate, type Locale } from '../i18n/translate';
import { goodsChunks, type GoodsQuery, type GoodsRow } from './goods-list';
import { Product, Sku, BundleComponent } from '../../db/entities';

export const GOODS_COLUMNS = ['code', 'barcode', 'name', 'spec', 'productCode', 'weightGrams', 'cost', 'price', 'active', 'components'] as const;
export type GoodsColumn = (typeof GOODS_COLUMNS)[number];

/** Headers an import recognises: both catalogs' words and the usual 网店管家 ones. */
const ALIASES: Record<GoodsColumn, readonly string[]> = {
  code: ['商家编码', 'SKU code', '货品编码', '规格编码', 'code'],
  barcode: ['条码', 'Barcode', '条形码', 'barcode'],
  name: ['货品名称', 'Name', '名称', '商品名称', 'name'],
  spec: ['规格', 'Spec', '规格名称', 'spec'],
  productCode: ['货品编号', 'Product code', '款号', 'productCode'],
  weightGrams: ['重量(克)', 'Weight (g)', '重量', 'weightGrams'],
  cost: ['成本价', 'Cost', '成本', 'cost'],
  price: ['售价', 'Price', '零售价', '销售价', 'price'],
  active: ['启用', 'Active', '状态', 'active'],
  components: ['组合明细', 'Bundle components', '组合装明细', 'components'],
};

export const MAX_IMPORT_ROWS = 50_000;

export function goodsHeader(locale: Locale): string[] {
  return GOODS_COLUMNS.map((k) => translate(locale, `goods.col.${k}`));
}

export function goodsFileRow(r: GoodsRow, locale: Locale): Array<string | number> {
  return [
    r.code, r.barcode, r.name, r.spec, r.productCode, r.weightGrams, fenToYuan(r.costFen), fenToYuan(r.priceFen),
    translate(locale, r.active ? 'goods.yes' : 'goods.no'), formatComponents(r.components),
  ];
}

// ---- import --------------------------------------------------------------------------------------

/** One row as read: the cells present (absent columns undefined), and the file's row number. */
export interface GoodsFileRow {
  row: number;
  cells: Partial<Record<GoodsColumn, string>>;
}

export type GoodsFileRead = { ok: true; rows: GoodsFileRow[] } | { ok: false; errors: SkuRowError[] };

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('text' in v && typeof v.text === 'string') return v.text;
  if ('result' in v) return v.result === undefined || v.result === null ? '' : cellText(v.result as ExcelJS.CellValue);
  return '';
}

const missingColumns = (present: (k: GoodsColumn) => boolean): SkuRowError[] =>
  (['code', 'name'] as const).filter((k) => !present(k)).map((k) => ({ row: 1, code: '', message: `文件缺少“${ALIASES[k][0]}”列（第 1 行应是表头）` }));

/** Reads an uploaded CSV or XLSX into rows; a file that cannot be read at all is one error on row 1. */
export async function readGoodsFile(file: File): Promise<GoodsFileRead> {
  const isXlsx = /\.xlsx$/i.test(file.name) || file.type.includes('spreadsheetml');
  const rows: GoodsFileRow[] = [];
  if (isXlsx) {
    const book = new ExcelJS.Workbook();
    try {
      await book.xlsx.load(await file.arrayBuffer());
    } catch {
      return { ok: false, errors: [{ row: 1, code: '', message: '文件不是有效的 XLSX 表格，请用 Excel 另存为 .xlsx 或 .csv 后再导入' }] };
    }
    const sheet = book.worksheets[0];
    if (!sheet) return { ok: false, errors: [{ row: 1, code: '', message: '表格里没有工作表' }] };
    const header = ((sheet.getRow(1).values as ExcelJS.CellValue[]) ?? []).slice(1).map(cellText);
    const index = findColumns(header, ALIASES);
    const missing = missingColumns((k) => index.has(k));
    if (missing.length) return { ok: false, errors: missing };
    sheet.eachRow({ includeEmpty: false }, (row, n) => {
      if (n === 1) return;
      const cells: Partial<Record<GoodsColumn, string>> = {};
      for (const [k, at] of index) cells[k] = cellText(row.getCell(at + 1).value).trim();
      if (Object.values(cells).some((v) => v)) rows.push({ row: n, cells });
    });
  } else {
    try {
      const decoded = await decodeCsvSource(file);
      const table = await openCsvTable(decoded.chunks, ALIASES);
      const missing = missingColumns((k) => table.present.has(k));
      if (missing.length) return { ok: false, errors: missing };
      for await (const r of table.rows) {
        const cells: Partial<Record<GoodsColumn, string>> = {};
        for (const k of table.present) cells[k] = (r.cells[k] ?? '').trim();
        if (Object.values(cells).some((v) => v)) rows.push({ row: r.row, cells });
        if (rows.length > MAX_IMPORT_ROWS) break;
      }
    } catch (err) {
      if (err instanceof CsvReadError) return { ok: false, errors: [{ row: err.row, code: '', message: err.message }] };
      throw err;
    }
  }
  if (rows.length > MAX_IMPORT_ROWS) return { ok: false, errors: [{ row: 1, code: '', message: `一次最多导入 ${MAX_IMPORT_ROWS} 行，请分成几个文件` }] };
  if (!rows.length) return { ok: false, errors: [{ row: 2, code: '', message: '文件里没有货品行' }] };
  return { ok: true, rows };
}

/** A partial SKU: only what the file or the API gave; the rest comes from the SKU as it is (or the defaults). */
export type PartialSku = Partial<SkuInput> & { code: string };

const YES = new Set(['是', 'y', 'yes', '1', 'true', '启用', '在用', 'active']);
const NO = new Set(['否', 'n', 'no', '0', 'false', '停用', 'inactive']);

/** Turns the text cells of a row into a partial SKU, or the row's problems. */
export function partialFromCells(cells: Partial<Record<GoodsColumn, string>>): { sku: PartialSku; errors: string[] } {
  const errors: string[] = [];
  const sku: PartialSku = { code: cells.code ?? '' };
  if (cells.barcode !== undefined) sku.barcode = cells.barcode;
  if (cells.name !== undefined) sku.name = cells.name;
  if (cells.spec !== undefined) sku.spec = cells.spec;
  if (cells.productCode !== undefined) sku.productCode = cells.productCode;
  if (cells.weightGrams !== undefined && cells.weightGrams !== '') {
    const n = Number(cells.weightGrams);
    if (!Number.isInteger(n)) errors.push(`重量“${cells.weightGrams}”应为整数克`);
    else sku.weightGrams = n;
  }
  for (const [k, field, label] of [['cost', 'costFen', '成本价'], ['price', 'priceFen', '售价']] as const) {
    const text = cells[k];
    if (text === undefined || text === '') continue;
    try {
      sku[field] = yuanToFen(text);
    } catch {
      errors.push(`${label}“${text}”不是有效金额（元，最多两位小数）`);
    }
  }
  if (cells.active !== undefined && cells.active !== '') {
    const v = cells.active.toLowerCase();
    if (YES.has(v)) sku.active = true;
    else if (NO.has(v)) sku.active = false;
    else errors.push(`启用应填“是”或“否”，不是“${cells.active}”`);
  }
  if (cells.components !== undefined) {
    const parsed = parseComponents(cells.components);
    if (parsed.error) errors.push(parsed.error);
    else sku.components = parsed.components;
  }
  return { sku, errors };
}

/** Fills what a partial SKU leaves out from the SKU as stored (read in chunks), or the defaults for a new one. */
export async function completeSkus(em: EntityManager, partials: Array<{ row: number; sku: PartialSku }>): Promise<SkuRowInput[]> {
  const codes = [...new Set(partials.map((p) => p.sku.code).filter(Boolean))];
  const stored = new Map<string, Sku>();
  const products = new Map<number, string>();
  const parts = new Map<string, Array<{ code: string; qty: number }>>();
  for (let i = 0; i < codes.length; i += 500) {
    const chunk = codes.slice(i, i + 500);
    for (const s of await em.find(Sku, { code: { $in: chunk } })) stored.set(s.code, s);
    for (const b of await em.find(BundleComponent, { bundleSkuCode: { $in: chunk } }, { orderBy: { id: 'asc' } })) {
      parts.set(b.bundleSkuCode, [...(parts.get(b.bundleSkuCode) ?? []), { code: b.componentSkuCode, qty: b.qty }]);
    }
  }
  const productIds = [...new Set([...stored.values()].map((s) => s.productId))];
  for (let i = 0; i < productIds.length; i += 500) {
    for (const p of await em.find(Product, { id: { $in: productIds.slice(i, i + 500) } })) products.set(p.id, p.code);
  }
  return partials.map(({ row, sku }) => {
    const old = stored.get(sku.code);
    return {
      row,
      input: {
        code: sku.code,
        barcode: sku.barcode ?? old?.barcode ?? '',
        name: sku.name ?? old?.name ?? '',
        spec: sku.spec ?? old?.spec ?? '',
        productCode: sku.productCode || (old ? (products.get(old.productId) ?? '') : ''),
        weightGrams: sku.weightGrams ?? old?.weightGrams ?? 0,
        costFen: sku.costFen ?? old?.costFen ?? 0,
        priceFen: sku.priceFen ?? old?.priceFen ?? 0,
        active: sku.active ?? old?.active ?? true,
        components: sku.components ?? parts.get(sku.code) ?? [],
      },
    };
  });
}

// ---- export --------------------------------------------------------------------------------------

const fileName = (ext: string) => `goods-${shanghaiToday()}.${ext}`;
type ExportQuery = Pick<GoodsQuery, 'q' | 'active' | 'kind' | 'sort' | 'dir'>;

export function goodsCsv(c: Context<AppEnv>, em: EntityManager, q: ExportQuery): Response {
  const locale = c.var.locale;
  return csvResponse({ header: goodsHeader(locale), chunks: goodsChunks(em, q), toRow: (r) => goodsFileRow(r, locale), fileName: fileName('csv') });
}

export function writeGoodsXlsx(em: EntityManager, q: ExportQuery, locale: Locale, out: Writable): Promise<number> {
  return writeXlsx(out, {
    sheetName: translate(locale, 'nav.products'),
    columns: goodsHeader(locale).map((header, i) => ({ header, key: GOODS_COLUMNS[i] ?? String(i), width: i === 2 ? 30 : 14 })),
    chunks: goodsChunks(em, q),
    // Codes and barcodes stay text, so Excel neither rounds a 13-digit barcode nor drops a leading zero.
    toRow: (r) => goodsFileRow(r, locale),
  });
}

export function goodsXlsx(c: Context<AppEnv>, em: EntityManager, q: ExportQuery): Response {
  return xlsxResponse((out) => writeGoodsXlsx(em, q, c.var.locale, out), fileName('xlsx'), 'goods');
}
