/**
 * Adds and changes warehouses for the pages, the API and the demo seeder alike: there is always exactly one default
 * normal (ship-from) warehouse, and a warehouse that still holds stock or open work cannot be deactivated. Each write
 * runs in the caller's transaction (`em`), so the seeder can add its records in one.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { z } from 'zod';
import { Warehouse, type WarehouseKind } from '../entities';
import type { Actor } from '../../domain/roles';
import { provinceShortName } from '../../domain/regions';
import { changedFields, definedOnly, lockingRead, recordPlacesAudit } from './warehouse-courier-audit';
import { warehouseInUse, warehouseInUseReason } from './warehouse-in-use';

export const WAREHOUSE_KINDS = ['normal', 'returns', 'out_of_area'] as const satisfies readonly WarehouseKind[];
export const WAREHOUSE_KIND_LABELS: Record<WarehouseKind, { zh: string; en: string }> = {
  normal: { zh: '普通仓（发货）', en: 'Normal (ships)' },
  returns: { zh: '退货仓', en: 'Returns' },
  out_of_area: { zh: '超区仓', en: 'Out of area' },
};

export const WAREHOUSE_CODE = /^[A-Za-z0-9_-]{1,40}$/;

const text = (max: number, label: string) => z.string().trim().max(max, `${label}最多 ${max} 个字`);

/** Every field a warehouse has apart from its code; the code never changes, since stock and orders name it. */
export const warehouseFields = z.object({
  name: z.string().trim().min(1, '请填写仓库名称').max(100, '仓库名称最多 100 个字'),
  kind: z.enum(WAREHOUSE_KINDS, { message: '仓库类型只能是 普通仓、退货仓 或 超区仓' }),
  allowNegative: z.boolean({ message: '允许负库存须为 true 或 false' }),
  isDefault: z.boolean({ message: '默认须为 true 或 false' }),
  active: z.boolean({ message: '启用须为 true 或 false' }),
  contactName: text(60, '发件人'),
  contactPhone: text(40, '发件电话').refine((v) => /^[0-9+\-() ]*$/.test(v), '发件电话只能包含数字、空格和 + - ( )'),
  province: text(40, '省份').refine((v) => !v || provinceShortName(v) !== null, '发件省份不认识，请写全称，例如 浙江省'),
  city: text(40, '城市'),
  district: text(40, '区县'),
  detail: text(255, '详细地址'),
});
export type WarehouseFields = z.output<typeof warehouseFields>;

/** What a change may name: any of the fields (no defaults, so a field left out stays as it is). */
export const warehousePatch = warehouseFields.partial();

/** A new warehouse: code, name and kind; the rest default to no address, no negative stock, active. */
export const newWarehouseInput = warehousePatch.extend({
  code: z.string().trim().regex(WAREHOUSE_CODE, '仓库编码只能用字母、数字、- 和 _，1 到 40 个字符'),
  name: warehouseFields.shape.name,
  kind: warehouseFields.shape.kind,
});

const WAREHOUSE_DEFAULTS = { allowNegative: false, isDefault: false, active: true, contactName: '', contactPhone: '', province: '', city: '', district: '', detail: '' };

export type SaveWarehouseOutcome =
  | { ok: true; warehouse: Warehouse; changed: boolean }
  | { ok: false; status: 400 | 404 | 409; message: string };

const fieldsOf = (w: Warehouse): WarehouseFields => ({
  name: w.name, kind: w.kind, allowNegative: w.allowNegative, isDefault: w.isDefault, active: w.active,
  contactName: w.contactName, contactPhone: w.contactPhone, province: w.province, city: w.city, district: w.district, detail: w.detail,
});

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? issue.message : '输入有误';
}

