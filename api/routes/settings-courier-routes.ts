/**
 * 设置 → 快递: everyone reads the couriers, where their numbers come from and how many roll numbers are left; an
 * admin adds and changes them. One default courier at all times; a courier with orders waiting for their label is
 * not deactivated.
 */
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { Courier, Shop } from '../../db/entities';
import { numberRollCounts, numberRollRemaining } from '../../db/settings/number-roll-remaining';
import {
  COURIER_CODE, COURIER_PROVIDER_LABELS, COURIER_PROVIDERS, COURIER_TEMPLATE_LABELS, COURIER_TEMPLATES, courierFieldsOf, createCourier, listCouriers, updateCourier,
} from '../../db/settings/save-courier';
import { listNumberRollImports } from '../../db/settings/import-number-roll';
import { placesHistory } from '../../db/settings/warehouse-courier-audit';
import { PROVINCES } from '../../domain/regions';
import { can } from '../../domain/roles';
import { requireRole } from '../auth/require-role';
import type { AppEnv } from '../env';
import { renderError, renderPage, t } from '../render';
import { changeHistory } from '../settings/change-history';
import { readCourierForm } from '../settings/courier-form';

type Ctx = Context<AppEnv>;
type Flash = { error?: string; notice?: string };

const providerLabel = (c: Ctx, p: string) => {
  const l = COURIER_PROVIDER_LABELS[p as keyof typeof COURIER_PROVIDER_LABELS];
  return l ? (c.var.locale === 'en' ? l.en : l.zh) : p;
};

async function choices(c: Ctx) {
  const shops = await c.var.deps.db.em().find(Shop, {}, { fields: ['code', 'name'], orderBy: { code: 'asc' } });
  return {
    providers: COURIER_PROVIDERS.map((p) => ({ code: p, label: providerLabel(c, p) })),
    templates: COURIER_TEMPLATES.map((tpl) => ({ code: tpl, label: COURIER_TEMPLATE_LABELS[tpl] })),
    shops,
    provinces: PROVINCES.map((p) => p.short),
  };
}

async function renderList(c: Ctx, flash: Flash = {}, form: Record<string, unknown> = {}, status: ContentfulStatusCode = 200) {
  const em = c.var.deps.db.em();
  const rows = await listCouriers(em);
  const remaining = new Map((await numberRollRemaining(em, rows.filter((r) => r.provider === 'pool').map((r) => r.code))).map((r) => [r.courierCode, r]));
  return renderPage(c, 'settings/couriers', {
    title: t(c, 'nav.couriers'),
    rows: rows.map((r) => ({ ...courierFieldsOf(r), code: r.code, providerLabel: providerLabel(c, r.provider), roll: remaining.get(r.code) ?? null })),
    ...(await choices(c)),
    mayManage: can(c.var.user.roles, 'settings.manage'),
    form: { provider: 'pool', template: 'waybill-100x180', reuseCancelled: true, lowRollThreshold: 200, regionsNotServed: [], ...form },
    ...flash,
  }, status);
}

async function renderOne(c: Ctx, code: string, flash: Flash = {}, status: ContentfulStatusCode = 200) {
  const em = c.var.deps.db.em();
  const courier = await em.findOne(Courier, { code });
  if (!courier) return renderError(c, 404, t(c, 'places.courierNotFound', { code }));
  const pool = courier.provider === 'pool';
  const [history, counts, remaining, imports] = await Promise.all([
    placesHistory(em, ['courier', 'number_roll'], code),
    pool ? numberRollCounts(em, code) : null,
    pool ? numberRollRemaining(em, [code]) : [],
    pool ? listNumberRollImports(em, code, 10) : [],
  ]);
  return renderPage(c, 'settings/courier', {
    title: `${t(c, 'nav.couriers')} · ${courier.name}`,
    code,
    f: courierFieldsOf(courier),
    providerLabel: providerLabel(c, courier.provider),
    pool,
    counts,
    roll: remaining[0] ?? null,
    imports,
    history: changeHistory(c.var.locale, history),
    ...(await choices(c)),
    mayManage: can(c.var.user.roles, 'settings.manage'),
    ...flash,
  }, status);
}

const codeOf = (c: Ctx) => {
  const code = c.req.param('code') ?? '';
  return COURIER_CODE.test(code) ? code : null;
};

export const settingsCourierRoutes = new Hono<AppEnv>()
  .get('/', requireRole('settings.view'), (c) => renderList(c))
  .post('/', requireRole('settings.manage'), async (c) => {
    const input = await readCourierForm(c);
    const o = await c.var.deps.db.em().transactional((em) => createCourier(em, c.var.actor, input));
    if (!o.ok) return renderList(c, { error: o.message }, input, o.status);
    return c.redirect(`/settings/couriers/${encodeURIComponent(o.courier.code)}?saved=1`, 303);
  })
  .get('/:code', requireRole('settings.view'), (c) => {
    const code = codeOf(c);
    if (!code) return renderError(c, 404, t(c, 'places.courierNotFound', { code: c.req.param('code') }));
    return renderOne(c, code, c.req.query('saved') ? { notice: t(c, 'places.saved') } : {});
  })
  .post('/:code', requireRole('settings.manage'), async (c) => {
    const code = codeOf(c);
    if (!code) return renderError(c, 404, t(c, 'places.courierNotFound', { code: c.req.param('code') }));
    const input = await readCourierForm(c);
    delete input.code;
    const o = await c.var.deps.db.em().transactional((em) => updateCourier(em, c.var.actor, code, input));
    if (!o.ok) return o.status === 404 ? renderError(c, 404, o.message) : renderOne(c, code, { error: o.message }, o.status);
    return renderOne(c, code, { notice: t(c, o.changed ? 'places.saved' : 'places.unchanged') });
  })
  .post('/:code/active', requireRole('settings.manage'), async (c) => {
    const code = codeOf(c);
    if (!code) return renderError(c, 404, t(c, 'places.courierNotFound', { code: c.req.param('code') }));
    const body = await c.req.parseBody();
    const active = body.active === '1';
    const o = await c.var.deps.db.em().transactional((em) => updateCourier(em, c.var.actor, code, { active }));
    if (!o.ok) return o.status === 404 ? renderError(c, 404, o.message) : renderOne(c, code, { error: o.message }, o.status);
    return renderOne(c, code, { notice: t(c, active ? 'places.activated' : 'places.deactivated') });
  });
