/** Renders ui-templates/ with Handlebars: every template, partial and helper is registered once, when the app is built. */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { fenToYuan } from '../domain/money';
import { isRole, ROLE_LABELS } from '../domain/roles';
import { formatShanghai } from './format-time';
import { auditActionLabel } from './i18n/audit-actions';
import { isLocale, translate, type Locale } from './i18n/translate';
import type { Views } from './env';

export const TEMPLATE_ROOT = path.resolve(__dirname, '..', 'ui-templates');

type Options = Handlebars.HelperOptions;

function rootLocale(options: Options): Locale {
  const locale = (options.data as { root?: { locale?: string } } | undefined)?.root?.locale;
  return isLocale(locale) ? locale : 'zh-CN';
}

function listTemplates(dir: string, prefix = ''): Array<{ name: string; file: string }> {
  const out: Array<{ name: string; file: string }> = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    // Print templates belong to the print activity, which renders them with its own Handlebars instance.
    if (entry.isDirectory() && !(prefix === '' && entry.name === 'print')) out.push(...listTemplates(file, name));
    else if (entry.isFile() && entry.name.endsWith('.hbs')) out.push({ name: name.slice(0, -'.hbs'.length), file });
  }
  return out;
}

function registerHelpers(hb: typeof Handlebars): void {
  hb.registerHelper('t', function (key: string, options: Options) {
    return translate(rootLocale(options), key, options.hash as Record<string, unknown>);
  });
  hb.registerHelper('fen', (fen: unknown) => (typeof fen === 'number' ? fenToYuan(fen) : ''));
  hb.registerHelper('time', (value: unknown) => formatShanghai(value as Date | string | null));
  hb.registerHelper('timeSec', (value: unknown) => formatShanghai(value as Date | string | null, true));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
  hb.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
  hb.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hb.registerHelper('not', (a: unknown) => !a);
  hb.registerHelper('array', (...args: unknown[]) => args.slice(0, -1));
  hb.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).map((a) => String(a ?? '')).join(''));
  hb.registerHelper('includes', (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value));
  hb.registerHelper('startsWith', (text: unknown, prefix: unknown) => String(text ?? '').startsWith(String(prefix ?? '')));
  hb.registerHelper('json', (value: unknown) => JSON.stringify(value ?? null));
  hb.registerHelper('urlencode', (value: unknown) => encodeURIComponent(String(value ?? '')));
  hb.registerHelper('orderUrl', (id: unknown) => `/orders/${encodeURIComponent(String(id ?? ''))}`);
  hb.registerHelper('statusLabel', function (status: string, options: Options) {
    return translate(rootLocale(options), `status.${status}`);
  });
  hb.registerHelper('auditLabel', function (action: string, options: Options) {
    return auditActionLabel(rootLocale(options), action);
  });
  hb.registerHelper('syncLabel', function (status: string, options: Options) {
    return translate(rootLocale(options), `sync.${status}`);
  });
  hb.registerHelper('roleLabel', function (role: string, options: Options) {
    if (!isRole(role)) return role;
    return rootLocale(options) === 'en' ? ROLE_LABELS[role].en : ROLE_LABELS[role].zh;
  });
  /** A link to the current list with some query parameters replaced: {{qs query page=2}}. */
  hb.registerHelper('qs', function (query: unknown, options: Options) {
    const params = new URLSearchParams();
    const base = (query && typeof query === 'object' ? query : {}) as Record<string, unknown>;
    const merged: Record<string, unknown> = { ...base, ...(options.hash as Record<string, unknown>) };
    for (const [k, v] of Object.entries(merged)) {
      if (v === undefined || v === null || v === '') continue;
      params.set(k, String(v));
    }
    const s = params.toString();
    return s ? `?${s}` : '?';
  });
  /** Sort header link: the same column again flips the direction, a new column starts ascending. */
  hb.registerHelper('sortHref', (query: Record<string, string> | undefined, key: string) => {
    const q = { ...(query ?? {}) };
    const dir = q.sort === key && q.dir === 'asc' ? 'desc' : 'asc';
    const params = new URLSearchParams({ ...q, sort: key, dir });
    params.delete('page');
    return `?${params.toString()}`;
  });
  hb.registerHelper('sortMark', (query: Record<string, string> | undefined, key: string) => {
    if (query?.sort !== key) return '';
    return query.dir === 'desc' ? '▼' : '▲';
  });
}

export function createViews(root: string = TEMPLATE_ROOT): Views {
  const hb = Handlebars.create();
  registerHelpers(hb);
  const templates = new Map<string, Handlebars.TemplateDelegate>();
  for (const { name, file } of listTemplates(root)) {
    const source = fs.readFileSync(file, 'utf8');
    // Partials and fragments are usable from any page as {{> partials/name}} or {{> review/_row}}.
    hb.registerPartial(name, source);
    templates.set(name, hb.compile(source, { strict: false }));
  }
  const get = (name: string): Handlebars.TemplateDelegate => {
    const tpl = templates.get(name);
    if (!tpl) throw new Error(`template ui-templates/${name}.hbs not found`);
    return tpl;
  };
  return {
    page(name, data) {
      const body = get(name)(data);
      const layout = typeof data.layout === 'string' ? data.layout : 'main';
      return get(`layouts/${layout}`)({ ...data, body });
    },
    fragment(name, data) {
      return get(name)(data);
    },
  };
}
