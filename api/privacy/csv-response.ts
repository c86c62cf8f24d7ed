/** A CSV download (UTF-8 with a BOM, so Excel reads the Chinese) streamed a chunk of rows at a time, never held whole. */

export type CsvRow = Array<string | number>;

export function csvCell(v: string | number): string {
  const s = String(v);
  // A leading = + - @ in text would make a spreadsheet run it as a formula; numbers are numbers.
  const safe = typeof v !== 'number' && /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvResponse(header: readonly string[], chunks: AsyncGenerator<CsvRow[]>, fileName: string): Response {
  const encoder = new TextEncoder();
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`\uFEFF${header.map(csvCell).join(',')}\r\n`));
        return;
      }
      const next = await chunks.next();
      if (next.done) return controller.close();
      controller.enqueue(encoder.encode(next.value.map((r) => `${r.map(csvCell).join(',')}\r\n`).join('')));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${fileName}"`, 'cache-control': 'no-store' } });
}
