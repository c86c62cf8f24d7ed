/**
 * Headers that keep pages to themselves: a Content-Security-Policy on every HTML page that runs only the site's own
 * script files (no inline script, no eval, no plugins, no framing), and no-store on everything but the static files,
 * because almost every answer behind sign-in carries buyers' names, phones or addresses.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';

// Inline styles stay allowed: htmx adds its indicator style, and a style cannot run code.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const CACHEABLE_PREFIX = '/assets/';

export const pageHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  // HTML only: a PDF or a download under a page policy can lose the browser's own viewer.
  if ((c.res.headers.get('content-type') ?? '').startsWith('text/html')) c.res.headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  if (!c.req.path.startsWith(CACHEABLE_PREFIX)) c.res.headers.set('Cache-Control', 'no-store');
};
