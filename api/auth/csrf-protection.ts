/** Refuses any state-changing browser request that does not carry its session's CSRF token, before anything is changed. */
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { renderError, t } from '../render';
import { markGuard } from './guard-mark';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function tokensMatch(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length > 0 && a.length === b.length && timingSafeEqual(a, b);
}

export function csrfProtection(): MiddlewareHandler<AppEnv> {
  return markGuard({ kind: 'csrf', form: 'session' }, async (c, next) => {
    if (SAFE_METHODS.has(c.req.method) || c.get('authKind') === 'token') return next();
    let given = c.req.header(CSRF_HEADER) ?? '';
    if (!given) {
      const type = c.req.header('content-type') ?? '';
      if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
        // parseBody caches the parsed body, so the handler reads the same form without a second parse.
        const body = await c.req.parseBody({ all: true });
        const field = body[CSRF_FIELD];
        given = typeof field === 'string' ? field : '';
      }
    }
    if (!tokensMatch(c.get('csrfToken') ?? '', given)) return renderError(c, 403, t(c, 'auth.csrfInvalid'));
    return next();
  });
}
