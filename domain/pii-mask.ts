/**
 * How a buyer's personal data is shown to someone without `order.viewPii`: phones keep their first three digits
 * (or area code) and last four, names their first character (and last, from three characters on), the street part
 * of an address only its opening words before any number, and the buyer nick its first and last character.
 * Province, city and district stay readable: warehouses and reports need them, and they identify nobody.
 */

const STAR = '*';

/** The characters of a string as a person counts them (an emoji or rare hanzi outside the BMP is one, not two). */
const chars = (s: string): string[] => Array.from(s);

/** 13812348000 → 138****8000; 0571-88886666 → 0571-****6666; an already masked value comes back as it was. */
export function maskPhone(raw: string | null | undefined): string {
  const value = (raw ?? '').trim();
  if (!value) return '';
  // The platform (or an earlier mask) already hid the middle: showing it again reveals nothing more.
  if (/^[\d+\s()-]*\*{3,}[\d\s-]*$/.test(value) && value.replace(/\D/g, '').length <= 7) return value;
  const mobile = /^(\+?86[\s-]?)?(1\d{2})[\s-]?\d{4}[\s-]?(\d{4})$/.exec(value);
  if (mobile) return `${mobile[1] ?? ''}${mobile[2]}****${mobile[3]}`;
  // A landline with its area code (010, 0571…), the number of 7 or 8 digits, perhaps an extension after it.
  const landline = /^\(?(0\d{2,3})\)?[\s-]?\d{3,4}[\s-]?(\d{4})(?:[\s-]*(?:转|ext\.?|#|-)\s*\d{1,6})?$/i.exec(value);
  if (landline) return `${landline[1]}-****${landline[2]}`;
  // Anything else: every digit but the last four (and, on a long number, the first three) becomes a star.
  const digits = value.replace(/\D/g, '');
  if (!digits) return STAR.repeat(Math.min(chars(value).length, 4));
  const keepHead = digits.length >= 10 ? 3 : 0;
  const keepTail = digits.length >= 6 ? 4 : Math.min(2, digits.length - 1);
  return `${digits.slice(0, keepHead)}${STAR.repeat(Math.max(1, digits.length - keepHead - keepTail))}${keepTail ? digits.slice(-keepTail) : ''}`;
}

const HAN = /\p{Script=Han}/u;

/** 王小明 → 王*明, 王明 → 王*, 欧阳娜娜 → 欧**娜; John Smith → J*** S****. */
export function maskName(raw: string | null | undefined): string {
  const value = (raw ?? '').trim();
  if (!value) return '';
  const all = chars(value);
  if (all.some((ch) => HAN.test(ch)) || !/\s/.test(value)) {
    if (all.length === 1) return STAR;
    if (all.length === 2) return `${all[0]}${STAR}`;
    return `${all[0]}${STAR.repeat(all.length - 2)}${all[all.length - 1]}`;
  }
  // A name in Latin letters: each word keeps its initial, so "J*** S****" still reads as a person's name.
  return value
    .split(/\s+/)
    .map((word) => {
      const w = chars(word);
      return `${w[0] ?? ''}${STAR.repeat(Math.max(1, w.length - 1))}`;
    })
    .join(' ');
}

/**
 * The street part of an address (province, city and district are separate fields and stay as they are): the words
 * before the first digit, at most six characters, then stars, so 文三路100号5幢302室 reads 文三路****.
 */
export function maskAddressDetail(raw: string | null | undefined): string {
  const value = (raw ?? '').trim();
  if (!value) return '';
  const all = chars(value);
  const firstDigit = all.findIndex((ch) => /[0-9０-９]/.test(ch));
  const limit = Math.min(6, Math.floor(all.length / 2), firstDigit === -1 ? Infinity : firstDigit);
  return `${all.slice(0, Math.max(0, limit)).join('')}****`;
}

/** A buyer's platform account name: first and last character, the middle always two stars so its length does not show. */
export function maskNick(raw: string | null | undefined): string {
  const value = (raw ?? '').trim();
  if (!value) return '';
  const all = chars(value);
  if (all.length === 1) return STAR;
  if (all.length === 2) return `${all[0]}${STAR}`;
  return `${all[0]}**${all[all.length - 1]}`;
}

/** The fields of an order (or anything shaped like one) that name, reach or locate a buyer. */
export interface PiiFields {
  buyerNick: string;
  receiverName: string;
  receiverMobile: string;
  receiverPhone: string;
  address: string;
}

/** Free text on an order that may quote its buyer: their own message, a memo, a courier's or platform's refusal. */
export interface PiiText {
  buyerMessage: string;
  sellerMemo: string;
  alert: string;
  syncLastError: string;
}

const TEXT_FIELDS = ['buyerMessage', 'sellerMemo', 'alert', 'syncLastError'] as const;

// A mobile (optionally +86) or a landline with its area code, standing alone among other characters.
const PHONE_IN_TEXT = /(?<![\d*])(?:(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|0\d{2,3}-\d{7,8})(?![\d*])/g;

/**
 * Free text as a masked viewer may read it: every phone number in it masked, and the order's own receiver name,
 * phone and street masked wherever the text quotes them (a courier refusing "王小明 13800138000 文三路100号").
 */
export function maskPiiInText(text: string, known: Partial<PiiFields> = {}): string {
  if (!text) return text;
  let out = text;
  const quoted: Array<[string | undefined, (v: string) => string]> = [
    [known.address, maskAddressDetail],
    [known.receiverName, maskName],
    [known.receiverMobile, maskPhone],
    [known.receiverPhone, maskPhone],
  ];
  for (const [value, mask] of quoted) {
    const v = (value ?? '').trim();
    if (v.length >= 2 && !v.includes('*')) out = out.split(v).join(mask(v));
  }
  return out.replace(PHONE_IN_TEXT, (m) => maskPhone(m));
}

/** A copy with the personal fields masked; everything else (province, city, district, amounts, goods) as it was. */
export function maskPii<T extends Partial<PiiFields & PiiText>>(o: T): T {
  const out: T = { ...o };
  if (o.buyerNick !== undefined) out.buyerNick = maskNick(o.buyerNick);
  if (o.receiverName !== undefined) out.receiverName = maskName(o.receiverName);
  if (o.receiverMobile !== undefined) out.receiverMobile = maskPhone(o.receiverMobile);
  if (o.receiverPhone !== undefined) out.receiverPhone = maskPhone(o.receiverPhone);
  if (o.address !== undefined) out.address = maskAddressDetail(o.address);
  for (const field of TEXT_FIELDS) {
    const text = o[field];
    if (typeof text === 'string') out[field] = maskPiiInText(text, o) as T[typeof field];
  }
  return out;
}
