/**
 * Adds or changes a shop (店铺) for the pages, the API and the demo seeder alike: checks every field, seals the app
 * secret and session key, and writes the shop with an audit row of what changed (secrets only as "changed", never
 * their values). Bad input changes nothing. A new session key clears 授权已过期, so its pulls may resume.
 */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { Actor } from '../../domain/roles';
import { isTopSignMethod } from '../../domain/taobao';
import { Shop } from '../entities';
import { secretBox, type SecretBox } from '../shop-secret-box';
import { recordSettingsAudit } from './settings-audit';
import { isShopPlatform, SHOP_LIMITS, shopHasApi, type ShopPlatform } from './shop-fields';

export interface ShopInput {
  code: string;
  platform: string;
  name: string;
  apiUrl: string;
  appKey: string;
  /** Empty or absent on an update: keep the stored one. */
  appSecret?: string;
  sessionKey?: string;
  signMethod: string;
  pullIntervalSeconds: number;
  shipByHours: number;
  returnRemindDays?: number;
  returnCloseDays?: number;
}

export type SaveShopOutcome =
  | { ok: true; shop: Shop; created: boolean; changed: string[]; sessionKeyChanged: boolean }
  | { ok: false; status: 400 | 404 | 409; message: string; field: string };

/** The fields an audit row and the API show: everything but the two secrets, which appear only as set or not. */
export function shopView(shop: Shop): Record<string, unknown> {
  return {
    code: shop.code, platform: shop.platform, name: shop.name, apiUrl: shop.apiUrl, appKey: shop.appKey,
    appSecretSet: shop.appSecret !== '', sessionKeySet: shop.sessionKey !== '', signMethod: shop.signMethod,
    pullIntervalSeconds: shop.pullIntervalSeconds, shipByHours: shop.shipByHours, returnRemindDays: shop.returnRemindDays,
    returnCloseDays: shop.returnCloseDays, active: shop.active,
  };
}

type Problem = { field: string; message: string };

const RESERVED_CODES = ['new', 'test-connection'];

function intIn(value: number, range: { min: number; max: number }): boolean {
  return Number.isInteger(value) && value >= range.min && value <= range.max;
}

