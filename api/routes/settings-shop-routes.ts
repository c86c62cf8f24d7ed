/**
 * 设置 → 店铺: everyone reads the shops and how their pulls stand; an admin adds and changes them, tests the connection,
 * deactivates them and starts a pull now. Secrets are write-only: the form never shows them again after saving.
 */
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Shop } from '../../db/entities';
import type { ShopInput } from '../../db/settings/save-shop';
import { SHOP_LIMITS, SHOP_PLATFORMS, SHOP_SIGN_METHODS, TOP_ROUTER_URL } from '../../db/settings/shop-fields';
import { can } from '../../domain/roles';
import { requireRole } from '../auth/require-role';
import type { AppEnv } from '../env';
import { isHtmx, renderError, renderFragment, renderPage, t } from '../render';
import { changeHistory } from '../settings/change-history';
import { createShop, pullShopNow, setShopActiveAndSchedule, testShopConnection, updateShop, type ConnectionOutcome, type ShopDeps } from '../settings/shop-actions';
import { findShop, listShops, platformLabel, pulledToday, shopHistory, shopStatus } from '../settings/shop-status';

type Ctx = Context<AppEnv>;
type Flash = { error?: string; notice?: string; warning?: string; result?: ConnectionOutcome };
type FormValues = Record<string, string | boolean | number>;

const deps = (c: Ctx): ShopDeps => ({ db: c.var.deps.db, temporal: c.var.deps.temporal, taskQueue: c.var.deps.config.taskQueue });
const platforms = (c: Ctx) => SHOP_PLATFORMS.map((p) => ({ code: p, label: platformLabel(p, c.var.locale) }));
const view = { signMethods: SHOP_SIGN_METHODS };

const NEW_SHOP: FormValues = { platform: 'taobao', apiUrl: TOP_ROUTER_URL, signMethod: 'hmac-sha256', pullIntervalSeconds: 60, shipByHours: 48, returnRemindDays: 7, returnCloseDays: 15 };

/** The form as typed: text as it came, numbers left for save-shop to judge (an empty box is not a number). */
async function readShopForm(c: Ctx): Promise<{ input: ShopInput; echo: FormValues }> {
  const body = await c.req.parseBody();
  const text = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
  const num = (k: string) => (text(k).trim() === '' ? Number.NaN : Number(text(k).trim()));
  const input: ShopInput = {
    code: text('code').trim(), platform: text('platform'), name: text('name'), apiUrl: text('apiUrl'), appKey: text('appKey'),
    appSecret: text('appSecret'), sessionKey: text('sessionKey'), signMethod: text('signMethod'),
    pullIntervalSeconds: num('pullIntervalSeconds'), shipByHours: num('shipByHours'),
    returnRemindDays: num('returnRemindDays'), returnCloseDays: num('returnCloseDays'),
  };
  // Typed secrets are never echoed back into the page.
  const echo: FormValues = Object.fromEntries(['code', 'platform', 'name', 'apiUrl', 'appKey', 'signMethod', 'pullIntervalSeconds', 'shipByHours', 'returnRemindDays', 'returnCloseDays'].map((k) => [k, text(k)]));
  return { input, echo };
}

function formOf(shop: Shop): FormValues {
  return {
    code: shop.code, platform: shop.platform, name: shop.name, apiUrl: shop.apiUrl, appKey: shop.appKey, signMethod: shop.signMethod,
    pullIntervalSeconds: shop.pullIntervalSeconds, shipByHours: shop.shipByHours, returnRemindDays: shop.returnRemindDays, returnCloseDays: shop.returnCloseDays,
    appSecretSet: shop.appSecret !== '', sessionKeySet: shop.sessionKey !== '',
  };
}

async function renderList(c: Ctx, notice = '') {
  const db = c.var.deps.db;
  const shops = await listShops(db);
  const rows = await Promise.all(shops.map(async (s) => ({ ...s, platformLabel: platformLabel(s.platform, c.var.locale), pulledToday: await pulledToday(db, s.code) })));
  return renderPage(c, 'settings/shops', { title: t(c, 'nav.shops'), rows, mayManage: can(c.var.user.roles, 'settings.manage'), notice });
}

function renderNew(c: Ctx, f: FormValues, flash: Flash = {}, status: ContentfulStatusCode = 200) {
  return renderPage(c, 'settings/shop-new', { title: t(c, 'shops.new'), f, platforms: platforms(c), ...view, ...flash }, status);
}

