/** Which orders a batch form names: checked rows (id@version as the person saw them), one row, or every match of the filter. */
import { MAX_BATCH } from './order-list-query';

export interface OrderPick {
  id: string;
  version: number;
}

/** Parses "order:shop:123@4"; ids hold colons, so the version is what follows the last @. */
export function parsePick(value: string): OrderPick | null {
  const at = value.lastIndexOf('@');
  if (at <= 0) return null;
  const version = Number(value.slice(at + 1));
  const id = value.slice(0, at);
  if (!Number.isInteger(version) || version < 0 || id.length > 120) return null;
  return { id, version };
}

export function parsePicks(values: readonly string[]): OrderPick[] | null {
  const seen = new Set<string>();
  const out: OrderPick[] = [];
  for (const v of values) {
    const p = parsePick(v);
    if (!p) return null;
    if (seen.has(p.id)) continue;
    seen.add(p.id);
    out.push(p);
  }
  return out.slice(0, MAX_BATCH);
}
