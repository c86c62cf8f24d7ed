/** Puts every page inside the layout with what the layout needs: who is signed in, the menu, the language and the CSRF token. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { apiErrorBody, errorCodeForStatus, type ApiErrorCode } from './api-v1/api-error';
import { assetUrls } from './asset-routes';
import type { AppEnv } from './env';
import { translate, type Locale } from './i18n/translate';
import { navFor } from './nav';

type Ctx = Context<AppEnv>;

export function layoutContext(c: Ctx): Record<string, unknown> {
  const user = c.get('user');
  const locale = c.get('locale');
  const path = new URL(c.req.url).pathname;
  return {
    locale,
    otherLocale: locale === 'en' ? 'zh-CN' : 'en',
    currentUrl: path + new URL(c.req.url).search,
    assets: assetUrls,
    csrfToken: c.get('csrfToken') ?? '',
    user: user ? { username: user.username, displayName: user.displayName, roles: user.roles } : null,
    nav: user ? navFor(user.roles, path) : [],
  };
}

export function t(c: Ctx, key: string, params?: Record<string, unknown>): string {
  return translate(c.get('locale') as Locale, key, params);
}

export function isHtmx(c: Ctx): boolean {
  return c.req.header('hx-request') === 'true';
}

export function renderPage(c: Ctx, name: string, data: Record<string, unknown> = {}, status: ContentfulStatusCode = 200) {
  return c.html(c.get('views').page(name, { ...layoutContext(c), ...data }), status);
}

export function renderFragment(c: Ctx, name: string, data: Record<string, unknown> = {}, status: ContentfulStatusCode = 200) {
  return c.html(c.get('views').fragment(name, { ...layoutContext(c), ...data }), status);
}

/** One error shape for people and scripts: JSON under /api/, a banner for htmx, a page otherwise. */
export function renderError(c: Ctx, status: ContentfulStatusCode, message: string, code: ApiErrorCode = errorCodeForStatus(status)) {
  if (new URL(c.req.url).pathname.startsWith('/api/')) return c.json(apiErrorBody(code, message), status);
  if (isHtmx(c)) {
    // htmx does not swap 4xx responses by default; the fragment is swapped into the flash area by app.js.
    return c.html(c.get('views').fragment('partials/_error-banner', { ...layoutContext(c), message, status }), status);
  }
  return renderPage(c, 'errors/error', { message, status, title: t(c, `error.title.${status}`) }, status);
}
