/**
 * Builds the platform API for a shop from its stored credentials, opened here and nowhere in a workflow: workflows
 * carry only the shop code. Also says which platform answers mean the seller's authorisation is gone (授权已过期), so a
 * pull can pause the shop's schedule instead of failing every minute.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Shop } from '../db/entities';
import { openShopCredentials, type ShopCredentials } from '../db/settings/shop-secrets';
import { shopHasApi } from '../db/settings/shop-fields';
import { isTopSignMethod } from '../domain/taobao';
import { createTaobaoApi, type TaobaoApi } from '../integrations/taobao/taobao-api';
import { createTopClient, type TopClient } from '../integrations/taobao/top-client';
import { TopError } from '../integrations/taobao/top-error';

/** Pauses and resumes a shop's pull schedule; built by the worker from its Temporal client (api/shop-pull-schedules.ts). */
export interface ShopPullControl {
  pause(shopCode: string, note: string): Promise<void>;
  resume(shopCode: string, note: string): Promise<void>;
}

export function topClientFor(credentials: ShopCredentials, timeoutMs?: number): TopClient {
  return createTopClient({
    url: credentials.apiUrl,
    appKey: credentials.appKey,
    appSecret: credentials.appSecret,
    session: credentials.sessionKey || undefined,
    signMethod: isTopSignMethod(credentials.signMethod) ? credentials.signMethod : 'hmac-sha256',
    ...(timeoutMs ? { timeoutMs } : {}),
  });
}

export function shopApi(shop: Shop): TaobaoApi {
  if (!shopHasApi(shop.platform)) throw ApplicationFailure.nonRetryable(`店铺 ${shop.code} 是仅 CSV 导入的店铺，没有平台接口`, 'PlatformNotSupported');
  return createTaobaoApi(topClientFor(openShopCredentials(shop)));
}

/**
 * TOP's answers for a session key that is missing, wrong or expired: codes 26 (Missing Session) and 27 (Invalid
 * Session), and the sub codes the gateway and its ISV services give for it (`invalid-sessionkey`,
 * `isv.invalid-session`, `isv.session-expired`, `sessionkey-not-exist`…).
 */
export function isSessionRefused(err: unknown): boolean {
  if (!(err instanceof TopError)) return false;
  if (err.code === '26' || err.code === '27') return true;
  return /(^|[.:-])(invalid-?session|session-?expired|session-?not-?exist|sessionkey)/i.test(err.subCode ?? '');
}

/**
 * Maps a platform error onto Temporal's retry rules: business errors (bad arguments, trade closed) are
 * final; system errors, outages and rate limits are retried, a rate limit after the wait it asks for.
 */
export function asActivityFailure(err: unknown): unknown {
  if (!(err instanceof TopError)) return err;
  return ApplicationFailure.create({
    message: err.message,
    type: isSessionRefused(err) ? 'TopSessionRefused' : err.rateLimited ? 'TopRateLimited' : err.retryable ? 'TopSystemError' : 'TopBusinessError',
    nonRetryable: !err.retryable,
    nextRetryDelay: err.retryAfterMs,
    details: [{ code: err.code, subCode: err.subCode ?? null }],
  });
}
