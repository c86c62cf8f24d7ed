/**
 * How much text an order keeps per field. Platforms and CSV exports send text of any length; the order keeps at
 * most this much (the verbatim platform order keeps all of it), so a long buyer message can never make the
 * read-model write fail and wedge the order.
 */
import type { OrderDraft, Receiver } from './order-draft';

export const TEXT_LIMITS = {
  platformOrderNo: 64,
  buyerNick: 100,
  receiverName: 100,
  receiverMobile: 40,
  receiverPhone: 40,
  province: 40,
  city: 60,
  district: 60,
  address: 500,
  zip: 10,
  /** TEXT columns hold 65,535 bytes in MySQL: 2,000 characters of 4 bytes each fit with room to spare. */
  buyerMessage: 2_000,
  sellerMemo: 2_000,
  lineOid: 64,
  lineSkuCode: 60,
  lineTitle: 255,
  lineSpec: 255,
  reviewReasons: 500,
  alert: 255,
  syncLastError: 500,
  auditReason: 500,
} as const;

/** Cuts text to at most `max` characters (code points, as MySQL counts them), never splitting a character. */
export function fitText(value: string | null | undefined, max: number): string {
  const text = value ?? '';
  if (text.length <= max) return text;
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

export function fitReceiver(r: Receiver): Receiver {
  return {
    name: fitText(r.name, TEXT_LIMITS.receiverName),
    mobile: fitText(r.mobile, TEXT_LIMITS.receiverMobile),
    phone: fitText(r.phone, TEXT_LIMITS.receiverPhone),
    province: fitText(r.province, TEXT_LIMITS.province),
    city: fitText(r.city, TEXT_LIMITS.city),
    district: fitText(r.district, TEXT_LIMITS.district),
    detail: fitText(r.detail, TEXT_LIMITS.address),
    zip: fitText(r.zip, TEXT_LIMITS.zip),
  };
}

/** The draft as an order keeps it: every text field cut to what its column holds. */
export function fitDraft(draft: OrderDraft): OrderDraft {
  return {
    ...draft,
    buyerNick: fitText(draft.buyerNick, TEXT_LIMITS.buyerNick),
    receiver: fitReceiver(draft.receiver),
    buyerMessage: fitText(draft.buyerMessage, TEXT_LIMITS.buyerMessage),
    sellerMemo: fitText(draft.sellerMemo, TEXT_LIMITS.sellerMemo),
    lines: draft.lines.map((l) => ({
      ...l,
      oid: fitText(l.oid, TEXT_LIMITS.lineOid),
      skuCode: fitText(l.skuCode, TEXT_LIMITS.lineSkuCode),
      title: fitText(l.title, TEXT_LIMITS.lineTitle),
      spec: fitText(l.spec, TEXT_LIMITS.lineSpec),
    })),
  };
}
