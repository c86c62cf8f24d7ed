/**
 * 导入订单: a Taobao order export (订单报表 + 宝贝报表) becomes orders; every bad row is listed with its file, row and
 * reason, good rows go in, and importing the same file again starts nothing twice.
 */
import { createHash } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ImportBatch, Shop } from '../../db/entities';
import { parseTaobaoOrderExport } from '../../integrations/csv/parse-taobao-order-export';
import { createOrderIntake } from '../../integrations/order-intake';
import { requireRole } from '../auth/require-role';
import type { AppEnv } from '../env';
import { renderError, renderPage, t } from '../render';
import { workflowErrorMessage } from '../workflow-error';

export const MAX_UPLOAD_MB = 20;

async function renderForm(c: Context<AppEnv>, error = '', status: 200 | 400 | 502 = 200) {
  const em = c.var.deps.db.em();
  const [shops, recent] = await Promise.all([
    em.find(Shop, { active: true }, { fields: ['code', 'name'], orderBy: { code: 'asc' } }),
    em.find(ImportBatch, {}, { exclude: ['errors'], orderBy: { createdAt: 'desc' }, limit: 10 }),
  ]);
  return renderPage(c, 'import/form', { title: t(c, 'nav.import'), shops, recent, error, maxMb: MAX_UPLOAD_MB }, status);
}

function fileOf(value: unknown): File | null {
  return value instanceof File && value.size > 0 ? value : null;
}

/** Mounted before CSRF checking reads the form, so an oversized upload is refused before it is read. */
export const importUploadLimit: MiddlewareHandler<AppEnv> = bodyLimit({
  maxSize: MAX_UPLOAD_MB * 1024 * 1024,
  onError: (c) => renderError(c as Context<AppEnv>, 413, t(c as Context<AppEnv>, 'import.tooLarge', { mb: MAX_UPLOAD_MB })),
});

export const importRoutes = new Hono<AppEnv>()
  .use('*', requireRole('order.import'))
  .get('/', (c) => renderForm(c))
  .post(
    '/',
    async (c) => {
      const body = await c.req.parseBody();
      const shopCode = typeof body.shopCode === 'string' ? body.shopCode.trim() : '';
      const ordersFile = fileOf(body.orders);
      const itemsFile = fileOf(body.items);
      const em = c.var.deps.db.em();
      if (!shopCode || !(await em.findOne(Shop, { code: shopCode }))) return renderForm(c, t(c, 'import.chooseShop'), 400);
      if (!ordersFile) return renderForm(c, t(c, 'import.ordersRequired'), 400);

      const orders = Buffer.from(await ordersFile.arrayBuffer());
      const items = itemsFile ? Buffer.from(await itemsFile.arrayBuffer()) : undefined;
      const hash = createHash('sha256').update(orders).update('\0').update(items ?? '').digest('hex');
      const fileName = [ordersFile.name, itemsFile?.name].filter(Boolean).join(' + ').slice(0, 255);
      const parsed = parseTaobaoOrderExport({ orders, ...(items ? { items } : {}), shopCode, fileName });
      const previous = await em.findOne(ImportBatch, { fileHash: hash }, { exclude: ['errors'], orderBy: { createdAt: 'desc' } });

      const { deps } = c.var;
      const intake = createOrderIntake({ db: deps.db, temporal: deps.temporal, taskQueue: deps.config.taskQueue });
      let counts;
      try {
        // The raw text kept for each order is its own CSV rows (orders + items) under the file's headers.
        counts = await intake.ingest(parsed.platformOrders);
      } catch (err) {
        return renderForm(c, t(c, 'import.intakeFailed', { reason: workflowErrorMessage(err, c.var.locale) }), 502);
      }
      const batch = em.create(ImportBatch, {
        shopCode,
        fileName,
        fileHash: hash,
        createdBy: c.var.user.username,
        createdAt: new Date(),
        rowCount: parsed.stats.orderRows,
        acceptedCount: counts.started,
        signalledCount: counts.signalled,
        duplicateCount: counts.unchanged,
        skippedCount: counts.skipped,
        errorCount: parsed.errors.length,
        errors: parsed.errors,
      });
      await em.flush();
      return renderPage(
        c,
        'import/result',
        { title: t(c, 'import.resultTitle'), batch, stats: parsed.stats, counts, errors: parsed.errors, previous },
        parsed.errors.length && !parsed.drafts.length ? 422 : 200,
      );
    },
  );
