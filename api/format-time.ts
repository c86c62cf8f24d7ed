/** Times are stored in UTC and shown in Asia/Shanghai, which has had no daylight saving since 1991, so a fixed +8 h is exact. */

const SHANGHAI_OFFSET_MS = 8 * 3600_000;

function toDate(value: Date | string | number | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** 'yyyy-MM-dd HH:mm' in Shanghai time, or '' for no time. */
export function formatShanghai(value: Date | string | number | null | undefined, withSeconds = false): string {
  const d = toDate(value);
  if (!d) return '';
  const iso = new Date(d.getTime() + SHANGHAI_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, withSeconds ? 19 : 16)}`;
}

/** The UTC instant at which a Shanghai calendar day (yyyy-MM-dd) begins. */
export function shanghaiDayStart(day: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) - SHANGHAI_OFFSET_MS);
}

/** Today's date in Shanghai as yyyy-MM-dd. */
export function shanghaiToday(now = new Date()): string {
  return new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}
