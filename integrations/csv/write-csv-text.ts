/** Writes rows as CSV text that Excel and Taobao-style readers open unchanged. */

/** Quotes only cells that need it (comma, quote, line break, edge spaces) and ends lines with CRLF as Excel does. */
export function writeCsvText(rows: ReadonlyArray<ReadonlyArray<string>>): string {
  const cell = (v: string): string => (/[",\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
