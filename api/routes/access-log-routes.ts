/** 访问日志: admins search who saw, exported or printed buyers' data in clear (user, days, order) and export the log. */
import { Hono, type Context } from 'hono';
import type { PiiAccessLog } from '../../db/entities';
import { requireRole } from '../auth/require-role';
import type { AppEnv } from '../env';
import { formatShanghai } from '../format-time';
import { accessLogCsv, accessLogQuery, findAccessLogPage, type AccessLogQuery } from '../privacy/access-log-query';
import { describeIssue } from '../read-form';
import { renderPage, t } from '../render';

const COLUMNS = ['at', 'user', 'action', 'via', 'what', 'order', 'rows', 'address'] as const;

/** One log row in the reader's words, for the page and the CSV alike. */
export function accessLogLabels(c: Context<AppEnv>, r: PiiAccessLog): Array<string | number> {
  return [
    formatShanghai(r.at, true),
    r.username,
    t(c, `accessLog.action.${r.action}`),
    t(c, `accessLog.via.${r.via}`),
    r.description,
    r.orderIds.split('\n').filter(Boolean).join(' '),
    r.rowCount,
    r.clientAddress,
  ];
}

export function accessLogHeader(c: Context<AppEnv>): string[] {
  const key: Record<(typeof COLUMNS)[number], string> = {
    at: 'accessLog.at', user: 'accessLog.user', action: 'accessLog.action', via: 'accessLog.via', what: 'accessLog.what',
    order: 'accessLog.order', rows: 'accessLog.rows', address: 'accessLog.address',
  };
  return COLUMNS.map((k) => t(c, key[k]));
}

function queryParams(q: AccessLogQuery): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) if (v !== '' && k !== 'page' && !(k === 'size' && v === 50)) out[k] = String(v);
  return out;
}

export const accessLogRoutes = new Hono<AppEnv>()
  .use('*', requireRole('privacy.admin'))
  .get('/', async (c) => {
    const parsed = accessLogQuery.safeParse(c.req.query());
    const q = parsed.success ? parsed.data : accessLogQuery.parse({});
    const page = await findAccessLogPage(c.var.deps.db.em(), q);
    const query = queryParams(q);
    const qs = new URLSearchParams(query).toString();
    return renderPage(
      c,
      'admin/access-log',
      {
        title: t(c, 'accessLog.title'),
        q,
        query,
        pager: page.pager,
        rows: page.rows.map((r) => ({
          ...r,
          actionLabel: t(c, `accessLog.action.${r.action}`),
          viaLabel: t(c, `accessLog.via.${r.via}`),
          orders: r.orderIds.split('\n').filter(Boolean),
        })),
        csvHref: `/admin/access-log/export${qs ? `?${qs}` : ''}`,
        error: parsed.success ? '' : describeIssue(c, parsed.error),
      },
      parsed.success ? 200 : 400,
    );
  })
  .get('/export', (c) => {
    const parsed = accessLogQuery.safeParse(c.req.query());
    if (!parsed.success) return c.text(describeIssue(c, parsed.error), 400);
    return accessLogCsv(c.var.deps.db.em(), parsed.data, accessLogHeader(c), (r) => accessLogLabels(c, r));
  });
