/**
 * 设置 → 仓库: everyone reads the warehouses and their sender address; an admin adds and changes them. One default
 * ship-from warehouse at all times, and a warehouse still holding stock or open work is not deactivated.
 */
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { Warehouse } from '../../db/entities';
import { createWarehouse, listWarehouses, updateWarehouse, WAREHOUSE_CODE, WAREHOUSE_KIND_LABELS, WAREHOUSE_KINDS } from '../../db/settings/save-warehouse';
import { placesHistory } from '../../db/settings/warehouse-courier-audit';
import { warehouseInUse } from '../../db/settings/warehouse-in-use';
import { PROVINCES } from '../../domain/regions';
import { can } from '../../domain/roles';
import { requireRole } from '../auth/require-role';
import type { AppEnv } from '../env';
import { renderError, renderPage, t } from '../render';
import { changeHistory } from '../settings/change-history';
import { readWarehouseForm } from '../settings/warehouse-form';

type Ctx = Context<AppEnv>;
type Flash = { error?: string; notice?: string };

const kindLabel = (c: Ctx, kind: string) => {
  const l = WAREHOUSE_KIND_LABELS[kind as keyof typeof WAREHOUSE_KIND_LABELS];
  return l ? (c.var.locale === 'en' ? l.en : l.zh) : kind;
};
const kinds = (c: Ctx) => WAREHOUSE_KINDS.map((k) => ({ code: k, label: kindLabel(c, k) }));
const addressOf = (w: Warehouse) => [w.province, w.city, w.district, w.detail].join('');

async function renderList(c: Ctx, flash: Flash = {}, form: Record<string, unknown> = {}, status: ContentfulStatusCode = 200) {
  const em = c.var.deps.db.em();
  const rows = await listWarehouses(em);
  return renderPage(c, 'settings/warehouses', {
    title: t(c, 'nav.warehouses'),
    rows: rows.map((w) => ({ ...w, kindLabel: kindLabel(c, w.kind), address: addressOf(w) })),
    kinds: kinds(c),
    provinces: PROVINCES,
    mayManage: can(c.var.user.roles, 'settings.manage'),
    form: { kind: 'normal', ...form },
    ...flash,
  }, status);
}

async function renderOne(c: Ctx, code: string, flash: Flash = {}, status: ContentfulStatusCode = 200) {
  const em = c.var.deps.db.em();
  const w = await em.findOne(Warehouse, { code });
  if (!w) return renderError(c, 404, t(c, 'places.warehouseNotFound', { code }));
  const [use, history] = await Promise.all([warehouseInUse(em, code), placesHistory(em, ['warehouse'], code)]);
  return renderPage(c, 'settings/warehouse', {
    title: `${t(c, 'nav.warehouses')} · ${w.name}`,
    w: { ...w, kindLabel: kindLabel(c, w.kind), address: addressOf(w) },
    use,
    kinds: kinds(c),
    provinces: PROVINCES,
    history: changeHistory(c.var.locale, history),
    mayManage: can(c.var.user.roles, 'settings.manage'),
    ...flash,
  }, status);
}

const codeOf = (c: Ctx) => {
  const code = c.req.param('code') ?? '';
  return WAREHOUSE_CODE.test(code) ? code : null;
};

export const settingsWarehouseRoutes = new Hono<AppEnv>()
  .get('/', requireRole('settings.view'), (c) => renderList(c, c.req.query('created') ? { notice: t(c, 'places.created') } : {}))
  .post('/', requireRole('settings.manage'), async (c) => {
    const input = await readWarehouseForm(c);
    const o = await c.var.deps.db.em().transactional((em) => createWarehouse(em, c.var.actor, input));
    if (!o.ok) return renderList(c, { error: o.message }, input, o.status);
    return c.redirect(`/settings/warehouses/${encodeURIComponent(o.warehouse.code)}?saved=1`, 303);
  })
  .get('/:code', requireRole('settings.view'), (c) => {
    const code = codeOf(c);
    if (!code) return renderError(c, 404, t(c, 'places.warehouseNotFound', { code: c.req.param('code') }));
    return renderOne(c, code, c.req.query('saved') ? { notice: t(c, 'places.saved') } : {});
  })
  .post('/:code', requireRole('settings.manage'), async (c) => {
    const code = codeOf(c);
    if (!code) return renderError(c, 404, t(c, 'places.warehouseNotFound', { code: c.req.param('code') }));
    const input = await readWarehouseForm(c);
    delete input.code;
    const o = await c.var.deps.db.em().transactional((em) => updateWarehouse(em, c.var.actor, code, input));
    if (!o.ok) return o.status === 404 ? renderError(c, 404, o.message) : renderOne(c, code, { error: o.message }, o.status);
    return renderOne(c, code, { notice: t(c, o.changed ? 'places.saved' : 'places.unchanged') });
  })
  .post('/:code/active', requireRole('settings.manage'), async (c) => {
    const code = codeOf(c);
    if (!code) return renderError(c, 404, t(c, 'places.warehouseNotFound', { code: c.req.param('code') }));
    const body = await c.req.parseBody();
    const active = body.active === '1';
    const o = await c.var.deps.db.em().transactional((em) => updateWarehouse(em, c.var.actor, code, { active }));
    if (!o.ok) return o.status === 404 ? renderError(c, 404, o.message) : renderOne(c, code, { error: o.message }, o.status);
    return renderOne(c, code, { notice: t(c, active ? 'places.activated' : 'places.deactivated') });
  });
