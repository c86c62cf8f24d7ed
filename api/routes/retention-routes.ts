/** 数据保留: admins set how many days print PDFs, finished orders' platform JSON and the access log are kept, and see the last purges. */
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { loadRetention, recentPurges, retentionInput, saveRetention, RETENTION_DAYS } from '../../db/retention-settings';
import { requireRole } from '../auth/require-role';
import type { AppEnv } from '../env';
import { renderPage, t } from '../render';

const FIELD_KEYS = { printPdfDays: 'retention.printPdfDays', platformOrderDays: 'retention.platformOrderDays', accessLogDays: 'retention.accessLogDays' } as const;

/** The first bad field of a retention form or body, in the reader's words; null when all three are whole days in range. */
export function retentionProblem(c: Context<AppEnv>, body: unknown): string | null {
  const parsed = retentionInput.safeParse(body);
  if (parsed.success) return null;
  const field = String(parsed.error.issues[0]?.path[0] ?? 'printPdfDays') as keyof typeof FIELD_KEYS;
  return t(c, 'retention.badDays', { field: t(c, FIELD_KEYS[field] ?? FIELD_KEYS.printPdfDays) });
}

async function renderRetention(c: Context<AppEnv>, flash: { ok: boolean; message: string } | null, status: ContentfulStatusCode = 200, values?: Record<string, unknown>) {
  const em = c.var.deps.db.em();
  const [settings, purges] = await Promise.all([loadRetention(em), recentPurges(em)]);
  return renderPage(
    c,
    'admin/retention',
    {
      title: t(c, 'retention.title'),
      settings: { ...settings, ...(values ?? {}) },
      limits: RETENTION_DAYS,
      purges: purges.map((p) => ({ at: p.at, summary: t(c, 'retention.purged', { pdfs: p.after?.pdfs ?? 0, platformOrders: p.after?.platformOrders ?? 0, accessLogs: p.after?.accessLogs ?? 0 }) })),
      flash,
    },
    status,
  );
}

export const retentionRoutes = new Hono<AppEnv>()
  .use('*', requireRole('privacy.admin'))
  .get('/', (c) => renderRetention(c, null))
  .post('/', async (c) => {
    const body = await c.req.parseBody();
    const problem = retentionProblem(c, body);
    if (problem) return renderRetention(c, { ok: false, message: problem }, 400, body);
    await saveRetention(c.var.deps.db.em(), c.var.actor, retentionInput.parse(body));
    return renderRetention(c, { ok: true, message: t(c, 'retention.saved') });
  });
