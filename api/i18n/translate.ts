/** Looks up UI text in the zh-CN (default) or English catalogue and fills in {placeholders}. */
import { en } from './en';
import { zhCN } from './zh-cn';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export type MessageKey = keyof typeof zhCN;

const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

export function isLocale(value: string | undefined | null): value is Locale {
  return !!value && (LOCALES as readonly string[]).includes(value);
}

export function hasMessage(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(zhCN, key);
}

/** An unknown key comes back as itself, so a missing entry shows up on the page instead of breaking it. */
export function translate(locale: Locale, key: string, params: Record<string, unknown> = {}): string {
  const text = hasMessage(key) ? CATALOGUES[locale][key] : key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export type Translate = (key: MessageKey, params?: Record<string, unknown>) => string;

export function translator(locale: Locale): Translate {
  return (key, params) => translate(locale, key, params);
}
