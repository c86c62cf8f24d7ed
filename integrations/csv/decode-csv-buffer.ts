/** Turns the bytes of a spreadsheet export into text, whichever encoding the seller's tools saved it in. */
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

export type CsvEncoding = 'utf-8-bom' | 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

export interface DecodedCsv {
  text: string;
  encoding: CsvEncoding;
}

/**
 * Reads UTF-8 only when the bytes are strictly valid UTF-8 and falls back to GB18030 otherwise, because
 * Taobao's seller centre and Excel on Chinese Windows save GBK, which GB18030 decodes as a superset.
 */
export function decodeCsvBuffer(buf: Buffer): DecodedCsv {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    return { text: buf.subarray(3).toString('utf8'), encoding: 'utf-8-bom' };
  }
  // Excel's "Unicode text" save writes UTF-16 with a BOM; no other export we meet does.
  if (buf[0] === 0xff && buf[1] === 0xfe) {
    return { text: iconv.decode(buf.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  }
  if (buf[0] === 0xfe && buf[1] === 0xff) {
    return { text: iconv.decode(buf.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  }
  if (isUtf8(buf)) return { text: buf.toString('utf8'), encoding: 'utf-8' };
  return { text: iconv.decode(buf, 'gb18030'), encoding: 'gb18030' };
}
