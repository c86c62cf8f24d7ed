/**
 * Adds and changes couriers for the pages, the API and the demo seeder alike: where its tracking numbers come from
 * (a shop's 菜鸟 e-waybill account, or an imported number roll), its label, the provinces it does not serve, and
 * exactly one default courier. Each write runs in the caller's transaction (`em`).
 */
import type { EntityManager } from '@mikro-orm/knex';
import { z } from 'zod';
import { Courier, Order, Shop, type WaybillProvider } from '../entities';
import type { Actor } from '../../domain/roles';
import { PROVINCES } from '../../domain/regions';
import { changedFields, definedOnly, lockingRead, recordPlacesAudit } from './warehouse-courier-audit';

export const COURIER_PROVIDERS = ['pool', 'cainiao'] as const satisfies readonly WaybillProvider[];
export const COURIER_PROVIDER_LABELS: Record<WaybillProvider, { zh: string; en: string }> = {
  pool: { zh: '号段（导入的单号）', en: 'Number roll (imported)' },
  cainiao: { zh: '菜鸟电子面单（通过店铺）', en: 'Cainiao e-waybill (through a shop)' },
};
export const COURIER_TEMPLATES = ['waybill-76x130', 'waybill-100x180'] as const;
export const COURIER_TEMPLATE_LABELS: Record<(typeof COURIER_TEMPLATES)[number], string> = {
  'waybill-76x130': '76×130 mm 一联单',
  'waybill-100x180': '100×180 mm 标准电子面单',
};
export const COURIER_CODE = /^[A-Za-z0-9_-]{1,20}$/;
export const MAX_LOW_ROLL_THRESHOLD = 1_000_000;

const SHORT_PROVINCES = new Set(PROVINCES.map((p) => p.short));
const PRINTING: Array<Order['status']> = ['waybill_pending', 'ready_to_print', 'printed'];

export const courierFields = z.object({
  name: z.string().trim().min(1, '请填写快递名称').max(60, '快递名称最多 60 个字'),
  provider: z.enum(COURIER_PROVIDERS, { message: '单号来源只能是 号段（pool） 或 菜鸟电子面单（cainiao）' }),
  template: z.enum(COURIER_TEMPLATES, { message: '面单模板只能是 waybill-76x130 或 waybill-100x180' }),
  /** cainiao: whose e-waybill account issues the numbers; empty means each order's own shop. */
  shopCode: z.string().trim().max(40, '店铺编码最多 40 个字符'),
  cpCode: z.string().trim().max(20, '快递公司编码（cp_code）最多 20 个字符').regex(/^[A-Za-z0-9_]*$/, '快递公司编码（cp_code）只能用字母、数字和 _'),
  branchCode: z.string().trim().max(40, '网点编码最多 40 个字符'),
  regionsNotServed: z.array(z.string().trim(), { message: '不送达地区须为省份简称的列表' }).max(40)
    .refine((rs) => rs.every((r) => SHORT_PROVINCES.has(r)), '不送达地区只能选省份简称，例如 新疆、西藏')
    .transform((rs) => [...new Set(rs)]),
  isDefault: z.boolean({ message: '默认须为 true 或 false' }),
  active: z.boolean({ message: '启用须为 true 或 false' }),
  reuseCancelled: z.boolean({ message: '回收取消单号须为 true 或 false' }),
  lowRollThreshold: z.number({ message: '号段预警数量须为整数' }).int('号段预警数量须为整数').min(0, '号段预警数量不能为负').max(MAX_LOW_ROLL_THRESHOLD, `号段预警数量最多 ${MAX_LOW_ROLL_THRESHOLD}`),
  privacyWaybill: z.boolean({ message: '隐私面单须为 true 或 false' }),
});
export type CourierFields = z.output<typeof courierFields>;

/** What a change may name: any of the fields (no defaults, so a field left out stays as it is). */
export const courierPatch = courierFields.partial();

/** A new courier: code, name, where its numbers come from and its label; the rest have defaults. */
export const newCourierInput = courierPatch.extend({
  code: z.string().trim().regex(COURIER_CODE, '快递编码只能用字母、数字、- 和 _，1 到 20 个字符'),
  name: courierFields.shape.name,
  provider: courierFields.shape.provider,
  template: courierFields.shape.template,
});

const COURIER_DEFAULTS = { shopCode: '', cpCode: '', branchCode: '', regionsNotServed: [] as string[], isDefault: false, active: true, reuseCancelled: true, lowRollThreshold: 200, privacyWaybill: false };

export type SaveCourierOutcome =
  | { ok: true; courier: Courier; changed: boolean }
  | { ok: false; status: 400 | 404 | 409; message: string };

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function courierFieldsOf(c: Courier): CourierFields {
  return {
    name: c.name,
    provider: c.provider,
    template: (COURIER_TEMPLATES as readonly string[]).includes(c.template) ? (c.template as CourierFields['template']) : 'waybill-100x180',
    shopCode: str(c.settings['shopCode']),
    cpCode: str(c.settings['cpCode']),
    branchCode: str(c.settings['branchCode']),
    regionsNotServed: [...c.regionsNotServed],
    isDefault: c.isDefault,
    active: c.active,
    reuseCancelled: c.reuseCancelled,
    lowRollThreshold: c.lowRollThreshold,
    privacyWaybill: c.privacyWaybill,
  };
}

