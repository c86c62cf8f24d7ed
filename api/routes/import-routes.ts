/**
 * 导入订单: a Taobao order export (订单报表 + 宝贝报表) becomes orders; every bad row is listed with its file, row and
 * reason, good rows go in, and importing the same file again starts nothing twice.
 */
import { Hono, type Context } from 'hono';
import { ImportBatch, Shop } from '../../db/entities';
import { requireRole } from '../auth/require-role';
import type { AppEnv } from '../env';
import { importOrderFiles, MAX_UPLOAD_MB, uploadedFile } from '../orders/import-order-files';
import { renderPage, t } from '../render';
import { workflowErrorMessage } from '../workflow-error';

async function renderForm(c: Context<AppEnv>, error = '', status: 200 | 400 | 502 = 200) {
  const em = c.var.deps.db.em();
  const [shops, recent] = await Promise.all([
    em.find(Shop, { active: true }, { fields: ['code', 'name'], orderBy: { code: 'asc' } }),
    em.find(ImportBatch, {}, { exclude: ['errors'], orderBy: { createdAt: 'desc' }, limit: 10 }),
  ]);
  return renderPage(c, 'import/form', { title: t(c, 'nav.import'), shops, recent, error, maxMb: MAX_UPLOAD_MB }, status);
}

export const importRoutes = new Hono<AppEnv>()
  .use('*', requireRole('order.import'))
  .get('/', (c) => renderForm(c))
  .post(
    '/',
    async (c) => {
      const body = await c.req.parseBody();
      const outcome = await importOrderFiles(c, {
        shopCode: typeof body.shopCode === 'string' ? body.shopCode : '',
        orders: uploadedFile(body.orders),
        items: uploadedFile(body.items),
      });
      if (!outcome.ok) {
        if (outcome.problem === 'intakeFailed') {
          return renderForm(c, t(c, 'import.intakeFailed', { reason: workflowErrorMessage(outcome.error, c.var.locale) }), 502);
        }
        return renderForm(c, t(c, `import.${outcome.problem}`), 400);
      }
      const { batch, parsed, counts, previous } = outcome;
      return renderPage(
        c,
        'import/result',
        { title: t(c, 'import.resultTitle'), batch, stats: parsed.stats, counts, errors: parsed.errors, previous },
        parsed.errors.length && !parsed.drafts.length ? 422 : 200,
      );
    },
  );
