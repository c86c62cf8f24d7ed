/** Page count of a PDF without a PDF library. */

const PAGE_OBJECT = /\/Type\s*\/Page(?![a-zA-Z])/g;

/**
 * Counts page objects in the file as Chromium writes it (uncompressed object headers); returns 0 when the
 * objects are compressed and cannot be seen, so callers treat 0 as "unknown", not as an empty PDF.
 */
export function countPdfPages(pdf: Buffer): number {
  return pdf.toString('latin1').match(PAGE_OBJECT)?.length ?? 0;
}
