/**
 * Turns a settings record's audit rows into the 修改记录 a seller's admin reads: each changed field as
 * "字段名：旧值 → 新值" with the form's own labels, 是/否, ¥ amounts, lists joined with 、, and a secret only as 已修改.
 */
import type { AuditEvent } from '../../db/entities';
import { COURIER_PROVIDER_LABELS, COURIER_TEMPLATE_LABELS } from '../../db/settings/save-courier';
import { WAREHOUSE_KIND_LABELS } from '../../db/settings/save-warehouse';
import { SHOP_PLATFORM_LABELS } from '../../db/settings/shop-fields';
import { fenToYuan } from '../../domain/money';
import { formatShanghai } from '../format-time';
import { auditActionLabel } from '../i18n/audit-actions';
import { translate, type Locale, type MessageKey } from '../i18n/translate';

type Show = 'text' | 'bool' | 'fen' | 'list' | 'secret' | 'time' | ((value: unknown, locale: Locale) => string);
type Field = { label: MessageKey; show?: Show };

const zhEn = (labels: Record<string, { zh: string; en: string } | string>) => (v: unknown, locale: Locale) => {
  const label = labels[String(v)];
  if (label === undefined) return String(v);
  return typeof label === 'string' ? label : label[locale === 'en' ? 'en' : 'zh'];
};

/** Field order is the form's; a field not listed still shows, under its stored name, so nothing is hidden. */
const FIELDS: Record<string, Record<string, Field>> = {
  warehouse: {
    code: { label: 'places.code' }, name: { label: 'places.name' }, kind: { label: 'places.kind', show: zhEn(WAREHOUSE_KIND_LABELS) },
    isDefault: { label: 'history.field.isDefaultWarehouse', show: 'bool' }, active: { label: 'places.active', show: 'bool' },
    allowNegative: { label: 'places.allowNegative', show: 'bool' },
    contactName: { label: 'places.contactName' }, contactPhone: { label: 'places.contactPhone' }, province: { label: 'places.province' },
    city: { label: 'places.city' }, district: { label: 'places.district' }, detail: { label: 'places.detail' },
  },
  courier: {
    code: { label: 'places.code' }, name: { label: 'places.name' }, provider: { label: 'places.provider', show: zhEn(COURIER_PROVIDER_LABELS) },
    template: { label: 'places.template', show: zhEn(COURIER_TEMPLATE_LABELS) }, shopCode: { label: 'places.waybillShop' },
    cpCode: { label: 'places.cpCode' }, branchCode: { label: 'places.branchCode' }, regionsNotServed: { label: 'places.regionsNotServed', show: 'list' },
    isDefault: { label: 'history.field.isDefaultCourier', show: 'bool' }, active: { label: 'places.active', show: 'bool' },
    reuseCancelled: { label: 'places.reuseCancelled', show: 'bool' }, lowRollThreshold: { label: 'places.lowRollThreshold' },
    privacyWaybill: { label: 'places.privacyShort', show: 'bool' },
  },
  number_roll: {
    importId: { label: 'places.importSource', show: () => '' },
    kind: { label: 'history.field.importKind', show: (v, l) => translate(l, v === 'range' ? 'history.importKind.range' : 'history.importKind.list') },
    requested: { label: 'places.requested' }, added: { label: 'places.added' }, duplicates: { label: 'places.duplicates' },
    alreadyPresent: { label: 'places.alreadyPresent' },
  },
  shop: {
    code: { label: 'shops.code' }, platform: { label: 'shops.platform', show: zhEn(SHOP_PLATFORM_LABELS) }, name: { label: 'shops.name' },
    apiUrl: { label: 'shops.apiUrl' }, appKey: { label: 'history.field.appKey' },
    appSecretSet: { label: 'history.field.appSecret', show: (v, l) => translate(l, v ? 'history.set' : 'history.notSet') },
    sessionKeySet: { label: 'history.field.sessionKey', show: (v, l) => translate(l, v ? 'history.set' : 'history.notSet') },
    appSecret: { label: 'history.field.appSecret', show: 'secret' }, sessionKey: { label: 'history.field.sessionKey', show: 'secret' },
    signMethod: { label: 'shops.signMethod' }, pullIntervalSeconds: { label: 'shops.pullInterval' }, shipByHours: { label: 'shops.shipByHours' },
    returnRemindDays: { label: 'shops.returnRemindDays' }, returnCloseDays: { label: 'shops.returnCloseDays' },
    active: { label: 'places.active', show: 'bool' }, authExpiredAt: { label: 'history.field.authExpiredAt', show: 'time' },
  },
  sku: {
    code: { label: 'goods.col.code' }, barcode: { label: 'goods.col.barcode' }, name: { label: 'goods.col.name' }, spec: { label: 'goods.col.spec' },
    productCode: { label: 'goods.col.productCode' }, weightGrams: { label: 'goods.col.weightGrams' },
    costFen: { label: 'goods.col.cost', show: 'fen' }, priceFen: { label: 'goods.col.price', show: 'fen' },
    active: { label: 'goods.col.active', show: 'bool' }, components: { label: 'goods.col.components', show: (v) => String(v).split(';').join('、') },
  },
};

