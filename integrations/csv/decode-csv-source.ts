/** Turns the bytes of a spreadsheet export into text, whichever encoding the seller's tools saved it in, a piece at a time. */
import { setImmediate as nextTurn } from 'node:timers/promises';
import iconv from 'iconv-lite';

export type CsvEncoding = 'utf-8-bom' | 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

/** An uploaded file (read again for each pass, never copied whole) or bytes already in memory. */
export type CsvSource = Uint8Array | Blob;

export interface DecodedCsv {
  encoding: CsvEncoding;
  /** The text in pieces, without the byte-order mark; each piece is decoded only when it is read. */
  chunks: AsyncIterable<string>;
}

// Small enough that one piece of parsing never holds the event loop for long, large enough to keep the parser busy.
const CHUNK_BYTES = 64 * 1024;

/** The source's bytes in pieces; between pieces the event loop serves other requests, so a 20 MB file never freezes the web app. */
export async function* csvBytes(source: CsvSource): AsyncGenerator<Uint8Array> {
  // A Blob's stream may hand over megabytes at once; those are cut again so no piece is large.
  const pieces = source instanceof Uint8Array ? [source] : (source.stream() as unknown as AsyncIterable<Uint8Array>);
  for await (const piece of pieces) {
    for (let at = 0; at < piece.length; at += CHUNK_BYTES) {
      yield piece.subarray(at, at + CHUNK_BYTES);
      await nextTurn();
    }
  }
}

async function head(source: CsvSource, n: number): Promise<Uint8Array> {
  return source instanceof Uint8Array ? source.subarray(0, n) : new Uint8Array(await source.slice(0, n).arrayBuffer());
}

/** Strictly valid UTF-8 from the first byte to the last, read in pieces (a character may straddle two). */
async function isUtf8Source(source: CsvSource): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const piece of csvBytes(source)) decoder.decode(piece, { stream: true });
    decoder.decode();
    return true;
  } catch {
    return false;
  }
}

async function* decodeWith(source: CsvSource, encoding: CsvEncoding, skip: number): AsyncGenerator<string> {
  const decoder = encoding.startsWith('utf-8') ? null : iconv.getDecoder(encoding === 'gb18030' ? 'gb18030' : encoding);
  const utf8 = new TextDecoder('utf-8');
  let left = skip;
  for await (const raw of csvBytes(source)) {
    const piece = left > 0 ? raw.subarray(Math.min(left, raw.length)) : raw;
    left = Math.max(0, left - raw.length);
    const text = decoder ? decoder.write(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength)) : utf8.decode(piece, { stream: true });
    if (text) yield text;
  }
  const rest = decoder ? (decoder.end() ?? '') : utf8.decode();
  if (rest) yield rest;
}

/**
 * Reads UTF-8 only when the bytes are strictly valid UTF-8 and falls back to GB18030 otherwise, because
 * Taobao's seller centre and Excel on Chinese Windows save GBK, which GB18030 decodes as a superset.
 * The check is a first pass over the bytes that keeps nothing, so the text is never held whole.
 */
export async function decodeCsvSource(source: CsvSource): Promise<DecodedCsv> {
  const bom = await head(source, 3);
  if (bom[0] === 0xef && bom[1] === 0xbb && bom[2] === 0xbf) return { encoding: 'utf-8-bom', chunks: decodeWith(source, 'utf-8-bom', 3) };
  // Excel's "Unicode text" save writes UTF-16 with a BOM; no other export we meet does.
  if (bom[0] === 0xff && bom[1] === 0xfe) return { encoding: 'utf-16le', chunks: decodeWith(source, 'utf-16le', 2) };
  if (bom[0] === 0xfe && bom[1] === 0xff) return { encoding: 'utf-16be', chunks: decodeWith(source, 'utf-16be', 2) };
  const encoding = (await isUtf8Source(source)) ? 'utf-8' : 'gb18030';
  return { encoding, chunks: decodeWith(source, encoding, 0) };
}
