/** Reads CSV text, as it is decoded, into rows addressed by column name, keeping the row numbers a seller sees in Excel. */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';

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
  /** The header row as the file spells it. */
  header: readonly string[];
  /** The data rows, read from the text as they are asked for (blank rows left out); throws CsvReadError on broken CSV. */
  rows: AsyncIterable<CsvRecord<K>>;
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
export function normalizeHeader(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .replace(/^="(.*)"$/s, '$1')
    .replace(/[\s\u3000]/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')');
}

/** Which of the wanted columns a header row holds, and where. */
export function findColumns<K extends string>(header: readonly string[], columns: Readonly<Record<K, readonly string[]>>): Map<K, number> {
  const bare = header.map(normalizeHeader);
  const index = new Map<K, number>();
  for (const key of Object.keys(columns) as K[]) {
    const at = bare.findIndex((h) => columns[key].some((alias) => normalizeHeader(alias) === h));
    if (at >= 0) index.set(key, at);
  }
  return index;
}

// Excel's "Unicode text" save is tab-separated; Taobao's own export is comma-separated.
function guessDelimiter(firstLine: string): string {
  return firstLine.split('\t').length > firstLine.split(',').length ? '\t' : ',';
}

function readError(err: unknown, rowsRead: number): CsvReadError {
  const done = (err as { records?: unknown }).records;
  const row = typeof done === 'number' ? done + 1 : rowsRead + 1;
  return new CsvReadError(row, `第 ${row} 行起引号没有闭合，文件无法读取`);
}

/** The text up to its first line break (or all of it), and the rest of the pieces untouched. */
async function firstLine(chunks: AsyncIterable<string>): Promise<{ line: string; text: AsyncIterable<string> }> {
  const it = chunks[Symbol.asyncIterator]();
  let seen = '';
  for (;;) {
    const next = await it.next();
    if (next.done) break;
    seen += next.value;
    if (/[\r\n]/.test(next.value)) break;
  }
  const start = seen.replace(/^\uFEFF/, '');
  async function* text(): AsyncGenerator<string> {
    if (start) yield start;
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
  }
  return { line: start.slice(0, start.search(/\r?\n|$/)), text: text() };
}

/**
 * Opens a table whose first row is the header and finds each wanted column by any of its names, so extra,
 * missing or reordered columns never shift a value into the wrong field. Rows stream from csv-parse: the
 * text is never held whole, and each record is turned into a row and let go before the next is read.
 */
export async function openCsvTable<K extends string>(
  chunks: AsyncIterable<string>,
  columns: Readonly<Record<K, readonly string[]>>,
): Promise<CsvTable<K>> {
  const { line, text } = await firstLine(chunks);
  const parser = parse({
    delimiter: guessDelimiter(line),
    // Taobao writes order numbers as ="123…" without quoting the field.
    relax_quotes: true,
    relax_column_count: true,
    // Blank lines stay as records so that record i is Excel row i.
    skip_empty_lines: false,
  });
  // The parser reports a source failure as its own error, which the row loop below throws.
  pipeline(Readable.from(text), parser).catch(() => undefined);
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;

  let first: IteratorResult<string[]>;
  try {
    first = await records.next();
  } catch (err) {
    throw readError(err, 0);
  }
  const rawHeader = (first.done ? [] : first.value).map((h) => h.replace(/^\uFEFF/, '').trim());
  const index = findColumns(rawHeader, columns);
  const keys = Object.keys(columns) as K[];

  async function* rows(): AsyncGenerator<CsvRecord<K>> {
    let row = 1;
    for (;;) {
      let next: IteratorResult<string[]>;
      try {
        next = await records.next();
      } catch (err) {
        throw readError(err, row);
      }
      if (next.done) return;
      row += 1;
      const cells = next.value;
      if (cells.every((c) => c.trim() === '')) continue;
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
      yield { row, cells: picked, raw: Object.fromEntries(raw) };
    }
  }
  return { present: new Set(index.keys()), header: rawHeader, rows: rows() };
}
