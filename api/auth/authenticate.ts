/**
 * Lets a request in only with a live session cookie, or with a personal API token under /api/v1, and
 * sets who is acting; everything behind it knows `user` and `actor`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { EntityManager } from '@mikro-orm/knex';
import { ApiToken, AuditEvent, User } from '../../db/entities';
import type { Actor } from '../../domain/roles';
import { apiErrorBody } from '../api-v1/api-error';
import type { AppEnv } from '../env';
import { isLocale } from '../i18n/translate';
import { isHtmx, renderError, t } from '../render';
import { markGuard } from './guard-mark';
import { randomToken, sha256Hex } from './secret-token';
import { cookieSeconds, extendSession, findSession, SESSION_COOKIE, sessionLifetime } from './sessions';

export const API_PREFIX = '/api/v1';

export function actorOf(user: User): Actor {
  return { username: user.username, displayName: user.displayName, roles: [...user.roles] };
}

export function sessionCookieOptions(c: Context<AppEnv>, maxAgeSeconds: number) {
  return {
    httpOnly: true,
    sameSite: 'Lax' as const,
    secure: c.get('deps').config.secureCookies,
    path: '/',
    maxAge: maxAgeSeconds,
  };
}

function signIn(c: Context<AppEnv>, user: User, csrfToken: string): void {
  c.set('user', user);
  c.set('actor', actorOf(user));
  c.set('csrfToken', csrfToken);
  if (!getCookie(c, 'gj_lang') && isLocale(user.locale)) c.set('locale', user.locale);
}

/** Account changes after which a token made before them opens nothing, even once the account is active again. */
const TOKEN_ENDING_ACTIONS = ['user.password_reset', 'user.deactivate'];

/**
 * A token made before its user's password was reset or the account deactivated is revoked on sight: the audit trail
 * records both changes, so every web process reaches the same answer without a column of its own.
 */
async function endedByAccountChange(em: EntityManager, user: User, token: ApiToken): Promise<boolean> {
  const change = await em.findOne(
    AuditEvent,
    { entityType: 'user', entityId: user.username, action: { $in: TOKEN_ENDING_ACTIONS }, at: { $gt: token.createdAt } },
    { fields: ['id'] },
  );
  if (!change) return false;
  await em.nativeUpdate(ApiToken, { id: token.id, revokedAt: null }, { revokedAt: new Date() });
  return true;
}

/** The active user of a personal API token (`Bearer gj_…`), or null; also used by the codec endpoint for the CLI. */
export async function bearerUser(c: Context<AppEnv>, header: string): Promise<User | null> {
  const token = /^Bearer\s+(gj_[A-Za-z0-9_-]{20,100})\s*$/.exec(header)?.[1];
  if (!token) return null;
  const em = c.get('deps').db.em();
  const row = await em.findOne(ApiToken, { tokenHash: sha256Hex(token), revokedAt: null });
  if (!row) return null;
  const user = await em.findOne(User, { id: row.userId, active: true });
  if (!user) return null;
  if (await endedByAccountChange(em, user, row)) return null;
  // Touch at most once a minute: a script polling the API should not turn every read into a write.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await em.nativeUpdate(ApiToken, { id: row.id }, { lastUsedAt: new Date() });
  }
  return user;
}

export function authenticate(): MiddlewareHandler<AppEnv> {
  return markGuard({ kind: 'signIn' }, async (c, next) => {
    const path = new URL(c.req.url).pathname;
    if (path === API_PREFIX || path.startsWith(`${API_PREFIX}/`)) {
      const user = await bearerUser(c, c.req.header('authorization') ?? '');
      if (!user) return c.json(apiErrorBody('unauthorized', t(c, 'auth.apiTokenRequired')), 401, { 'WWW-Authenticate': 'Bearer' });
      // A token is not a browser session: no cookie is involved, so there is nothing for CSRF to forge.
      signIn(c, user, randomToken(16));
      c.set('authKind', 'token');
      return next();
    }
    const cookie = getCookie(c, SESSION_COOKIE);
    const em = c.get('deps').db.em();
    const lifetime = sessionLifetime(c.get('deps').config);
    const found = cookie ? await findSession(em, cookie, lifetime.maxHours) : null;
    if (!found || !cookie) {
      const next = c.req.method === 'GET' ? `?next=${encodeURIComponent(path + new URL(c.req.url).search)}` : '';
      if (isHtmx(c)) return c.body(null, 401, { 'HX-Redirect': `/login${next}` });
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return renderError(c, 401, t(c, 'auth.sessionExpired'));
      return c.redirect(`/login${next}`, 302);
    }
    if (await extendSession(em, found.session, lifetime)) {
      setCookie(c, SESSION_COOKIE, cookie, sessionCookieOptions(c, cookieSeconds(found.session)));
    }
    signIn(c, found.user, found.session.csrfToken);
    c.set('authKind', 'session');
    return next();
  });
}