/** The default moves here from whichever warehouse had it; each one that loses it gets its own audit row. */
async function takeDefault(em: EntityManager, actor: Actor, code: string): Promise<void> {
  for (const o of await em.find(Warehouse, { isDefault: true, code: { $ne: code } }, lockingRead(em))) {
    o.isDefault = false;
    recordPlacesAudit(em, actor, { entityType: 'warehouse', entityId: o.code, action: 'warehouse.update', reason: `默认发货仓库改为 ${code}`, before: { isDefault: true }, after: { isDefault: false } });
  }
}

function defaultProblem(f: WarehouseFields): string | null {
  if (!f.isDefault) return null;
  if (f.kind !== 'normal') return '默认发货仓库必须是普通仓';
  if (!f.active) return '默认发货仓库不能停用：请先把另一个普通仓设为默认';
  return null;
}

export async function createWarehouse(em: EntityManager, actor: Actor, raw: unknown): Promise<SaveWarehouseOutcome> {
  const parsed = newWarehouseInput.safeParse(raw);
  if (!parsed.success) return { ok: false, status: 400, message: firstIssue(parsed.error) };
  const { code, ...given } = parsed.data;
  const fields: WarehouseFields = { ...WAREHOUSE_DEFAULTS, ...definedOnly(given), name: given.name, kind: given.kind };
  if (await em.findOne(Warehouse, { code })) return { ok: false, status: 409, message: `仓库编码 ${code} 已被使用` };
  // Exactly one default: the first active normal warehouse becomes it without being asked.
  if (!fields.isDefault && fields.kind === 'normal' && fields.active && !(await em.count(Warehouse, { isDefault: true, active: true, kind: 'normal' }))) fields.isDefault = true;
  const problem = defaultProblem(fields);
  if (problem) return { ok: false, status: 400, message: problem };
  if (fields.isDefault) await takeDefault(em, actor, code);
  const warehouse = em.create(Warehouse, { code, ...fields });
  recordPlacesAudit(em, actor, { entityType: 'warehouse', entityId: code, action: 'warehouse.create', after: { code, ...fields } });
  await em.flush();
  return { ok: true, warehouse, changed: true };
}

/** Changes the fields given (the rest stay); turning `active` off checks what still uses the warehouse. */
export async function updateWarehouse(em: EntityManager, actor: Actor, code: string, raw: unknown): Promise<SaveWarehouseOutcome> {
  const partial = warehousePatch.safeParse(raw);
  if (!partial.success) return { ok: false, status: 400, message: firstIssue(partial.error) };
  const warehouse = await em.findOne(Warehouse, { code });
  if (!warehouse) return { ok: false, status: 404, message: `仓库 ${code} 不存在` };
  const before = fieldsOf(warehouse);
  const after: WarehouseFields = { ...before, ...definedOnly(partial.data) };
  if (before.isDefault && !after.isDefault) {
    return { ok: false, status: 409, message: `${warehouse.name} 是默认发货仓库：请把另一个普通仓设为默认，它会自动取代这里` };
  }
  const problem = defaultProblem(after);
  if (problem) return { ok: false, status: before.isDefault ? 409 : 400, message: problem };
  if (before.active && !after.active) {
    const reason = warehouseInUseReason(await warehouseInUse(em, code));
    if (reason) return { ok: false, status: 409, message: `不能停用仓库 ${code}（${warehouse.name}）：${reason}` };
  }
  const diff = changedFields(before, after);
  if (!diff) return { ok: true, warehouse, changed: false };
  if (after.isDefault && !before.isDefault) await takeDefault(em, actor, code);
  em.assign(warehouse, after);
  const action = before.active !== after.active ? (after.active ? 'warehouse.activate' : 'warehouse.deactivate') : 'warehouse.update';
  recordPlacesAudit(em, actor, { entityType: 'warehouse', entityId: code, action, before: diff.before, after: diff.after });
  await em.flush();
  return { ok: true, warehouse, changed: true };
}

/** Every warehouse, active ones first, the default on top. */
export function listWarehouses(em: EntityManager): Promise<Warehouse[]> {
  return em.find(Warehouse, {}, { orderBy: { active: 'desc', isDefault: 'desc', code: 'asc' } });
}
