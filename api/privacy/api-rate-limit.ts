/**
 * The per-token rate limit of /api/v1: each call of a token inside the last minute is a row in the database (so every
 * web process counts the same calls), and the call past the limit is answered 429 with Retry-After, saying when the
 * oldest counted call leaves the window. Paging through every buyer with a script is slowed to what a person could read.
 */
import type { MiddlewareHandler } from 'hono';
import { ApiRequest } from '../../db/entities';
import { apiErrorBody } from '../api-v1/api-error';
import { sha256Hex } from '../auth/secret-token';
import type { AppEnv } from '../env';
import { t } from '../render';

declare module '../env' {
  interface AppConfig {
    /** Calls one API token may make per minute (API_RATE_PER_MINUTE); unset = DEFAULT_API_RATE_PER_MINUTE. */
    apiRatePerMinute?: number;
  }
}

export const DEFAULT_API_RATE_PER_MINUTE = 600;
const WINDOW_MS = 60_000;
const CLEANUP_EVERY_MS = 60_000;

/** The key of the token a request carries (a hash prefix, never the token); null when it carries none. */
function tokenKey(header: string): string | null {
  const token = /^Bearer\s+(gj_[A-Za-z0-9_-]{20,100})\s*$/.exec(header)?.[1];
  return token ? sha256Hex(token).slice(0, 32) : null;
}

export function apiRateLimit(now: () => number = Date.now): MiddlewareHandler<AppEnv> {
  let lastCleanup = 0;
  return async (c, next) => {
    const key = tokenKey(c.req.header('authorization') ?? '');
    if (!key || c.var.authKind !== 'token') return next();
    const limit = c.var.deps.config.apiRatePerMinute ?? DEFAULT_API_RATE_PER_MINUTE;
    const at = now();
    const em = c.var.deps.db.em();
    if (at - lastCleanup > CLEANUP_EVERY_MS) {
      lastCleanup = at;
      await em.nativeDelete(ApiRequest, { at: { $lt: new Date(at - WINDOW_MS) } });
    }
    // Insert first, then count: calls racing on several processes each see the others, so a burst cannot slip past together.
    const mine = await em.insert(ApiRequest, { tokenKey: key, at: new Date(at) });
    const inWindow = await em.find(ApiRequest, { tokenKey: key, at: { $gt: new Date(at - WINDOW_MS) } }, { fields: ['id', 'at'], orderBy: { at: 'asc', id: 'asc' } });
    const ahead = inWindow.filter((r) => r.id !== mine && Number(r.id) < Number(mine));
    if (ahead.length < limit) return next();
    // Refused calls are not counted, so a client that waits as told gets through.
    await em.nativeDelete(ApiRequest, { id: mine });
    const oldest = ahead[ahead.length - limit]?.at.getTime() ?? at;
    const retry = Math.max(1, Math.ceil((oldest + WINDOW_MS - at) / 1000));
    return c.json(apiErrorBody('too_many_requests', t(c, 'pii.rateLimited', { max: limit, seconds: WINDOW_MS / 1000, retry })), 429, { 'Retry-After': String(retry) });
  };
}
