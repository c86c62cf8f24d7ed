/** The scan check (扫描验货): every item's barcode must be scanned, as often as it is ordered, and nothing else. */

export interface ScanLine {
  barcode: string;
  skuCode: string;
  title: string;
  spec: string;
  qty: number;
}

export interface ScanProgressLine extends ScanLine {
  scanned: number;
}

export type ScanVerdict =
  | { ok: true; line: ScanProgressLine; complete: boolean }
  | { ok: false; reason: string };

/** Sums the order's lines per barcode; a line without a barcode can never be checked and is reported. */
export function expectedScan(lines: readonly ScanLine[]): ScanProgressLine[] {
  const byBarcode = new Map<string, ScanProgressLine>();
  for (const l of lines) {
    const key = l.barcode.trim();
    const hit = byBarcode.get(key);
    if (hit) hit.qty += l.qty;
    else byBarcode.set(key, { ...l, barcode: key, scanned: 0 });
  }
  return [...byBarcode.values()];
}

/** Replays the scans made so far; the first wrong or extra one is the reason the parcel may not go. */
export function replayScans(lines: readonly ScanLine[], scanned: readonly string[]): { progress: ScanProgressLine[]; error: string | null } {
  const progress = expectedScan(lines);
  for (const code of scanned) {
    const verdict = applyScan(progress, code);
    if (!verdict.ok) return { progress, error: verdict.reason };
  }
  return { progress, error: null };
}

/** Applies one scan to the progress in place. */
export function applyScan(progress: ScanProgressLine[], barcode: string): ScanVerdict {
  const code = barcode.trim();
  if (!code) return { ok: false, reason: '条码为空' };
  const line = progress.find((p) => p.barcode === code);
  if (!line) return { ok: false, reason: `条码 ${code} 不是本订单的货品` };
  if (line.scanned >= line.qty) return { ok: false, reason: `${line.title} 已扫够 ${line.qty} 件，多扫了一件` };
  line.scanned += 1;
  return { ok: true, line, complete: progress.every((p) => p.scanned === p.qty) };
}

/** Whether the scans match the order exactly; otherwise a zh-CN reason naming what is missing or wrong. */
export function verifyScans(lines: readonly ScanLine[], scanned: readonly string[]): string | null {
  const { progress, error } = replayScans(lines, scanned);
  if (error) return error;
  const missing = progress.filter((p) => p.scanned < p.qty).map((p) => `${p.title}${p.spec ? `(${p.spec})` : ''} 还差 ${p.qty - p.scanned} 件`);
  return missing.length ? `验货未完成：${missing.join('，')}` : null;
}
