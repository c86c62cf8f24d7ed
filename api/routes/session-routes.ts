/** Signing in and out and choosing the language; repeated wrong passwords for one name from one address are refused for a while. */
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { User } from '../../db/entities';
import { authenticate, sessionCookieOptions } from '../auth/authenticate';
import { csrfProtection } from '../auth/csrf-protection';
import type { LoginRateLimiter } from '../auth/login-rate-limiter';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { createSession, deleteSession, SESSION_COOKIE } from '../auth/sessions';
import { clientAddress } from '../client-address';
import type { AppEnv } from '../env';
import { isLocale } from '../i18n/translate';
import { homePathFor } from '../nav';
import { renderPage, t } from '../render';

const loginForm = z.object({
  username: z.string().trim().min(1, 'login.usernameRequired').max(60),
  password: z.string().min(1, 'login.passwordRequired').max(200),
  next: z.string().optional(),
});

/** Only a path on this site, so the login page cannot be used to send people elsewhere. */
export function localPath(next: string | undefined, fallback: string): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.includes('\\') ? next : fallback;
}

let dummyHash: Promise<string> | undefined;
// An unknown user costs as much time as a wrong password, so response times do not reveal who exists.
const burnTime = async (password: string): Promise<void> => {
  dummyHash ??= hashPassword('guanjia-timing-equaliser');
  await verifyPassword(await dummyHash, password);
};

export function sessionRoutes(limiter: LoginRateLimiter) {
  return new Hono<AppEnv>()
    .get('/login', (c) => renderPage(c, 'auth/login', { layout: 'bare', next: c.req.query('next') ?? '', title: t(c, 'login.title') }))
    .post('/login', async (c) => {
      const body = await c.req.parseBody();
      const parsed = loginForm.safeParse(body);
      const next = typeof body.next === 'string' ? body.next : '';
      const username = typeof body.username === 'string' ? body.username.trim() : '';
      const fail = (message: string, status: 400 | 401 | 429) =>
        renderPage(c, 'auth/login', { layout: 'bare', next, username, error: message, title: t(c, 'login.title') }, status);
      if (!parsed.success) return fail(t(c, parsed.error.issues[0]?.message ?? 'error.badInput'), 400);

      const key = `${parsed.data.username.toLowerCase()}|${clientAddress(c)}`;
      const wait = limiter.retryAfter(key);
      if (wait > 0) {
        c.header('Retry-After', String(wait));
        return fail(t(c, 'login.rateLimited', { minutes: Math.ceil(wait / 60) }), 429);
      }
      const em = c.var.deps.db.em();
      const user = await em.findOne(User, { username: parsed.data.username });
      const ok = user && user.active ? await verifyPassword(user.passwordHash, parsed.data.password) : (await burnTime(parsed.data.password), false);
      if (!ok || !user) {
        limiter.recordFailure(key);
        return fail(t(c, 'login.failed'), 401);
      }
      limiter.reset(key);
      const { cookieValue } = await createSession(em, user, c.var.deps.config.sessionHours, {
        ip: clientAddress(c),
        userAgent: c.req.header('user-agent') ?? '',
      });
      await em.nativeUpdate(User, { id: user.id }, { lastLoginAt: new Date() });
      setCookie(c, SESSION_COOKIE, cookieValue, sessionCookieOptions(c, c.var.deps.config.sessionHours * 3600));
      return c.redirect(localPath(parsed.data.next, homePathFor(user.roles)), 303);
    })
    .post('/logout', authenticate(), csrfProtection(), async (c) => {
      const cookie = getCookie(c, SESSION_COOKIE);
      if (cookie) await deleteSession(c.var.deps.db.em(), cookie);
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: c.var.deps.config.secureCookies });
      if (c.req.header('hx-request') === 'true') return c.body(null, 204, { 'HX-Redirect': '/login' });
      return c.redirect('/login', 303);
    })
    .get('/lang/:locale', (c) => {
      const locale = c.req.param('locale');
      if (isLocale(locale)) {
        setCookie(c, 'gj_lang', locale, { path: '/', sameSite: 'Lax', maxAge: 365 * 24 * 3600, secure: c.var.deps.config.secureCookies });
      }
      return c.redirect(localPath(c.req.query('next'), '/'), 303);
    });
}