function firstProblem(input: ShopInput, existing: Shop | null): Problem | null {
  if (!existing && !SHOP_LIMITS.code.test(input.code)) return { field: 'code', message: '店铺编码只能用字母、数字、- 和 _，长 2 到 40 个字符' };
  // The page's own paths under /settings/shops/ would hide a shop of that code.
  if (!existing && RESERVED_CODES.includes(input.code.toLowerCase())) return { field: 'code', message: `店铺编码不能用 ${input.code}，请换一个` };
  if (!input.name.trim()) return { field: 'name', message: '请填写店铺名称' };
  if (input.name.trim().length > SHOP_LIMITS.nameMax) return { field: 'name', message: `店铺名称最多 ${SHOP_LIMITS.nameMax} 个字` };
  if (!isShopPlatform(input.platform)) return { field: 'platform', message: '请选择平台：淘宝、天猫或仅 CSV 导入' };
  const p = SHOP_LIMITS.pullIntervalSeconds;
  if (!intIn(input.pullIntervalSeconds, p)) return { field: 'pullIntervalSeconds', message: `抓单间隔必须是 ${p.min} 到 ${p.max} 之间的整数秒` };
  const h = SHOP_LIMITS.shipByHours;
  if (!intIn(input.shipByHours, h)) return { field: 'shipByHours', message: `发货时限必须是 ${h.min} 到 ${h.max} 之间的整数小时` };
  const remind = input.returnRemindDays ?? existing?.returnRemindDays ?? 7;
  const close = input.returnCloseDays ?? existing?.returnCloseDays ?? 15;
  const r = SHOP_LIMITS.returnRemindDays;
  if (!intIn(remind, r)) return { field: 'returnRemindDays', message: `退货提醒天数必须是 ${r.min} 到 ${r.max} 之间的整数` };
  const c = SHOP_LIMITS.returnCloseDays;
  if (!intIn(close, c) || close < remind) return { field: 'returnCloseDays', message: `退货关闭天数必须是 ${c.min} 到 ${c.max} 之间的整数，且不少于提醒天数` };
  if (!shopHasApi(input.platform)) return null;
  const url = input.apiUrl.trim();
  if (!/^https?:\/\/[^\s/]+/.test(url) || url.length > SHOP_LIMITS.urlMax) return { field: 'apiUrl', message: 'API 地址必须是 http:// 或 https:// 开头的网址（淘宝开放平台：https://eco.taobao.com/router/rest）' };
  if (!input.appKey.trim()) return { field: 'appKey', message: '请填写 App Key' };
  if (input.appKey.trim().length > SHOP_LIMITS.appKeyMax) return { field: 'appKey', message: `App Key 最多 ${SHOP_LIMITS.appKeyMax} 个字符` };
  const secret = input.appSecret?.trim() ?? '';
  const session = input.sessionKey?.trim() ?? '';
  if (secret.length > SHOP_LIMITS.secretMax) return { field: 'appSecret', message: `App Secret 最多 ${SHOP_LIMITS.secretMax} 个字符` };
  if (session.length > SHOP_LIMITS.secretMax) return { field: 'sessionKey', message: `SessionKey 最多 ${SHOP_LIMITS.secretMax} 个字符` };
  if (!secret && !existing?.appSecret) return { field: 'appSecret', message: '请填写 App Secret' };
  if (!session && !existing?.sessionKey) return { field: 'sessionKey', message: '请填写 SessionKey（卖家授权后平台给的会话码）' };
  if (!isTopSignMethod(input.signMethod)) return { field: 'signMethod', message: '签名方法只能是 md5、hmac 或 hmac-sha256' };
  return null;
}

function auditRow(em: EntityManager, actor: Actor, code: string, action: string, before: Record<string, unknown> | null, after: Record<string, unknown> | null, reason = ''): void {
  recordSettingsAudit(em, actor, { entityType: 'shop', entityId: code, action, before, after, reason });
}

/**
 * Creates the shop when `existingCode` is absent, otherwise changes that shop (its code stays: order and workflow ids
 * carry it). Runs in its own transaction, or inside the caller's when `em` is already in one (the demo seeder).
 */
