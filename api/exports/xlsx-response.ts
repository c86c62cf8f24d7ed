/**
 * An XLSX download written by exceljs's streaming writer while the response streams, a chunk of rows at a time, so a
 * large export never sits in memory; a failure half-way ends the download instead of leaving it hanging.
 */
import { PassThrough, Readable, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';

export interface SheetColumn {
  key: string;
  header: string;
  width: number;
  /** An Excel number format for the column (e.g. '0.00' for yuan amounts). */
  numFmt?: string;
}

export interface SheetSpec<T> {
  sheetName: string;
  columns: readonly SheetColumn[];
  chunks: AsyncIterable<readonly T[]>;
  toRow: (row: T) => unknown[];
}

/** Writes the workbook to `out` as rows arrive; resolves with the number of rows when the workbook is complete. */
export async function writeXlsx<T>(out: Writable, spec: SheetSpec<T>): Promise<number> {
  const styled = spec.columns.some((c) => c.numFmt);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: styled, useSharedStrings: false });
  const sheet = workbook.addWorksheet(spec.sheetName);
  sheet.columns = spec.columns.map((c) => ({ header: c.header, key: c.key, width: c.width, ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}) }));
  let n = 0;
  for await (const chunk of spec.chunks) {
    for (const r of chunk) sheet.addRow(spec.toRow(r)).commit();
    n += chunk.length;
  }
  sheet.commit();
  await workbook.commit();
  return n;
}

/** Streams a workbook as an attachment; `what` names the export in the server log if writing it fails. */
export function xlsxResponse(write: (out: Writable) => Promise<unknown>, fileName: string, what: string): Response {
  const out = new PassThrough();
  write(out).catch((err: unknown) => {
    console.error(`[${what}] xlsx export failed:`, err);
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return new Response(Readable.toWeb(out) as ReadableStream<Uint8Array>, {
    headers: {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="${fileName}"`,
      'cache-control': 'no-store',
    },
  });
}
