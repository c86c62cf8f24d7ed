/**
 * 导入订单: a Taobao order export (订单报表 + 宝贝报表) becomes orders in the background; the import page follows the
 * batch's progress and then lists every bad row with its file, row number and reason. The same upload sent twice
 * is one import, and importing the same file again starts nothing twice.
 */
import { Hono, type Context } from 'hono';
import { ImportBatch, Shop } from '../../db/entities';
import { actionIdPattern, newActionId } from '../action-id';
import { requireRole } from '../auth/require-role';
import type { AppEnv } from '../env';
import { closeInterruptedReads, ensureImportStarted, findImportBatch, importOrderFiles, MAX_UPLOAD_MB, uploadedFile } from '../orders/import-order-files';
import { renderError, renderFragment, renderPage, t } from '../render';
import { workflowErrorMessage } from '../workflow-error';

/** How often the page asks for progress while the batch is submitted (htmx polling). */
const POLL_SECONDS = 1;

async function renderForm(c: Context<AppEnv>, error = '', status: 200 | 400 | 502 = 200) {
  const em = c.var.deps.db.em();
  await closeInterruptedReads(c.var.deps);
  const [shops, recent] = await Promise.all([
    em.find(Shop, { active: true }, { fields: ['code', 'name'], orderBy: { code: 'asc' } }),
    em.find(ImportBatch, {}, { exclude: ['errors'], orderBy: { createdAt: 'desc', id: 'desc' }, limit: 10 }),
  ]);
  return renderPage(c, 'import/form', { title: t(c, 'nav.import'), shops, recent, error, maxMb: MAX_UPLOAD_MB, actionId: newActionId() }, status);
}

/** What the batch page and its progress fragment show: counts, how far submission has come, and (page only) every bad row. */
async function batchView(c: Context<AppEnv>, id: number, withErrors: boolean) {
  const found = Number.isSafeInteger(id) ? await findImportBatch(c, id, withErrors) : null;
  if (!found) return null;
  const { batch, previous } = found;
  const notStarted = await ensureImportStarted(c.var.deps, batch);
  const percent = batch.orderCount ? Math.floor((batch.submittedCount / batch.orderCount) * 100) : 100;
  return {
    title: t(c, 'import.resultTitle'),
    batch,
    previous,
    running: batch.status !== 'done',
    percent,
    pollSeconds: POLL_SECONDS,
    errors: withErrors ? batch.errors : [],
    notStarted: notStarted ? workflowErrorMessage(notStarted, c.var.locale) : '',
  };
}

export const importRoutes = new Hono<AppEnv>()
  .use('*', requireRole('order.import'))
  .get('/', (c) => renderForm(c))
  .post('/', async (c) => {
    const body = await c.req.parseBody();
    const actionId = typeof body.actionId === 'string' ? body.actionId : '';
    if (!actionIdPattern.test(actionId)) return renderForm(c, t(c, 'error.staleForm'), 400);
    const outcome = await importOrderFiles(c, {
      shopCode: typeof body.shopCode === 'string' ? body.shopCode : '',
      orders: uploadedFile(body.orders),
      items: uploadedFile(body.items),
      actionId,
    });
    if (!outcome.ok && outcome.problem !== 'startFailed') {
      return renderForm(c, t(c, outcome.problem === 'badActionId' ? 'error.staleForm' : `import.${outcome.problem}`), 400);
    }
    // The batch has its own page: reloading it follows the progress (and retries a start that failed), never uploading again.
    return c.redirect(`/import/${outcome.batch.id}`, 303);
  })
  .get('/:id{[0-9]+}', async (c) => {
    const view = await batchView(c, Number(c.req.param('id')), true);
    if (!view) return renderError(c, 404, t(c, 'import.notFound'));
    return renderPage(c, 'import/batch', view);
  })
  .get('/:id{[0-9]+}/progress', async (c) => {
    // Polled every second: the bad rows (fixed once the files are read) stay on the page and are not sent again.
    const view = await batchView(c, Number(c.req.param('id')), false);
    if (!view) return renderError(c, 404, t(c, 'import.notFound'));
    // The page was shown while the files were still being read: once they are, it is loaded again with the bad rows.
    if (c.req.query('reload') === '1' && view.batch.status !== 'reading') c.header('HX-Refresh', 'true');
    return renderFragment(c, 'import/_batch', view);
  });
