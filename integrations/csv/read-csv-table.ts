/** Reads CSV text into rows addressed by column name, keeping the row numbers a seller sees in Excel. */
import { parse } from 'csv-parse/sync';

/** Cells by column key; a column the file lacks reads as ''. */
export interface CsvRecord<K extends string> {
  /** Excel row number: the header is row 1 and a multi-line quoted cell stays within one row. */
  row: number;
  cells: Record<K, string>;
  /** Every cell as read, by its header as the file spells it, for keeping the record verbatim. */
  raw: Record<string, string>;
}

export interface CsvTable<K extends string> {
  /** Keys whose column was found in the header. */
  present: ReadonlySet<K>;
  rows: CsvRecord<K>[];
}

/** The text is not CSV that can be read at all (an opening quote never closed, …). */
export class CsvReadError extends Error {
  constructor(
    readonly row: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvReadError';
  }
}

// Headers arrive as "订单编号 ", "=\"订单编号\"" or with a full-width space; compare them bare.
function normalizeHeader(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .replace(/^="(.*)"$/s, '$1')
    .replace(/[\s\u3000]/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')');
}

// Excel's "Unicode text" save is tab-separated; Taobao's own export is comma-separated.
function guessDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const tabs = firstLine.split('\t').length;
  const commas = firstLine.split(',').length;
  return tabs > commas ? '\t' : ',';
}

/**
 * Reads a table whose first row is the header and finds each wanted column by any of its names, so
 * extra, missing or reordered columns never shift a value into the wrong field.
 */
export function readCsvTable<K extends string>(
  text: string,
  columns: Readonly<Record<K, readonly string[]>>,
): CsvTable<K> {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), {
      delimiter: guessDelimiter(text),
      // Taobao writes order numbers as ="123…" without quoting the field.
      relax_quotes: true,
      relax_column_count: true,
      // Blank lines stay as records so that record i is Excel row i.
      skip_empty_lines: false,
    });
  } catch (err) {
    const done = (err as { records?: unknown }).records;
    const row = typeof done === 'number' ? done + 1 : 1;
    throw new CsvReadError(row, `第 ${row} 行起引号没有闭合，文件无法读取`);
  }

  const rawHeader = (records[0] ?? []).map((h) => h.replace(/^\uFEFF/, '').trim());
  const header = rawHeader.map(normalizeHeader);
  const keys = Object.keys(columns) as K[];
  const index = new Map<K, number>();
  for (const key of keys) {
    const at = header.findIndex((h) => columns[key].some((alias) => normalizeHeader(alias) === h));
    if (at >= 0) index.set(key, at);
  }

  const rows: CsvRecord<K>[] = [];
  records.forEach((cells, i) => {
    if (i === 0 || cells.every((c) => c.trim() === '')) return;
    const picked = {} as Record<K, string>;
    for (const key of keys) {
      const at = index.get(key);
      picked[key] = at === undefined ? '' : (cells[at] ?? '');
    }
    // A Map keeps the first of two same-named columns and never treats a header as a prototype key.
    const raw = new Map<string, string>();
    cells.forEach((c, at) => {
      const name = rawHeader[at] || `列${at + 1}`;
      if (!raw.has(name)) raw.set(name, c);
    });
    rows.push({ row: i + 1, cells: picked, raw: Object.fromEntries(raw) });
  });
  return { present: new Set(index.keys()), rows };
}
