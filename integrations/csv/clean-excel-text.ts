/** Undoes what Taobao's export and Excel do to keep long numbers as text, so cells read as the seller typed them. */

/**
 * Strips the ="…" formula wrapper, a leading apostrophe or tab and surrounding spaces, and reads
 * Taobao's literal "null" as empty; line breaks inside the text are kept as "\n".
 */
export function cleanExcelText(value: string): string {
  let v = value.replace(/\r\n?/g, '\n').trim();
  const formula = /^="(.*)"$/s.exec(v);
  if (formula) v = (formula[1] ?? '').trim();
  v = v.replace(/^['\t]+/, '').trim();
  return v.toLowerCase() === 'null' ? '' : v;
}
