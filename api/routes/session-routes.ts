/**
 * Signing in and out and choosing the language; the sign-in form is bound to a pre-session cookie (login CSRF), and
 * repeated wrong passwords slow further tries on that account and from that address, counted in the database.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { User } from '../../db/entities';
import { authenticate, sessionCookieOptions } from '../auth/authenticate';
import { clientAddress } from '../auth/client-address';
import { csrfProtection } from '../auth/csrf-protection';
import { clearLoginCsrf, loginCsrfProtection, loginCsrfToken } from '../auth/login-csrf';
import type { LoginRateLimiter } from '../auth/login-rate-limiter';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { cookieSeconds, createSession, deleteSession, SESSION_COOKIE, sessionLifetime } from '../auth/sessions';
import { USERNAME_PATTERN, usernameKey } from '../auth/username';
import type { AppEnv } from '../env';
import { isLocale } from '../i18n/translate';
import { homePathFor } from '../nav';
import { renderError, renderPage, t } from '../render';

const loginForm = z.object({
  username: z.string().trim().min(1, 'login.usernameRequired').max(60),
  password: z.string().min(1, 'login.passwordRequired').max(200),
  next: z.string().optional(),
});

// Printable ASCII only: browsers drop tabs and newlines anywhere in a URL, so "/\t/evil.example" would become "//evil.example".
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
// In the path, an escaped slash, backslash, control character or percent sign (a second layer of escaping) has no use
// on this site and is how a redirect is smuggled past a proxy or a later decode.
const SMUGGLING_ESCAPE = /%(?:2f|5c|25|20|7f|[01][0-9a-f])/i;
const SAME_ORIGIN = 'http://guanjia.invalid';

/** Only a path on this site, so the login page and the language switch cannot be used to send people elsewhere. */
export function localPath(next: string | undefined, fallback: string): string {
  if (!next || !PRINTABLE_ASCII.test(next) || next.includes('\\')) return fallback;
  if (next[0] !== '/' || next[1] === '/') return fallback;
  const path = next.split(/[?#]/, 1)[0] ?? '';
  if (SMUGGLING_ESCAPE.test(path)) return fallback;
  return new URL(next, SAME_ORIGIN).origin === SAME_ORIGIN ? next : fallback;
}

let dummyHash: Promise<string> | undefined;
// An unknown user costs as much time as a wrong password, so response times do not reveal who exists.
const burnTime = async (password: string): Promise<void> => {
  dummyHash ??= hashPassword('guanjia-timing-equaliser');
  await verifyPassword(await dummyHash, password);
};

/** The login form, with the form's CSRF token and whatever the last attempt left to say. */
function renderLogin(c: Context<AppEnv>, fields: { next: string; username?: string; error?: string }, status: ContentfulStatusCode = 200) {
  return renderPage(c, 'auth/login', { layout: 'bare', ...fields, loginCsrf: loginCsrfToken(c), title: t(c, 'login.title') }, status);
}

/** A forged or stale sign-in form: nothing is tried and nothing counted, the form comes back with a fresh token. */
async function refuseForgedLogin(c: Context<AppEnv>) {
  const body = await c.req.parseBody();
  return renderLogin(c, { next: typeof body.next === 'string' ? body.next : '', error: t(c, 'auth.csrfInvalid') }, 403);
}

// A sign-in form is a name, a password, a token and a path; anything larger is refused while it is still being read,
// before the CSRF check parses it and before argon2 runs, so no one can make the server hash or buffer at will.
const LOGIN_BODY_LIMIT = 4 * 1024;
const loginBodyLimit = bodyLimit({ maxSize: LOGIN_BODY_LIMIT, onError: (c) => renderError(c as Context<AppEnv>, 413, t(c as Context<AppEnv>, 'error.badInput')) });

export function sessionRoutes(limiter: LoginRateLimiter) {
  return new Hono<AppEnv>()
    .get('/login', (c) => renderLogin(c, { next: c.req.query('next') ?? '' }))
    .post('/login', loginBodyLimit, loginCsrfProtection(refuseForgedLogin), async (c) => {
      const body = await c.req.parseBody();
      const parsed = loginForm.safeParse(body);
      const next = typeof body.next === 'string' ? body.next : '';
      const username = typeof body.username === 'string' ? body.username.trim() : '';
      const fail = (message: string, status: 400 | 401 | 429) => renderLogin(c, { next, username, error: message }, status);
      if (!parsed.success) return fail(t(c, parsed.error.issues[0]?.message ?? 'error.badInput'), 400);

      // No account has any other name, and looking one up could match by accent or case on MySQL's collation.
      if (!USERNAME_PATTERN.test(parsed.data.username)) return fail(t(c, 'login.failed'), 401);

      const em = c.var.deps.db.em();
      const user = await em.findOne(User, { username: parsed.data.username });
      // Counted on the account found, so every spelling that reaches it shares one count.
      const key = { account: usernameKey(user?.username ?? parsed.data.username), clientAddress: clientAddress(c) };
      const admission = await limiter.admit(key);
      if (!admission.allowed) {
        c.header('Retry-After', String(admission.retryAfterSeconds));
        return fail(t(c, 'login.rateLimited', { minutes: Math.ceil(admission.retryAfterSeconds / 60) }), 429);
      }
      const ok = user && user.active ? await verifyPassword(user.passwordHash, parsed.data.password) : (await burnTime(parsed.data.password), false);
      // A failure stays counted: admit() recorded the attempt before the password was checked.
      if (!ok || !user) return fail(t(c, 'login.failed'), 401);
      await limiter.succeeded(key);
      const lifetime = sessionLifetime(c.var.deps.config);
      const { cookieValue, session } = await createSession(em, user, Math.min(lifetime.idleHours, lifetime.maxHours), {
        ip: clientAddress(c),
        userAgent: c.req.header('user-agent') ?? '',
      });
      await em.nativeUpdate(User, { id: user.id }, { lastLoginAt: new Date() });
      setCookie(c, SESSION_COOKIE, cookieValue, sessionCookieOptions(c, cookieSeconds(session)));
      clearLoginCsrf(c);
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
