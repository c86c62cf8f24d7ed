/**
 * 设置 → 店铺 for integrations: list and read shops with how their pulls stand, add and change them, 停用/启用, 测试连接
 * and 立即抓单, through the same actions as the page and with the same permissions. App secret and session key are
 * write-only: answers say only whether each is set.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ShopInput } from '../../db/settings/save-shop';
import { SHOP_PLATFORMS, SHOP_SIGN_METHODS, TOP_ROUTER_URL } from '../../db/settings/shop-fields';
import type { AppEnv } from '../env';
import { createShop, pullShopNow, setShopActiveAndSchedule, testShopConnection, updateShop, type ShopActionOutcome, type ShopDeps } from '../settings/shop-actions';
import { findShop, listShops, shopJson, shopStatus } from '../settings/shop-status';
import { apiErrorBody } from './api-error';
import { apiApp, COMMON_ERRORS, errorResponse, guard, jsonBody, jsonResponse } from './api-route';

const CodeParam = z.object({ code: z.string().regex(/^[A-Za-z0-9_-]{2,40}$/).openapi({ param: { name: 'code', in: 'path' }, example: 'tb-main' }) });

const secret = (what: string) => z.string().max(300).optional().openapi({ description: `${what}. Write-only: never returned. On a change, absent or "" keeps the saved one.`, writeOnly: true });
const fields = {
  name: z.string().max(100).openapi({ example: '致远数码旗舰店' }),
  platform: z.enum(SHOP_PLATFORMS).openapi({ description: 'taobao or tmall (TOP API, pulled on a schedule), or csv (CSV import only: no credentials, no schedule)' }),
  apiUrl: z.string().max(255).openapi({ description: `TOP gateway; default ${TOP_ROUTER_URL}` }),
  appKey: z.string().max(100),
  appSecret: secret('App secret'),
  sessionKey: secret('The seller\'s authorisation (SessionKey); a new one clears 授权已过期 and resumes pulls'),
  signMethod: z.enum(SHOP_SIGN_METHODS as unknown as [string, ...string[]]).openapi({ description: 'md5, hmac (HMAC-MD5) or hmac-sha256' }),
  pullIntervalSeconds: z.number().openapi({ description: 'Integer 10…86400' }),
  shipByHours: z.number().openapi({ description: 'Integer 1…720: hours after payment by which orders must ship' }),
  returnRemindDays: z.number().optional().openapi({ description: 'Integer 1…90 (default 7)' }),
  returnCloseDays: z.number().optional().openapi({ description: 'Integer 1…180, not below returnRemindDays (default 15)' }),
};
const CreateBody = z.object({
  code: z.string().max(40).openapi({ description: 'Letters, digits, - and _, 2…40; fixed once created (order ids carry it)', example: 'tb-main' }),
  ...fields,
  apiUrl: fields.apiUrl.optional(),
  appKey: fields.appKey.optional(),
  signMethod: fields.signMethod.optional(),
  pullIntervalSeconds: fields.pullIntervalSeconds.optional(),
  shipByHours: fields.shipByHours.optional(),
}).openapi('ShopCreate');
const UpdateBody = z.object(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof fields]: z.ZodOptional<(typeof fields)[K]> })
  .openapi('ShopChange', { description: 'Fields left out keep their saved value.' });
const ConnectionBody = z.object({
  apiUrl: z.string().max(255).optional(), appKey: z.string().max(100).optional(), appSecret: secret('App secret to try instead of the saved one'),
  sessionKey: secret('SessionKey to try instead of the saved one'), signMethod: z.string().max(20).optional(),
}).openapi('ShopConnectionTry', { description: 'Anything left out is taken from the saved shop.' });

const ShopSchema = z.object({
  code: z.string(), platform: z.string(), name: z.string(), apiUrl: z.string(), appKey: z.string(),
  appSecretSet: z.boolean(), sessionKeySet: z.boolean(), signMethod: z.string(), pullIntervalSeconds: z.number().int(), shipByHours: z.number().int(),
  returnRemindDays: z.number().int(), returnCloseDays: z.number().int(), active: z.boolean(),
  authExpiredAt: z.string().nullable().openapi({ description: 'When the platform refused the session key (授权已过期); pulls are paused until a new one is saved' }),
  createdAt: z.string().nullable(),
  status: z.object({
    lastPullAt: z.string().nullable(), pullCursor: z.string().nullable(), refundCursor: z.string().nullable(), lastPullError: z.string().nullable(),
    authExpired: z.boolean(), pulledToday: z.number().int(),
    schedule: z.object({ exists: z.boolean(), paused: z.boolean(), note: z.string(), nextRunAt: z.string().nullable() }).nullable(),
  }).optional().openapi({ description: 'On GET of one shop: how its pulls stand' }),
}).openapi('Shop');
const Saved = z.object({ shop: ShopSchema, message: z.string(), scheduleWarning: z.string().optional() }).openapi('ShopSaved');
const ConnectionResult = z.object({
  ok: z.boolean(), message: z.string().openapi({ description: 'The platform\'s answer in words: 签名错误, 授权已过期…' }),
  sellerNick: z.string().optional(), authRestored: z.boolean().optional(),
  problem: z.string().optional().openapi({ description: 'signature, app_key, session, rate_limited, permission, clock, address, unreachable, platform' }),
  platformAnswer: z.string().optional().openapi({ description: 'The platform\'s code, sub code and message verbatim' }),
}).openapi('ShopConnectionResult');

const deps = (c: Context<AppEnv>): ShopDeps => ({ db: c.var.deps.db, temporal: c.var.deps.temporal, taskQueue: c.var.deps.config.taskQueue });

function saved(c: Context<AppEnv>, o: ShopActionOutcome, okStatus: 200 | 201) {
  if (!o.ok) return c.json(apiErrorBody(o.status === 400 ? 'bad_request' : o.status === 404 ? 'not_found' : o.status === 503 ? 'workflow_unavailable' : 'refused', o.message), o.status);
  return c.json({ shop: shopJson(o.shop), message: o.message, ...(o.scheduleWarning ? { scheduleWarning: o.scheduleWarning } : {}) }, okStatus);
}

const SAVE_ERRORS = { ...COMMON_ERRORS, 404: errorResponse('No such shop (`not_found`)'), 409: errorResponse('The code is taken, or the action does not apply now (`refused`)'), 503: errorResponse('The workflow service cannot be reached (`workflow_unavailable`)') };
const action = (path: string, summary: string, description: string) =>
  createRoute({ ...guard('settings.manage', description), method: 'post', path, tags: ['settings'], summary, request: { params: CodeParam }, responses: { ...SAVE_ERRORS, 200: jsonResponse(Saved, 'Done') } });

const list = createRoute({
  ...guard('settings.view'), method: 'get', path: '/settings/shops', tags: ['settings'], summary: 'Shops',
  responses: { ...COMMON_ERRORS, 200: jsonResponse(z.object({ items: z.array(ShopSchema) }).openapi('ShopList'), 'Every shop, active first') },
});
const one = createRoute({
  ...guard('settings.view'), method: 'get', path: '/settings/shops/{code}', tags: ['settings'], summary: 'One shop and how its pulls stand',
  request: { params: CodeParam }, responses: { ...COMMON_ERRORS, 404: errorResponse('No such shop (`not_found`)'), 200: jsonResponse(ShopSchema, 'The shop') },
});
const create = createRoute({
  ...guard('settings.manage', 'Checks every field (bad input changes nothing), seals the secrets and creates the pull schedule (none for csv).'),
  method: 'post', path: '/settings/shops', tags: ['settings'], summary: 'Add a shop',
  request: { body: jsonBody(CreateBody) }, responses: { ...SAVE_ERRORS, 201: jsonResponse(Saved, 'Added') },
});
const change = createRoute({
  ...guard('settings.manage', 'Changes the given fields; the schedule follows the interval, and a new sessionKey resumes a shop paused for 授权已过期.'),
  method: 'patch', path: '/settings/shops/{code}', tags: ['settings'], summary: 'Change a shop',
  request: { params: CodeParam, body: jsonBody(UpdateBody) }, responses: { ...SAVE_ERRORS, 200: jsonResponse(Saved, 'Saved') },
});
const connection = createRoute({
  ...guard('settings.manage', 'Calls taobao.user.seller.get with the saved credentials, or those given here, and says what the platform answered.'),
  method: 'post', path: '/settings/shops/{code}/test-connection', tags: ['settings'], summary: '测试连接',
  request: { params: CodeParam, body: { required: false, content: { 'application/json': { schema: ConnectionBody } } } },
  responses: { ...COMMON_ERRORS, 404: errorResponse('No such shop (`not_found`)'), 200: jsonResponse(ConnectionResult, 'The platform answered (ok true or false)') },
});

export const settingsShopApi = apiApp()
  .openapi(list, async (c) => {
    const shops = await listShops(c.var.deps.db);
    return c.json({ items: shops.map((s) => shopJson(s)) } as never, 200);
  })
  .openapi(one, async (c) => {
    const { code } = c.req.valid('param');
    const shop = await findShop(c.var.deps.db, code);
    if (!shop) return c.json(apiErrorBody('not_found', `店铺 ${code} 不存在`), 404);
    return c.json(shopJson(shop, await shopStatus(c.var.deps.db, c.var.deps.temporal, shop)) as never, 200);
  })
  .openapi(create, async (c) => {
    const b = c.req.valid('json');
    const input: ShopInput = {
      code: b.code, platform: b.platform, name: b.name, apiUrl: b.apiUrl ?? TOP_ROUTER_URL, appKey: b.appKey ?? '', appSecret: b.appSecret, sessionKey: b.sessionKey,
      signMethod: b.signMethod ?? 'hmac-sha256', pullIntervalSeconds: b.pullIntervalSeconds ?? 60, shipByHours: b.shipByHours ?? 48,
      returnRemindDays: b.returnRemindDays, returnCloseDays: b.returnCloseDays,
    };
    return saved(c, await createShop(deps(c), c.var.actor, input), 201) as never;
  })
  .openapi(change, async (c) => {
    const { code } = c.req.valid('param');
    const b = c.req.valid('json');
    const shop = await findShop(c.var.deps.db, code);
    if (!shop) return c.json(apiErrorBody('not_found', `店铺 ${code} 不存在`), 404);
    const input: ShopInput = {
      code, platform: b.platform ?? shop.platform, name: b.name ?? shop.name, apiUrl: b.apiUrl ?? shop.apiUrl, appKey: b.appKey ?? shop.appKey,
      appSecret: b.appSecret, sessionKey: b.sessionKey, signMethod: b.signMethod ?? shop.signMethod,
      pullIntervalSeconds: b.pullIntervalSeconds ?? shop.pullIntervalSeconds, shipByHours: b.shipByHours ?? shop.shipByHours,
      returnRemindDays: b.returnRemindDays ?? shop.returnRemindDays, returnCloseDays: b.returnCloseDays ?? shop.returnCloseDays,
    };
    return saved(c, await updateShop(deps(c), c.var.actor, code, input), 200) as never;
  })
  .openapi(action('/settings/shops/{code}/deactivate', '停用 a shop', 'Stops its pulls (schedule paused); its orders and history stay.'), async (c) => {
    const { code } = c.req.valid('param');
    return saved(c, await setShopActiveAndSchedule(deps(c), c.var.actor, code, false), 200) as never;
  })
  .openapi(action('/settings/shops/{code}/activate', '启用 a shop', 'Resumes its pulls unless its authorisation expired.'), async (c) => {
    const { code } = c.req.valid('param');
    return saved(c, await setShopActiveAndSchedule(deps(c), c.var.actor, code, true), 200) as never;
  })
  .openapi(connection, async (c) => {
    const { code } = c.req.valid('param');
    const shop = await findShop(c.var.deps.db, code);
    if (!shop) return c.json(apiErrorBody('not_found', `店铺 ${code} 不存在`), 404);
    const text = await c.req.text();
    let b: z.infer<typeof ConnectionBody> = {};
    if (text.trim()) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return c.json(apiErrorBody('bad_request', '请求正文不是合法的 JSON'), 400);
      }
      const parsed = ConnectionBody.safeParse(json);
      if (!parsed.success) return c.json(apiErrorBody('bad_request', parsed.error.issues[0]?.message ?? '请求格式不对'), 400);
      b = parsed.data;
    }
    const r = await testShopConnection(deps(c), c.var.actor, { code, platform: shop.platform, apiUrl: b.apiUrl ?? '', appKey: b.appKey ?? '', appSecret: b.appSecret, sessionKey: b.sessionKey, signMethod: b.signMethod ?? '' });
    if (!r.ok && r.problem === 'input') return c.json(apiErrorBody(r.status === 404 ? 'not_found' : 'bad_request', r.message), r.status === 404 ? 404 : 400);
    return c.json(r.ok ? { ok: true, message: r.message, sellerNick: r.sellerNick, authRestored: r.authRestored } : { ok: false, message: r.message, problem: r.problem, platformAnswer: r.platformAnswer }, 200);
  })
  .openapi(action('/settings/shops/{code}/pull-now', '立即抓单', 'Triggers the shop\'s pull schedule once now (refused for csv, deactivated or 授权已过期 shops).'), async (c) => {
    const { code } = c.req.valid('param');
    return saved(c, await pullShopNow(deps(c), code), 200) as never;
  });
