/**
 * What the 店铺 page and /api/v1/settings/shops both do: save a shop and bring its pull schedule in line, 停用/启用,
 * 测试连接 against the platform with the typed or saved credentials, and 立即抓单 through the shop's schedule.
 */
import type { Client } from '@temporalio/client';
import type { Shop } from '../../db/entities';
import { Shop as ShopEntity } from '../../db/entities';
import type { Db } from '../../db/orm';
import { markShopAuth, saveShop, setShopActive, type SaveShopOutcome, type ShopInput } from '../../db/settings/save-shop';
import { shopHasApi } from '../../db/settings/shop-fields';
import { openShopCredentials, type ShopCredentials } from '../../db/settings/shop-secrets';
import { secretBox } from '../../db/shop-secret-box';
import type { Actor } from '../../domain/roles';
import { isSessionRefused, topClientFor } from '../../activities/shop-api';
import { pauseNoteFor, syncShopPullSchedule, triggerShopPull } from '../shop-pull-schedules';
import { workflowErrorMessage } from '../workflow-error';
import { describeConnectionFailure, type ConnectionProblem } from './shop-connection-words';

export interface ShopDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
}

export type ShopActionOutcome =
  | { ok: true; shop: Shop; created: boolean; message: string; scheduleWarning?: string }
  | { ok: false; status: 400 | 404 | 409 | 503; message: string; field?: string };

/** Brings the schedule in line with the saved shop; a Temporal that cannot be reached leaves the shop saved and says so. */
async function scheduleAfterSave(deps: ShopDeps, shop: Shop): Promise<string | undefined> {
  try {
    await syncShopPullSchedule(deps.temporal, shop, deps.taskQueue);
    return undefined;
  } catch (err) {
    return `店铺已保存，但抓单计划未能更新（${workflowErrorMessage(err, 'zh-CN')}）：请稍后再保存一次`;
  }
}

function savedMessage(shop: Shop, created: boolean, changed: string[]): string {
  const paused = shopHasApi(shop.platform) ? pauseNoteFor(shop) : null;
  const base = created ? `店铺 ${shop.code} 已添加` : changed.length ? `店铺 ${shop.code} 已保存` : `店铺 ${shop.code} 没有变化`;
  if (!shopHasApi(shop.platform)) return `${base}：仅 CSV 导入，不自动抓单`;
  return paused ? `${base}；抓单暂停（${paused}）` : `${base}；每 ${shop.pullIntervalSeconds} 秒抓单一次`;
}

async function finish(deps: ShopDeps, o: SaveShopOutcome): Promise<ShopActionOutcome> {
  if (!o.ok) return o;
  const scheduleWarning = await scheduleAfterSave(deps, o.shop);
  return { ok: true, shop: o.shop, created: o.created, message: savedMessage(o.shop, o.created, o.changed), ...(scheduleWarning ? { scheduleWarning } : {}) };
}

export async function createShop(deps: ShopDeps, actor: Actor, input: ShopInput): Promise<ShopActionOutcome> {
  return finish(deps, await saveShop(deps.db.em().fork(), actor, input));
}

export async function updateShop(deps: ShopDeps, actor: Actor, code: string, input: ShopInput): Promise<ShopActionOutcome> {
  return finish(deps, await saveShop(deps.db.em().fork(), actor, input, { existingCode: code }));
}

export async function setShopActiveAndSchedule(deps: ShopDeps, actor: Actor, code: string, active: boolean, reason = ''): Promise<ShopActionOutcome> {
  const o = await setShopActive(deps.db.em().fork(), actor, code, active, reason);
  if (!o.ok) return o;
  const scheduleWarning = await scheduleAfterSave(deps, o.shop);
  const message = active ? (o.changed.length ? `店铺 ${code} 已启用` : `店铺 ${code} 本来就是启用的`) : o.changed.length ? `店铺 ${code} 已停用，不再抓单` : `店铺 ${code} 本来就是停用的`;
  return { ok: true, shop: o.shop, created: false, message, ...(scheduleWarning ? { scheduleWarning } : {}) };
}

export async function pullShopNow(deps: ShopDeps, code: string): Promise<ShopActionOutcome> {
  const shop = await deps.db.em().fork().findOne(ShopEntity, { code });
  if (!shop) return { ok: false, status: 404, message: `店铺 ${code} 不存在` };
  if (!shopHasApi(shop.platform)) return { ok: false, status: 409, message: `店铺 ${code} 是仅 CSV 导入的店铺，没有平台接口可抓单：请用「导入订单」` };
  const paused = pauseNoteFor(shop);
  if (paused) return { ok: false, status: 409, message: `不能立即抓单：${paused}` };
  try {
    await syncShopPullSchedule(deps.temporal, shop, deps.taskQueue);
    await triggerShopPull(deps.temporal, code);
  } catch (err) {
    return { ok: false, status: 503, message: `抓单没有开始：${workflowErrorMessage(err, 'zh-CN')}` };
  }
  return { ok: true, shop, created: false, message: `店铺 ${code} 已开始抓单，稍后刷新查看结果` };
}

