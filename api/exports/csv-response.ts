/** A CSV download (UTF-8 with a BOM, so Excel reads the Chinese) streamed a chunk of rows at a time, never held whole. */

export type CsvRow = Array<string | number>;

/**
 * One cell: text that starts like a formula (= + - @) is prefixed with ' so a spreadsheet shows it instead of running it;
 * numbers are numbers (a negative amount is not a formula), with a fixed count of decimals where the export asks.
 */
export function csvCell(v: string | number, decimals?: number): string {
  const s = typeof v === 'number' ? (decimals === undefined ? String(v) : v.toFixed(decimals)) : v;
  const safe = typeof v !== 'number' && /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export interface CsvSpec<T> {
  header: readonly string[];
  chunks: AsyncGenerator<readonly T[]>;
  toRow: (row: T) => CsvRow;
  fileName: string;
  /** Decimals every number is written with (amounts in yuan: 2); as they are when absent. */
  decimals?: number;
}

export function csvResponse<T>(spec: CsvSpec<T>): Response {
  const encoder = new TextEncoder();
  const line = (cells: CsvRow) => `${cells.map((v) => csvCell(v, spec.decimals)).join(',')}\r\n`;
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`\uFEFF${line([...spec.header])}`));
        return;
      }
      const next = await spec.chunks.next();
      if (next.done) return controller.close();
      controller.enqueue(encoder.encode(next.value.map((r) => line(spec.toRow(r))).join('')));
    },
    async cancel() {
      await spec.chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${spec.fileName}"`, 'cache-control': 'no-store' },
  });
}
