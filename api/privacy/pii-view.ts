/**
 * Who sees buyers' personal data in clear, and how a page or API answer is masked for everyone else. Lists are masked
 * for everyone by default and shown clear on request (`pii=clear`) to holders of `order.viewPii`, logged as one row;
 * one order's page or API answer is clear for them at once, logged too; everyone else gets the masked values.
 */
import type { Context } from 'hono';
import { can } from '../../domain/roles';
import { maskAddressDetail, maskName, maskNick, maskPhone, maskPii, maskPiiInText, type PiiFields, type PiiText } from '../../domain/pii-mask';
import type { AppEnv } from '../env';

export const PII_PARAM = 'pii';
export const PII_CLEAR = 'clear';

export function canViewPii(c: Context<AppEnv>): boolean {
  return can(c.var.user.roles, 'order.viewPii');
}

/** The request asks for clear values (`?pii=clear`); whether it may is canViewPii. */
export function asksClear(c: Context<AppEnv>): boolean {
  return c.req.query(PII_PARAM) === PII_CLEAR;
}

export interface ListPii {
  /** This list shows clear values (and the view is logged). */
  clear: boolean;
  /** The user may switch the list to clear values. */
  canClear: boolean;
  /** The same page with clear values, or with masked ones again. */
  clearHref: string;
  maskedHref: string;
}

/** A list's mode: clear only when asked and allowed; asking without the permission is answered by the caller (403). */
export function listPii(c: Context<AppEnv>): ListPii {
  const url = new URL(c.req.url);
  const canClear = canViewPii(c);
  const params = new URLSearchParams(url.search);
  params.set(PII_PARAM, PII_CLEAR);
  const clearHref = `${url.pathname}?${params.toString()}`;
  params.delete(PII_PARAM);
  const rest = params.toString();
  return { clear: canClear && asksClear(c), canClear, clearHref, maskedHref: `${url.pathname}${rest ? `?${rest}` : ''}` };
}

/** An order (or a row shaped like one) as this viewer may see it. */
export function showPii<T extends Partial<PiiFields & PiiText>>(o: T, clear: boolean): T {
  return clear ? o : maskPii(o);
}

/** The field names of audit before/after values that hold personal data, and how each is masked. */
const PII_CHANGE_FIELDS: Record<string, (v: string) => string> = {
  name: maskName,
  receiverName: maskName,
  mobile: maskPhone,
  receiverMobile: maskPhone,
  phone: maskPhone,
  receiverPhone: maskPhone,
  detail: maskAddressDetail,
  address: maskAddressDetail,
  buyerNick: maskNick,
};

/** A value of an audit row as a masked viewer may see it: a personal field masked, an object (receiver) field by field. */
function maskValue(key: string, text: string): string {
  const mask = PII_CHANGE_FIELDS[key];
  if (mask) return mask(text);
  if (!text.startsWith('{')) return text;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return text;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) out[k] = typeof v === 'string' && PII_CHANGE_FIELDS[k] ? PII_CHANGE_FIELDS[k](v) : v;
    return JSON.stringify(out);
  } catch {
    return text;
  }
}

/** Masks a timeline change whose field (or its last dotted part, receiver.mobile) is personal, or holds a receiver. */
export function maskChange<T extends { field: string; before: string; after: string }>(change: T): T {
  const key = change.field.split('.').pop() ?? change.field;
  return { ...change, before: maskValue(key, change.before), after: maskValue(key, change.after) };
}

/**
 * A timeline entry as a masked viewer may read it: personal fields of its changes masked, and its words (a courier's
 * refusal, a reason typed by staff) with phone numbers and the order's own receiver masked where quoted.
 */
export function maskTimelineEntry<T extends { reason: string; detail: string; changes: Array<{ field: string; before: string; after: string }> }>(
  entry: T,
  known: Partial<PiiFields> = {},
): T {
  return { ...entry, reason: maskPiiInText(entry.reason, known), detail: maskPiiInText(entry.detail, known), changes: entry.changes.map(maskChange) };
}
