/** The JSON API speaks the caller's Accept-Language (zh-CN or English), else the user's own setting, else zh-CN. */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import type { Locale } from '../i18n/translate';

/** The first language the header prefers (by q, then by position) that the app has a catalogue for, or null. */
export function localeFromAcceptLanguage(header: string | undefined): Locale | null {
  if (!header) return null;
  const prefs = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((p) => p.tag && p.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of prefs) {
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
  }
  return null;
}

export function apiLocale(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const locale = localeFromAcceptLanguage(c.req.header('accept-language'));
    if (locale) c.set('locale', locale);
    await next();
  };
}
