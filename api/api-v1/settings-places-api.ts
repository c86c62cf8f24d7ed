/**
 * 设置 → 仓库、快递、号段 for integrations: the same reads and writes as the pages, through the same db/settings code
 * (one validation, one default rule, one audit trail); everyone with settings.view reads, settings.manage writes.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AuditEvent, Courier, NumberRollImport, Warehouse } from '../../db/entities';
import { Courier as CourierEntity, Warehouse as WarehouseEntity } from '../../db/entities';
import { importNumberList, importNumberRange, listNumberRollImports, MAX_ROLL_IMPORT, previewRange, type RollImportOutcome } from '../../db/settings/import-number-roll';
import { numberRollCounts, numberRollRemaining } from '../../db/settings/number-roll-remaining';
import { COURIER_PROVIDERS, COURIER_TEMPLATES, courierFieldsOf, createCourier, listCouriers, updateCourier, type SaveCourierOutcome } from '../../db/settings/save-courier';
import { createWarehouse, listWarehouses, updateWarehouse, WAREHOUSE_KINDS, type SaveWarehouseOutcome } from '../../db/settings/save-warehouse';
import { placesHistory } from '../../db/settings/warehouse-courier-audit';
import { warehouseInUse } from '../../db/settings/warehouse-in-use';
import type { AppEnv } from '../env';
import { changeHistory, changeLines } from '../settings/change-history';
import { apiErrorBody } from './api-error';
import { apiApp, COMMON_ERRORS, errorResponse, guard, jsonBody, jsonResponse } from './api-route';

type Ctx = Context<AppEnv>;

const isoTime = z.string().openapi({ format: 'date-time', description: 'ISO-8601, UTC' });
const WarehouseCodeParam = z.object({ code: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/).openapi({ param: { name: 'code', in: 'path' }, example: 'MAIN' }) });
const CourierCodeParam = z.object({ code: z.string().regex(/^[A-Za-z0-9_-]{1,20}$/).openapi({ param: { name: 'code', in: 'path' }, example: 'SF' }) });

const HistorySchema = z.array(z.object({
  at: isoTime, action: z.string(), actor: z.string(), actorName: z.string(), reason: z.string(),
  before: z.record(z.string(), z.unknown()).nullable(), after: z.record(z.string(), z.unknown()).nullable(),
  changes: z.array(z.string()).openapi({ description: 'The change in words, as the page shows it, in the caller\'s language: "寄件电话：0571-88886666 → 0571-88880000"; a secret only as changed' }),
})).openapi('SettingsHistory', { description: 'Every change, newest first, with the fields that changed before and after' });

const warehouseBody = {
  name: z.string().max(100),
  kind: z.enum(WAREHOUSE_KINDS).openapi({ description: 'normal ships orders; returns takes returned goods; out_of_area parks 超区 orders' }),
  allowNegative: z.boolean().openapi({ description: 'Available stock may go below zero (presales)' }),
  isDefault: z.boolean().openapi({ description: 'The default ship-from warehouse (normal, active); setting it moves the default here. It cannot be switched off: set another one.' }),
  active: z.boolean().openapi({ description: 'Deactivating is refused (409, with the reason) while the warehouse holds stock or open orders, transfers, documents or counts' }),
  contactName: z.string().max(60).openapi({ description: 'Sender name printed on labels of parcels from here' }),
  contactPhone: z.string().max(40),
  province: z.string().max(40).openapi({ example: '浙江省' }),
  city: z.string().max(40),
  district: z.string().max(40),
  detail: z.string().max(255),
};
const WarehouseSchema = z.object({ code: z.string(), ...warehouseBody }).openapi('Warehouse');
const WarehouseDetailSchema = WarehouseSchema.extend({
  inUse: z.object({ onHand: z.number().int(), reserved: z.number().int(), stockRows: z.number().int(), openOrders: z.number().int(), openTransfers: z.number().int(), openDocuments: z.number().int(), openStocktakes: z.number().int(), openCases: z.number().int() }),
  history: HistorySchema,
}).openapi('WarehouseDetail');
const NewWarehouseBody = z.object({ code: z.string().max(40).openapi({ example: 'BJ' }), ...warehouseBody }).partial({ allowNegative: true, isDefault: true, active: true, contactName: true, contactPhone: true, province: true, city: true, district: true, detail: true }).openapi('NewWarehouse');
const WarehousePatchBody = z.object(warehouseBody).partial().openapi('WarehouseChange', { description: 'Only the fields given change' });

const RollSchema = z.object({ free: z.number().int(), threshold: z.number().int(), low: z.boolean(), empty: z.boolean() }).openapi('NumberRollRemaining');
const courierBody = {
  name: z.string().max(60),
  provider: z.enum(COURIER_PROVIDERS).openapi({ description: 'pool: numbers from imported rolls (号段); cainiao: 菜鸟 e-waybill through a shop' }),
  template: z.enum(COURIER_TEMPLATES).openapi({ description: 'Label template and size' }),
  shopCode: z.string().max(40).openapi({ description: 'cainiao: the shop whose e-waybill account issues numbers; empty = each order’s own shop' }),
  cpCode: z.string().max(20).openapi({ description: 'cainiao cp_code (empty = the courier code)' }),
  branchCode: z.string().max(40).openapi({ description: 'Branch (网点) code' }),
  regionsNotServed: z.array(z.string()).openapi({ description: 'Province short names (新疆, 西藏…) not delivered to', example: ['新疆', '西藏'] }),
  isDefault: z.boolean().openapi({ description: 'The default courier; setting it moves the default here. It cannot be switched off: set another one.' }),
  active: z.boolean().openapi({ description: 'Deactivating is refused (409) while orders with this courier wait to be printed or shipped' }),
  reuseCancelled: z.boolean().openapi({ description: 'A cancelled roll number never printed goes back to the roll; otherwise it is void' }),
  lowRollThreshold: z.number().int().openapi({ description: 'Below this many free roll numbers the pages warn' }),
  privacyWaybill: z.boolean().openapi({ description: '隐私面单: labels print the buyer’s phone masked' }),
};
const CourierSchema = z.object({ code: z.string(), ...courierBody, roll: RollSchema.nullable() }).openapi('Courier');
const CourierDetailSchema = CourierSchema.extend({
  rollCounts: z.object({ free: z.number().int(), reserved: z.number().int(), void: z.number().int() }).nullable(),
  history: HistorySchema,
}).openapi('CourierDetail');
const NewCourierBody = z.object({ code: z.string().max(20).openapi({ example: 'YTO' }), ...courierBody }).partial({ shopCode: true, cpCode: true, branchCode: true, regionsNotServed: true, isDefault: true, active: true, reuseCancelled: true, lowRollThreshold: true, privacyWaybill: true }).openapi('NewCourier');
const CourierPatchBody = z.object(courierBody).partial().openapi('CourierChange', { description: 'Only the fields given change' });

const RollImportSchema = z.object({
  id: z.number().int(), courierCode: z.string(), kind: z.enum(['range', 'list']), source: z.string(),
  requested: z.number().int().openapi({ description: 'Numbers read' }), added: z.number().int(),
  duplicates: z.number().int().openapi({ description: 'Listed more than once in this import (skipped)' }),
  alreadyPresent: z.number().int().openapi({ description: 'Already in the roll (skipped)' }),
  duplicateSamples: z.array(z.string()).openapi({ description: 'The first few skipped numbers' }),
  createdBy: z.string(), createdAt: isoTime,
}).openapi('NumberRollImport');
const RollStateSchema = z.object({
  courierCode: z.string(), counts: z.object({ free: z.number().int(), reserved: z.number().int(), void: z.number().int() }), roll: RollSchema.nullable(), imports: z.array(RollImportSchema),
}).openapi('NumberRoll');
const RollImportBody = z.object({
  kind: z.enum(['range', 'list']),
  prefix: z.string().max(20).optional().openapi({ description: 'range: letters before the digits', example: 'SF' }),
  start: z.string().max(30).optional().openapi({ description: 'range: first number’s digits (their width is kept)', example: '1402000010000' }),
  end: z.string().max(30).optional().openapi({ example: '1402000010999' }),
  fileName: z.string().max(200).optional().openapi({ description: 'list: a name for the record' }),
  numbers: z.array(z.string().max(60)).max(MAX_ROLL_IMPORT).optional().openapi({ description: `list: the numbers (at most ${MAX_ROLL_IMPORT})` }),
  dryRun: z.boolean().optional().openapi({ description: 'range: only count, import nothing' }),
}).openapi('NumberRollImportRequest');
const PreviewSchema = z.object({ count: z.number().int(), first: z.string(), last: z.string() }).openapi('NumberRangePreview');

const history = (c: Context<AppEnv>, rows: AuditEvent[]) => {
  const words = changeHistory(c.var.locale, rows);
  return rows.map((h, i) => ({ at: h.at.toISOString(), action: h.action, actor: h.actor, actorName: h.actorName, reason: h.reason, before: h.before, after: h.after, changes: changeLines(words[i]!) }));
};
const warehouseJson = (w: Warehouse) => ({
  code: w.code, name: w.name, kind: w.kind, allowNegative: w.allowNegative, isDefault: w.isDefault, active: w.active,
  contactName: w.contactName, contactPhone: w.contactPhone, province: w.province, city: w.city, district: w.district, detail: w.detail,
});
const rollJson = (r: { free: number; threshold: number; low: boolean; empty: boolean } | undefined) => (r ? { free: r.free, threshold: r.threshold, low: r.low, empty: r.empty } : null);
const courierJson = (c: Courier, roll: Parameters<typeof rollJson>[0]) => ({ code: c.code, ...courierFieldsOf(c), roll: rollJson(roll) });
const importJson = (i: NumberRollImport) => ({ ...i, createdAt: i.createdAt.toISOString() });

function refused(c: Ctx, o: { status: 400 | 404 | 409; message: string }) {
  return c.json(apiErrorBody(o.status === 400 ? 'bad_request' : o.status === 404 ? 'not_found' : 'refused', o.message), o.status);
}
const saved = <S extends 200 | 201>(c: Ctx, o: SaveWarehouseOutcome, status: S) => (o.ok ? c.json(warehouseJson(o.warehouse), status) : refused(c, o));

async function courierAnswer<S extends 200 | 201>(c: Ctx, o: SaveCourierOutcome, status: S) {
  if (!o.ok) return refused(c, o);
  const [roll] = o.courier.provider === 'pool' ? await numberRollRemaining(c.var.deps.db.em(), [o.courier.code]) : [];
  return c.json(courierJson(o.courier, roll), status);
}

const WRITE_ERRORS = { 404: errorResponse('No such record (`not_found`)'), 409: errorResponse('Refused (`refused`), with the reason: code taken, the default cannot be switched off, still in use…') };
const tx = <T>(c: Ctx, fn: (em: ReturnType<AppEnv['Variables']['deps']['db']['em']>) => Promise<T>) => c.var.deps.db.em().transactional((em) => fn(em));

export const settingsPlacesApi = apiApp()
  .openapi(createRoute({ ...guard('settings.view'), method: 'get', path: '/settings/warehouses', tags: ['settings'], summary: 'Warehouses (仓库)', responses: { ...COMMON_ERRORS, 200: jsonResponse(z.object({ items: z.array(WarehouseSchema) }), 'Every warehouse, active first, the default on top') } }), async (c) => {
    const rows = await listWarehouses(c.var.deps.db.em());
    return c.json({ items: rows.map(warehouseJson) }, 200);
  })
  .openapi(createRoute({ ...guard('settings.manage', 'The first active normal warehouse becomes the default by itself.'), method: 'post', path: '/settings/warehouses', tags: ['settings'], summary: 'Add a warehouse', request: { body: jsonBody(NewWarehouseBody) }, responses: { ...COMMON_ERRORS, ...WRITE_ERRORS, 201: jsonResponse(WarehouseSchema, 'Added') } }), async (c) => {
    const body = c.req.valid('json');
    return saved(c, await tx(c, (em) => createWarehouse(em, c.var.actor, body)), 201);
  })
  .openapi(createRoute({ ...guard('settings.view'), method: 'get', path: '/settings/warehouses/{code}', tags: ['settings'], summary: 'One warehouse, what still uses it, and its change history', request: { params: WarehouseCodeParam }, responses: { ...COMMON_ERRORS, 404: errorResponse('No such warehouse (`not_found`)'), 200: jsonResponse(WarehouseDetailSchema, 'The warehouse') } }), async (c) => {
    const { code } = c.req.valid('param');
    const em = c.var.deps.db.em();
    const w = await em.findOne(WarehouseEntity, { code });
    if (!w) return c.json(apiErrorBody('not_found', `仓库 ${code} 不存在`), 404);
    const [inUse, rows] = await Promise.all([warehouseInUse(em, code), placesHistory(em, ['warehouse'], code)]);
    return c.json({ ...warehouseJson(w), inUse, history: history(c, rows) }, 200);
  })
  .openapi(createRoute({ ...guard('settings.manage'), method: 'patch', path: '/settings/warehouses/{code}', tags: ['settings'], summary: 'Change a warehouse (only the fields given)', request: { params: WarehouseCodeParam, body: jsonBody(WarehousePatchBody) }, responses: { ...COMMON_ERRORS, ...WRITE_ERRORS, 200: jsonResponse(WarehouseSchema, 'As it is now') } }), async (c) => {
    const { code } = c.req.valid('param');
    const body = c.req.valid('json');
    return saved(c, await tx(c, (em) => updateWarehouse(em, c.var.actor, code, body)), 200);
  })
  .openapi(createRoute({ ...guard('settings.view'), method: 'get', path: '/settings/couriers', tags: ['settings'], summary: 'Couriers (快递) with the numbers left on each roll', responses: { ...COMMON_ERRORS, 200: jsonResponse(z.object({ items: z.array(CourierSchema) }), 'Every courier, active first, the default on top') } }), async (c) => {
    const em = c.var.deps.db.em();
    const rows = await listCouriers(em);
    const rolls = new Map((await numberRollRemaining(em, rows.filter((r) => r.provider === 'pool').map((r) => r.code))).map((r) => [r.courierCode, r]));
    return c.json({ items: rows.map((r) => courierJson(r, rolls.get(r.code))) }, 200);
  })
  .openapi(createRoute({ ...guard('settings.manage', 'The first active courier becomes the default by itself.'), method: 'post', path: '/settings/couriers', tags: ['settings'], summary: 'Add a courier', request: { body: jsonBody(NewCourierBody) }, responses: { ...COMMON_ERRORS, ...WRITE_ERRORS, 201: jsonResponse(CourierSchema, 'Added') } }), async (c) => {
    const body = c.req.valid('json');
    return courierAnswer(c, await tx(c, (em) => createCourier(em, c.var.actor, body)), 201);
  })
  .openapi(createRoute({ ...guard('settings.view'), method: 'get', path: '/settings/couriers/{code}', tags: ['settings'], summary: 'One courier, its roll and its change history (imports included)', request: { params: CourierCodeParam }, responses: { ...COMMON_ERRORS, 404: errorResponse('No such courier (`not_found`)'), 200: jsonResponse(CourierDetailSchema, 'The courier') } }), async (c) => {
    const { code } = c.req.valid('param');
    const em = c.var.deps.db.em();
    const courier = await em.findOne(CourierEntity, { code });
    if (!courier) return c.json(apiErrorBody('not_found', `快递 ${code} 不存在`), 404);
    const pool = courier.provider === 'pool';
    const [rows, counts, rolls] = await Promise.all([placesHistory(em, ['courier', 'number_roll'], code), pool ? numberRollCounts(em, code) : null, pool ? numberRollRemaining(em, [code]) : []]);
    return c.json({ ...courierJson(courier, rolls[0]), rollCounts: counts, history: history(c, rows) }, 200);
  })
  .openapi(createRoute({ ...guard('settings.manage'), method: 'patch', path: '/settings/couriers/{code}', tags: ['settings'], summary: 'Change a courier (only the fields given)', request: { params: CourierCodeParam, body: jsonBody(CourierPatchBody) }, responses: { ...COMMON_ERRORS, ...WRITE_ERRORS, 200: jsonResponse(CourierSchema, 'As it is now') } }), async (c) => {
    const { code } = c.req.valid('param');
    const body = c.req.valid('json');
    return courierAnswer(c, await tx(c, (em) => updateCourier(em, c.var.actor, code, body)), 200);
  })
  .openapi(createRoute({ ...guard('settings.view'), method: 'get', path: '/settings/couriers/{code}/number-rolls', tags: ['settings'], summary: 'A roll courier’s numbers by status and its imports', request: { params: CourierCodeParam }, responses: { ...COMMON_ERRORS, 404: errorResponse('No such courier (`not_found`)'), 200: jsonResponse(RollStateSchema, 'The roll') } }), async (c) => {
    const { code } = c.req.valid('param');
    const em = c.var.deps.db.em();
    if (!(await em.count(CourierEntity, { code }))) return c.json(apiErrorBody('not_found', `快递 ${code} 不存在`), 404);
    const [counts, rolls, imports] = await Promise.all([numberRollCounts(em, code), numberRollRemaining(em, [code]), listNumberRollImports(em, code)]);
    return c.json({ courierCode: code, counts, roll: rollJson(rolls[0]), imports: imports.map(importJson) }, 200);
  })
  .openapi(createRoute({
    ...guard('settings.manage', `A range (prefix + start..end, the start's width kept) or a list of numbers, at most ${MAX_ROLL_IMPORT} per import. Duplicates and numbers already in the roll are skipped and reported; a bad number refuses the whole import. \`dryRun\` on a range only counts.`),
    method: 'post', path: '/settings/couriers/{code}/number-rolls', tags: ['settings'], summary: 'Import numbers into a courier’s roll (号段)',
    request: { params: CourierCodeParam, body: jsonBody(RollImportBody) },
    responses: { ...COMMON_ERRORS, ...WRITE_ERRORS, 200: jsonResponse(PreviewSchema, 'dryRun: what the range holds'), 201: jsonResponse(RollImportSchema, 'The import record') },
  }), async (c) => {
    const { code } = c.req.valid('param');
    const b = c.req.valid('json');
    let o: RollImportOutcome;
    if (b.kind === 'range') {
      const range = { prefix: b.prefix ?? '', start: b.start ?? '', end: b.end ?? '' };
      if (b.dryRun) {
        const p = previewRange(range);
        return p.ok ? c.json({ count: p.count, first: p.first, last: p.last }, 200) : c.json(apiErrorBody('bad_request', p.message), 400);
      }
      o = await tx(c, (em) => importNumberRange(em, c.var.actor, code, range));
    } else {
      o = await tx(c, (em) => importNumberList(em, c.var.actor, code, b.fileName ?? 'API', (b.numbers ?? []).join('\n')));
    }
    return o.ok ? c.json(importJson(o.record), 201) : refused(c, o);
  });
