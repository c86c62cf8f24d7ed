/**
 * Login CSRF: the sign-in form carries a token that must equal a cookie the login page set, so another site cannot
 * sign a browser in to an account of its choosing (the cookie is SameSite=Lax and never sent with its POST).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../env';
import { CSRF_FIELD, tokensMatch } from './csrf-protection';
import { markGuard } from './guard-mark';
import { randomToken } from './secret-token';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const MAX_AGE_SECONDS = 24 * 3600;

/** Behind HTTPS the __Host- prefix keeps a sibling subdomain from planting the cookie. */
function cookieName(c: Context<AppEnv>): string {
  return c.var.deps.config.secureCookies ? '__Host-gj_login' : 'gj_login';
}

/** The token for the login form: the browser's pre-session cookie, set here when it has none yet. */
export function loginCsrfToken(c: Context<AppEnv>): string {
  const name = cookieName(c);
  const current = getCookie(c, name);
  if (current && TOKEN_PATTERN.test(current)) return current;
  const token = randomToken(32);
  setCookie(c, name, token, { httpOnly: true, sameSite: 'Lax', secure: c.var.deps.config.secureCookies, path: '/', maxAge: MAX_AGE_SECONDS });
  return token;
}

/** Signed in: the pre-session cookie has done its work. */
export function clearLoginCsrf(c: Context<AppEnv>): void {
  deleteCookie(c, cookieName(c), { path: '/', secure: c.var.deps.config.secureCookies });
}

/** Refuses a sign-in whose form token does not match the cookie; `refuse` answers with the login form again. */
export function loginCsrfProtection(refuse: (c: Context<AppEnv>) => Response | Promise<Response>): MiddlewareHandler<AppEnv> {
  return markGuard({ kind: 'csrf', form: 'login' }, async (c, next) => {
    const type = c.req.header('content-type') ?? '';
    let given = '';
    if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
      const field = (await c.req.parseBody())[CSRF_FIELD];
      given = typeof field === 'string' ? field : '';
    }
    const expected = getCookie(c, cookieName(c)) ?? '';
    if (!TOKEN_PATTERN.test(expected) || !tokensMatch(expected, given)) return refuse(c);
    await next();
  });
}
