/**
 * Reads a list the platform filters by `modified` without missing a row: ranges are cut into windows TOP
 * accepts (≤ 1 day), and a window that does not fit one page is halved until it does, so each window is
 * one request and rows that change during the read cannot shift a page under the reader.
 */

/** TOP refuses modified ranges longer than this. */
export const MAX_WINDOW_MS = 24 * 3600_000;
export const MAX_PAGE_SIZE = 100;

export interface ModifiedWindow {
  start: Date;
  end: Date;
}

/** One page of one window; the last page of a window is a safe cursor at windowEnd. */
export interface WindowPage<T> {
  windowStart: string;
  windowEnd: string;
  pageNo: number;
  rows: T[];
  windowDone: boolean;
}

/** One request: the rows of a page of a window, and whether the platform has more (use_has_next). */
export type FetchWindowPage<T> = (window: ModifiedWindow, pageNo: number, pageSize: number) => Promise<{ rows: T[]; hasNext: boolean }>;

/** Splits [start, end] into consecutive windows no longer than TOP allows. */
export function dayWindows(start: Date, end: Date): ModifiedWindow[] {
  if (!(start.getTime() <= end.getTime())) throw new RangeError(`时间范围无效: ${start.toISOString()} – ${end.toISOString()}`);
  const windows: ModifiedWindow[] = [];
  for (let from = start.getTime(); ; from += MAX_WINDOW_MS) {
    const to = Math.min(from + MAX_WINDOW_MS, end.getTime());
    windows.push({ start: new Date(from), end: new Date(to) });
    if (to >= end.getTime()) return windows;
  }
}

/** TOP takes 1–100 rows a page; 100 when not asked. */
export function clampPageSize(pageSize: number | undefined): number {
  return Math.min(Math.max(Math.trunc(pageSize ?? MAX_PAGE_SIZE), 1), MAX_PAGE_SIZE);
}

/**
 * Pages of every row modified in [start, end], windows in time order. Platform times have whole seconds, so
 * a window is halved on a second boundary; only a single second holding more rows than a page is read page
 * by page, and then read again until a pass finds nothing new (a row leaving the window shifts later rows forward).
 */
export async function* pagesByModifiedWindow<T>(
  range: { start: Date | string; end: Date | string; pageSize?: number },
  fetchPage: FetchWindowPage<T>,
  keyOf: (row: T) => string,
): AsyncGenerator<WindowPage<T>> {
  const pageSize = clampPageSize(range.pageSize);
  for (const day of dayWindows(new Date(range.start), new Date(range.end))) {
    yield* readWindow(day);
  }

  async function* readWindow(window: ModifiedWindow): AsyncGenerator<WindowPage<T>> {
    const windowStart = window.start.toISOString();
    const windowEnd = window.end.toISOString();
    const first = await fetchPage(window, 1, pageSize);
    if (!first.hasNext) {
      yield { windowStart, windowEnd, pageNo: 1, rows: first.rows, windowDone: true };
      return;
    }
    const fromSecond = Math.floor(window.start.getTime() / 1000);
    const toSecond = Math.floor(window.end.getTime() / 1000);
    if (fromSecond < toSecond) {
      const middle = Math.floor((fromSecond + toSecond) / 2);
      yield* readWindow({ start: window.start, end: new Date(middle * 1000) });
      yield* readWindow({ start: new Date((middle + 1) * 1000), end: window.end });
      return;
    }
    const seen = new Set(first.rows.map(keyOf));
    let pageNo = 1;
    yield { windowStart, windowEnd, pageNo, rows: first.rows, windowDone: false };
    let pending: T[] = [];
    for (let pass = 0; ; pass++) {
      let found = 0;
      for (let n = pass === 0 ? 2 : 1; ; n++) {
        const page = await fetchPage(window, n, pageSize);
        const fresh = page.rows.filter((row) => !seen.has(keyOf(row)));
        fresh.forEach((row) => seen.add(keyOf(row)));
        found += fresh.length;
        // Held back one page, so the window's last page (the one marked done) still carries rows.
        if (pending.length > 0) yield { windowStart, windowEnd, pageNo: ++pageNo, rows: pending, windowDone: false };
        pending = fresh;
        if (!page.hasNext) break;
      }
      if (found === 0 && pass > 0) break;
    }
    yield { windowStart, windowEnd, pageNo: pageNo + 1, rows: pending, windowDone: true };
  }
}