function firstIssue(error: z.ZodError): string {
  return error.issues[0]?.message ?? '输入有误';
}

async function problemOf(em: EntityManager, f: CourierFields): Promise<string | null> {
  if (f.isDefault && !f.active) return '默认快递不能停用：请先把另一个快递设为默认';
  // No shop means each order's own shop applies for its e-waybill.
  if (f.provider === 'cainiao' && f.shopCode && !(await em.findOne(Shop, { code: f.shopCode }))) return `店铺 ${f.shopCode} 不存在`;
  return null;
}

async function takeDefault(em: EntityManager, actor: Actor, code: string): Promise<void> {
  for (const o of await em.find(Courier, { isDefault: true, code: { $ne: code } }, lockingRead(em))) {
    o.isDefault = false;
    recordPlacesAudit(em, actor, { entityType: 'courier', entityId: o.code, action: 'courier.update', reason: `默认快递改为 ${code}`, before: { isDefault: true }, after: { isDefault: false } });
  }
}

function apply(courier: Courier, f: CourierFields): void {
  const { shopCode, cpCode, branchCode, ...columns } = f;
  Object.assign(courier, columns);
  // Settings may hold keys an older version wrote (a sender); they stay, the ones edited here are replaced.
  courier.settings = { ...courier.settings, shopCode, cpCode, branchCode };
}

export async function createCourier(em: EntityManager, actor: Actor, raw: unknown): Promise<SaveCourierOutcome> {
  const parsed = newCourierInput.safeParse(raw);
  if (!parsed.success) return { ok: false, status: 400, message: firstIssue(parsed.error) };
  const { code, ...given } = parsed.data;
  const fields: CourierFields = { ...COURIER_DEFAULTS, ...definedOnly(given), name: given.name, provider: given.provider, template: given.template };
  if (await em.findOne(Courier, { code })) return { ok: false, status: 409, message: `快递编码 ${code} 已被使用` };
  if (!fields.isDefault && fields.active && !(await em.count(Courier, { isDefault: true, active: true }))) fields.isDefault = true;
  const problem = await problemOf(em, fields);
  if (problem) return { ok: false, status: 400, message: problem };
  if (fields.isDefault) await takeDefault(em, actor, code);
  const courier = em.create(Courier, { code, name: fields.name, provider: fields.provider });
  apply(courier, fields);
  recordPlacesAudit(em, actor, { entityType: 'courier', entityId: code, action: 'courier.create', after: { code, ...fields } });
  await em.flush();
  return { ok: true, courier, changed: true };
}

/** Changes the fields given (the rest stay); a courier with orders waiting for their label cannot be deactivated. */
export async function updateCourier(em: EntityManager, actor: Actor, code: string, raw: unknown): Promise<SaveCourierOutcome> {
  const partial = courierPatch.safeParse(raw);
  if (!partial.success) return { ok: false, status: 400, message: firstIssue(partial.error) };
  const courier = await em.findOne(Courier, { code });
  if (!courier) return { ok: false, status: 404, message: `快递 ${code} 不存在` };
  const before = courierFieldsOf(courier);
  const after: CourierFields = { ...before, ...definedOnly(partial.data) };
  if (before.isDefault && !after.isDefault) {
    return { ok: false, status: 409, message: `${courier.name} 是默认快递：请把另一个快递设为默认，它会自动取代这里` };
  }
  const problem = await problemOf(em, after);
  if (problem) return { ok: false, status: before.isDefault && !after.active ? 409 : 400, message: problem };
  if (before.active && !after.active) {
    const waiting = await em.count(Order, { courierCode: code, status: { $in: PRINTING } });
    if (waiting) return { ok: false, status: 409, message: `不能停用快递 ${code}（${courier.name}）：还有 ${waiting} 张订单已分配这个快递、等待打印或发货。请先发货或改派快递，再停用。` };
  }
  const diff = changedFields(before, after);
  if (!diff) return { ok: true, courier, changed: false };
  if (after.isDefault && !before.isDefault) await takeDefault(em, actor, code);
  apply(courier, after);
  const action = before.active !== after.active ? (after.active ? 'courier.activate' : 'courier.deactivate') : 'courier.update';
  recordPlacesAudit(em, actor, { entityType: 'courier', entityId: code, action, before: diff.before, after: diff.after });
  await em.flush();
  return { ok: true, courier, changed: true };
}

/** Every courier, active ones first, the default on top. */
export function listCouriers(em: EntityManager): Promise<Courier[]> {
  return em.find(Courier, {}, { orderBy: { active: 'desc', isDefault: 'desc', code: 'asc' } });
}
