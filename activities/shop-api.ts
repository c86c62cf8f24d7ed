/** Builds the platform API for a shop from its stored credentials; the gateway URL is configuration only. */
import type { Shop } from '../db/entities';
import { isTopSignMethod } from '../integrations/taobao/sign';
import { createTaobaoApi, type TaobaoApi } from '../integrations/taobao/taobao-api';
import { createTopClient } from '../integrations/taobao/top-client';
import { TopError } from '../integrations/taobao/top-error';
import { ApplicationFailure } from '@temporalio/activity';

export function shopApi(shop: Shop): TaobaoApi {
  if (shop.platform !== 'taobao') throw ApplicationFailure.nonRetryable(`平台 ${shop.platform} 尚未接入`, 'PlatformNotSupported');
  return createTaobaoApi(
    createTopClient({
      url: shop.apiUrl,
      appKey: shop.appKey,
      appSecret: shop.appSecret,
      session: shop.sessionKey || undefined,
      signMethod: isTopSignMethod(shop.signMethod) ? shop.signMethod : 'hmac-sha256',
    }),
  );
}

/**
 * Maps a platform error onto Temporal's retry rules: business errors (bad arguments, trade closed) are
 * final; system errors, outages and rate limits are retried, a rate limit after the wait it asks for.
 */
export function asActivityFailure(err: unknown): unknown {
  if (!(err instanceof TopError)) return err;
  return ApplicationFailure.create({
    message: err.message,
    type: err.rateLimited ? 'TopRateLimited' : err.retryable ? 'TopSystemError' : 'TopBusinessError',
    nonRetryable: !err.retryable,
    nextRetryDelay: err.retryAfterMs,
    details: [{ code: err.code, subCode: err.subCode ?? null }],
  });
}