export async function saveShop(em: EntityManager, actor: Actor, input: ShopInput, options: { existingCode?: string; box?: SecretBox } = {}): Promise<SaveShopOutcome> {
  try {
    return await em.transactional(async (tx) => {
      const existing = options.existingCode === undefined ? null : await tx.findOne(Shop, { code: options.existingCode });
      if (options.existingCode !== undefined && !existing) return { ok: false, status: 404, field: 'code', message: `店铺 ${options.existingCode} 不存在` };
      const problem = firstProblem(input, existing);
      if (problem) return { ok: false, status: 400, ...problem };
      const code = existing?.code ?? input.code.trim();
      if (!existing && (await tx.count(Shop, { code })) > 0) return { ok: false, status: 409, field: 'code', message: `店铺编码 ${code} 已被使用，请换一个` };
      const platform = input.platform as ShopPlatform;
      const api = shopHasApi(platform);
      const box = options.box ?? secretBox();
      const secret = input.appSecret?.trim() ?? '';
      const session = input.sessionKey?.trim() ?? '';
      const fields = {
        platform, name: input.name.trim(), apiUrl: api ? input.apiUrl.trim() : '', appKey: api ? input.appKey.trim() : '',
        signMethod: api ? input.signMethod : 'md5', pullIntervalSeconds: input.pullIntervalSeconds, shipByHours: input.shipByHours,
        returnRemindDays: input.returnRemindDays ?? existing?.returnRemindDays ?? 7, returnCloseDays: input.returnCloseDays ?? existing?.returnCloseDays ?? 15,
      };
      // A CSV-only shop keeps no credentials at all; otherwise an empty secret field means "keep the saved one".
      // A kept value still in clear or under a previous key is sealed again under the current one.
      const keep = (stored: string) => (box.needsReseal(stored) ? box.seal(box.open(stored)) : stored);
      const appSecret = !api ? '' : secret ? box.seal(secret) : keep(existing!.appSecret);
      const sessionKey = !api ? '' : session ? box.seal(session) : keep(existing!.sessionKey);
      const secretChanged = !!existing && (api ? !!secret && box.open(existing.appSecret) !== secret : existing.appSecret !== '');
      const sessionKeyChanged = !!existing && (api ? !!session && box.open(existing.sessionKey) !== session : existing.sessionKey !== '');
      if (!existing) {
        const shop = tx.create(Shop, { code, ...fields, appSecret, sessionKey, active: true, createdAt: new Date() });
        auditRow(tx, actor, code, 'shop.create', null, shopView(shop));
        await tx.flush();
        return { ok: true, shop, created: true, changed: Object.keys(fields), sessionKeyChanged: false };
      }
      const before = shopView(existing);
      Object.assign(existing, fields, { appSecret, sessionKey });
      // A new session key is the seller's new authorisation: pulls may go again; the next one will say if it is not.
      if (sessionKeyChanged || !api) existing.authExpiredAt = null;
      const after = shopView(existing);
      const changed = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
      if (secretChanged) changed.push('appSecret');
      if (sessionKeyChanged) changed.push('sessionKey');
      if (changed.length) {
        auditRow(tx, actor, code, 'shop.update', Object.fromEntries(changed.map((k) => [k, k === 'appSecret' || k === 'sessionKey' ? '(旧值)' : before[k]])),
          Object.fromEntries(changed.map((k) => [k, k === 'appSecret' || k === 'sessionKey' ? '(已更换)' : after[k]])));
      }
      await tx.flush();
      return { ok: true, shop: existing, created: false, changed, sessionKeyChanged };
    });
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) return { ok: false, status: 409, field: 'code', message: `店铺编码 ${input.code.trim()} 已被使用，请换一个` };
    throw err;
  }
}

/** 停用 / 启用: a deactivated shop is not pulled and its schedule is paused; its orders and history stay. */
export async function setShopActive(em: EntityManager, actor: Actor, code: string, active: boolean, reason = ''): Promise<SaveShopOutcome> {
  return em.transactional(async (tx) => {
    const shop = await tx.findOne(Shop, { code });
    if (!shop) return { ok: false, status: 404, field: 'code', message: `店铺 ${code} 不存在` };
    if (shop.active !== active) {
      shop.active = active;
      auditRow(tx, actor, code, active ? 'shop.activate' : 'shop.deactivate', { active: !active }, { active }, reason.trim().slice(0, 255));
      await tx.flush();
      return { ok: true, shop, created: false, changed: ['active'], sessionKeyChanged: false };
    }
    return { ok: true, shop, created: false, changed: [], sessionKeyChanged: false };
  });
}

/**
 * Records what the platform said about the session key: expired (授权已过期, from a pull or 测试连接) or valid again
 * (测试连接 succeeded with the saved credentials). Returns whether this changed the shop.
 */
export async function markShopAuth(em: EntityManager, actor: Actor, code: string, expired: { at: Date; message: string } | null): Promise<boolean> {
  return em.transactional(async (tx) => {
    const shop = await tx.findOne(Shop, { code });
    if (!shop || (expired ? shop.authExpiredAt !== null : shop.authExpiredAt === null)) return false;
    const before = { authExpiredAt: shop.authExpiredAt?.toISOString() ?? null };
    shop.authExpiredAt = expired ? expired.at : null;
    if (expired) shop.lastPullError = expired.message;
    auditRow(tx, actor, code, expired ? 'shop.auth_expired' : 'shop.auth_restored', before, { authExpiredAt: shop.authExpiredAt?.toISOString() ?? null }, expired?.message.slice(0, 255) ?? '');
    await tx.flush();
    return true;
  });
}