/** One line of a history row: "寄件电话：0571-88886666 → 0571-88880000", or "类型 普通仓" in a listing. */
export interface ChangeLine { label: string; before: string; after: string; text: string }

export interface ChangeHistoryRow {
  at: Date;
  actor: string;
  actorName: string;
  action: string;
  actionLabel: string;
  reason: string;
  /** A record added (or read before deletion) lists its fields once instead of before → after; prefix ends in its colon. */
  listing: { prefix: string; text: string } | null;
  changes: ChangeLine[];
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

function showValue(field: Field | undefined, v: unknown, locale: Locale): string {
  const show = field?.show ?? 'text';
  if (show === 'secret') return translate(locale, 'history.changed');
  if (typeof show === 'function' && !isEmpty(v)) return show(v, locale);
  if (show === 'bool' || typeof v === 'boolean') return translate(locale, v ? 'history.yes' : 'history.no');
  if (isEmpty(v)) return translate(locale, 'history.empty');
  if (show === 'fen') return `¥${fenToYuan(Number(v))}`;
  if (show === 'time') return formatShanghai(v as string);
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join('、');
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function keysOf(fields: Record<string, Field>, ...records: Array<Record<string, unknown> | null>): string[] {
  const present = new Set(records.flatMap((r) => (r ? Object.keys(r) : [])));
  return [...Object.keys(fields).filter((k) => present.has(k)), ...[...present].filter((k) => !(k in fields))];
}

const colon = (locale: Locale) => (locale === 'en' ? ': ' : '：');

const labelOf = (fields: Record<string, Field>, key: string, locale: Locale) => (fields[key] ? translate(locale, fields[key].label) : key);

function listing(fields: Record<string, Field>, values: Record<string, unknown>, locale: Locale): string {
  const sep = locale === 'en' ? ', ' : '，';
  return keysOf(fields, values)
    .filter((k) => !isEmpty(values[k]) && !(fields[k]?.show instanceof Function && fields[k].show(values[k], locale) === ''))
    .map((k) => `${labelOf(fields, k, locale)} ${showValue(fields[k], values[k], locale)}`)
    .join(sep);
}

/** The audit rows of one record (any of the settings entity types), newest first as given, in the reader's words. */
export function changeHistory(locale: Locale, events: AuditEvent[]): ChangeHistoryRow[] {
  return events.map((e) => {
    const fields = FIELDS[e.entityType] ?? {};
    const before = e.before;
    const after = e.after;
    const row = {
      at: e.at, actor: e.actor, actorName: e.actorName || e.actor, action: e.action,
      actionLabel: auditActionLabel(locale, e.action), reason: e.reason, listing: null, changes: [],
    } satisfies Partial<ChangeHistoryRow> as ChangeHistoryRow;
    if (!before || !after) {
      const values = after ?? before;
      if (values) {
        const prefix = !after ? translate(locale, 'history.deleted') : /create$/.test(e.action) ? translate(locale, 'history.created') : '';
        row.listing = { prefix: prefix && `${prefix}${colon(locale)}`, text: listing(fields, values, locale) };
      }
      return row;
    }
    for (const key of keysOf(fields, before, after)) {
      if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
      const label = labelOf(fields, key, locale);
      const b = showValue(fields[key], before[key], locale);
      const a = showValue(fields[key], after[key], locale);
      const text = fields[key]?.show === 'secret' ? `${label}${colon(locale)}${a}` : `${label}${colon(locale)}${b} → ${a}`;
      row.changes.push({ label, before: b, after: a, text });
    }
    return row;
  });
}

/** The row's words as plain lines, as the JSON API gives them beside the raw before/after. */
export function changeLines(row: ChangeHistoryRow): string[] {
  return row.listing ? [`${row.listing.prefix}${row.listing.text}`] : row.changes.map((c) => c.text);
}