async function renderShop(c: Ctx, code: string, flash: Flash = {}, status: ContentfulStatusCode = 200, echo?: FormValues) {
  const shop = await findShop(c.var.deps.db, code);
  if (!shop) return renderError(c, 404, t(c, 'shops.notFound', { code }));
  const [status_, history] = await Promise.all([shopStatus(c.var.deps.db, c.var.deps.temporal, shop), shopHistory(c.var.deps.db, code)]);
  const saved = formOf(shop);
  return renderPage(c, 'settings/shop', {
    title: `${t(c, 'nav.shops')} · ${shop.name}`,
    s: { ...shop, appSecret: undefined, sessionKey: undefined, platformLabel: platformLabel(shop.platform, c.var.locale) },
    isCsv: shop.platform === 'csv',
    status: status_,
    history: changeHistory(c.var.locale, history),
    f: echo ? { ...echo, appSecretSet: saved.appSecretSet, sessionKeySet: saved.sessionKeySet } : saved,
    platforms: platforms(c),
    ...view,
    mayManage: can(c.var.user.roles, 'settings.manage'),
    ...flash,
  }, status);
}

const codeOf = (c: Ctx) => {
  const code = c.req.param('code') ?? '';
  return SHOP_LIMITS.code.test(code) ? code : null;
};
const notFound = (c: Ctx) => renderError(c, 404, t(c, 'shops.notFound', { code: c.req.param('code') ?? '' }));

async function connection(c: Ctx, code: string | undefined) {
  const { input, echo } = await readShopForm(c);
  const result = await testShopConnection(deps(c), c.var.actor, { ...input, code });
  const status: ContentfulStatusCode = result.ok ? 200 : result.status;
  if (isHtmx(c)) return renderFragment(c, 'settings/_shop-connection', { result }, status);
  return code ? renderShop(c, code, { result }, status, echo) : renderNew(c, echo, { result }, status);
}

/** 停用 / 启用: the shop page again, saying what changed (or that nothing did). */
async function switchActive(c: Ctx, active: boolean) {
  const code = codeOf(c);
  if (!code) return notFound(c);
  const o = await setShopActiveAndSchedule(deps(c), c.var.actor, code, active);
  if (!o.ok) return o.status === 404 ? notFound(c) : renderShop(c, code, { error: o.message }, o.status);
  return renderShop(c, code, { notice: o.message, ...(o.scheduleWarning ? { warning: o.scheduleWarning } : {}) });
}

export const settingsShopRoutes = new Hono<AppEnv>()
  .get('/', requireRole('settings.view'), (c) => renderList(c))
  .get('/new', requireRole('settings.manage'), (c) => renderNew(c, NEW_SHOP))
  .post('/', requireRole('settings.manage'), async (c) => {
    const { input, echo } = await readShopForm(c);
    const o = await createShop(deps(c), c.var.actor, input);
    if (!o.ok) return renderNew(c, echo, { error: o.message }, o.status);
    if (o.scheduleWarning) return renderShop(c, o.shop.code, { notice: o.message, warning: o.scheduleWarning });
    return c.redirect(`/settings/shops/${encodeURIComponent(o.shop.code)}?saved=created`, 303);
  })
  .post('/test-connection', requireRole('settings.manage'), (c) => connection(c, undefined))
  .get('/:code', requireRole('settings.view'), (c) => {
    const code = codeOf(c);
    if (!code) return notFound(c);
    const saved = c.req.query('saved');
    return renderShop(c, code, saved ? { notice: t(c, saved === 'created' ? 'shops.created' : 'shops.saved') } : {});
  })
  .post('/:code', requireRole('settings.manage'), async (c) => {
    const code = codeOf(c);
    if (!code) return notFound(c);
    const { input, echo } = await readShopForm(c);
    const o = await updateShop(deps(c), c.var.actor, code, input);
    if (!o.ok) return o.status === 404 ? notFound(c) : renderShop(c, code, { error: o.message }, o.status, echo);
    return renderShop(c, code, { notice: o.message, ...(o.scheduleWarning ? { warning: o.scheduleWarning } : {}) });
  })
  .post('/:code/test-connection', requireRole('settings.manage'), (c) => {
    const code = codeOf(c);
    return code ? connection(c, code) : notFound(c);
  })
  .post('/:code/deactivate', requireRole('settings.manage'), (c) => switchActive(c, false))
  .post('/:code/activate', requireRole('settings.manage'), (c) => switchActive(c, true))
  .post('/:code/pull-now', requireRole('settings.manage'), async (c) => {
    const code = codeOf(c);
    if (!code) return notFound(c);
    const o = await pullShopNow(deps(c), code);
    if (!o.ok) return o.status === 404 ? notFound(c) : renderShop(c, code, { error: o.message }, o.status);
    return renderShop(c, code, { notice: o.message });
  });
