/** Money is integer fen (分) everywhere; these convert at the edges (platform JSON, CSV, forms). */

const YUAN = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;

/** Parses a yuan amount such as "12.5" or "-3.20" into fen without going through floating point. */
export function yuanToFen(input: string | number): number {
  const text = typeof input === 'number' ? input.toFixed(2) : input.trim().replace(/[,¥￥\s]/g, '');
  const m = YUAN.exec(text);
  if (!m) throw new RangeError(`不是有效金额: "${String(input)}"`);
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -fen : fen;
}

/** Formats fen as yuan with two decimals, e.g. 1250 → "12.50". */
export function fenToYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