/** What is typed on the form for 测试连接: blank secrets mean "the saved ones" when the shop exists. */
export interface ConnectionInput {
  code?: string;
  platform: string;
  apiUrl: string;
  appKey: string;
  appSecret?: string;
  sessionKey?: string;
  signMethod: string;
}

export type ConnectionOutcome =
  | { ok: true; message: string; sellerNick: string; authRestored: boolean }
  | { ok: false; status: 400 | 404 | 502; problem: ConnectionProblem | 'input'; message: string; platformAnswer: string };

const CONNECTION_TIMEOUT_MS = 10_000;

/**
 * Calls taobao.user.seller.get, cheap and needing a valid session, so one call checks the address, app key, secret,
 * sign method and session key. With the saved credentials of a shop marked 授权已过期, a success clears the mark and
 * resumes its pulls, and a refused session marks it and pauses them.
 */
export async function testShopConnection(deps: ShopDeps, actor: Actor, input: ConnectionInput): Promise<ConnectionOutcome> {
  const bad = (message: string, status: 400 | 404 = 400): ConnectionOutcome => ({ ok: false, status, problem: 'input', message, platformAnswer: '' });
  if (!shopHasApi(input.platform)) return bad('仅 CSV 导入的店铺没有平台接口，不需要测试连接');
  const saved = input.code ? await deps.db.em().fork().findOne(ShopEntity, { code: input.code }) : null;
  if (input.code && !saved) return bad(`店铺 ${input.code} 不存在`, 404);
  const stored: ShopCredentials | null = saved && shopHasApi(saved.platform) ? openShopCredentials(saved, secretBox()) : null;
  const credentials: ShopCredentials = {
    apiUrl: input.apiUrl.trim() || stored?.apiUrl || '',
    appKey: input.appKey.trim() || stored?.appKey || '',
    appSecret: input.appSecret?.trim() || stored?.appSecret || '',
    sessionKey: input.sessionKey?.trim() || stored?.sessionKey || '',
    signMethod: input.signMethod || stored?.signMethod || 'hmac-sha256',
  };
  if (!/^https?:\/\/[^\s/]+/.test(credentials.apiUrl)) return bad('请先填写 API 地址（http:// 或 https:// 开头）');
  if (!credentials.appKey) return bad('请先填写 App Key');
  if (!credentials.appSecret) return bad('请先填写 App Secret');
  if (!credentials.sessionKey) return bad('请先填写 SessionKey');
  const same = !!stored && (['apiUrl', 'appKey', 'appSecret', 'sessionKey', 'signMethod'] as const).every((k) => stored[k] === credentials[k]);
  try {
    const answer = await topClientFor(credentials, CONNECTION_TIMEOUT_MS).call<{ user?: { nick?: string } }>('taobao.user.seller.get', { fields: 'nick,user_id,type' });
    const nick = answer.user?.nick ?? '';
    let authRestored = false;
    if (same && saved?.authExpiredAt) {
      authRestored = await markShopAuth(deps.db.em().fork(), actor, saved.code, null);
      const fresh = await deps.db.em().fork().findOneOrFail(ShopEntity, { code: saved.code });
      await scheduleAfterSave(deps, fresh);
    }
    const restored = authRestored ? '；授权已恢复，抓单继续' : '';
    return { ok: true, sellerNick: nick, authRestored, message: `连接成功：平台认出了卖家「${nick || '（未返回昵称）'}」，App Key、App Secret、签名方法和 SessionKey 都可用${restored}` };
  } catch (err) {
    const failure = describeConnectionFailure(err, credentials.apiUrl);
    if (same && saved && isSessionRefused(err) && !saved.authExpiredAt) {
      await markShopAuth(deps.db.em().fork(), actor, saved.code, { at: new Date(), message: `授权已过期：${failure.platformAnswer}` });
      const fresh = await deps.db.em().fork().findOneOrFail(ShopEntity, { code: saved.code });
      await scheduleAfterSave(deps, fresh);
    }
    return { ok: false, status: 502, problem: failure.problem, message: failure.message, platformAnswer: failure.platformAnswer };
  }
}
