/**
 * 导入订单 for integrations: upload a Taobao order export (订单报表, optionally 宝贝报表; GBK or UTF-8) for a shop and
 * get 202 with the import's id; the orders are submitted in the background, and GET /imports/{id} tells how far
 * it has come, what went in and every bad row with its file, row and reason. The same upload (same actionId or
 * Idempotency-Key) is one import, and the same file imported again starts nothing twice.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ImportBatch } from '../../db/entities';
import type { AppEnv } from '../env';
import { ensureImportStarted, findImportBatch, importOrderFiles, MAX_UPLOAD_MB, uploadedFile } from '../orders/import-order-files';
import { t } from '../render';
import { workflowErrorKind, workflowErrorMessage } from '../workflow-error';
import { apiErrorBody, WORKFLOW_FAILURE } from './api-error';
import { apiApp, COMMON_ERRORS, guard, errorResponse, jsonResponse } from './api-route';
import { ImportFormSchema, ImportIdParam, ImportResultSchema } from './api-schemas';

const statusUrl = (id: number) => `/api/v1/imports/${id}`;

const importOrders = createRoute({
  ...guard('order.import'),
  method: 'post',
  path: '/imports',
  tags: ['import'],
  summary: 'Import a Taobao order export (导入订单)',
  description: `multipart/form-data with shopCode, orders and (optional) items; at most ${MAX_UPLOAD_MB} MB in all. The files are read at once (bad rows are in \`errors\`), then the orders are submitted in the background: poll \`statusUrl\` until \`status\` is \`done\`.`,
  request: {
    body: { required: true, content: { 'multipart/form-data': { schema: ImportFormSchema } } },
    headers: z.object({ 'idempotency-key': z.string().optional().openapi({ description: 'Same as the actionId field' }) }),
  },
  responses: {
    ...COMMON_ERRORS,
    202: jsonResponse(ImportResultSchema, 'Read and accepted; the orders are submitted in the background (Location: statusUrl)'),
    413: errorResponse(`Larger than ${MAX_UPLOAD_MB} MB (\`payload_too_large\`); nothing was imported`),
    502: errorResponse('The background submission could not be started (`workflow_failed`); the files are kept, sending the same actionId again starts it'),
    503: errorResponse('The workflow service cannot be reached (`workflow_unavailable`); sending the same actionId again starts it'),
    504: errorResponse('No answer in time (`workflow_timeout`); sending the same actionId again is safe'),
  },
});

const getImport = createRoute({
  ...guard('order.import'),
  method: 'get',
  path: '/imports/{id}',
  tags: ['import'],
  summary: 'An import: progress, counts and bad rows',
  request: { params: ImportIdParam },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(ImportResultSchema, 'The import as it stands'), 404: errorResponse('No such import (`not_found`)') },
});

function importJson(batch: ImportBatch, previous: ImportBatch | null): z.infer<typeof ImportResultSchema> {
  return {
    importId: batch.id,
    status: batch.status,
    statusUrl: statusUrl(batch.id),
    shopCode: batch.shopCode,
    fileName: batch.fileName,
    createdAt: batch.createdAt.toISOString(),
    createdBy: batch.createdBy,
    orderRows: batch.rowCount,
    itemRows: batch.itemRowCount,
    orders: batch.orderCount,
    submitted: batch.submittedCount,
    started: batch.acceptedCount,
    signalled: batch.signalledCount,
    unchanged: batch.duplicateCount,
    skipped: batch.skippedCount,
    lastError: batch.lastError,
    errors: batch.errors.map((e) => ({ file: e.file === 'items' ? 'items' : 'orders', row: e.row, orderNo: e.orderNo ?? null, reason: e.reason })),
    previousImport: previous ? { importId: previous.id, createdAt: previous.createdAt.toISOString(), createdBy: previous.createdBy } : null,
  };
}

/** The batch as it stands; looking at it also starts its workflow if an earlier start failed. */
async function answer(c: Context<AppEnv>, id: number) {
  const found = await findImportBatch(c, id);
  if (!found) return null;
  await ensureImportStarted(c.var.deps, found.batch);
  return importJson(found.batch, found.previous);
}

export const importApi = apiApp()
  .openapi(importOrders, async (c) => {
    const form = c.req.valid('form');
    const actionId = form.actionId ?? c.req.valid('header')['idempotency-key'];
    const outcome = await importOrderFiles(c, {
      shopCode: form.shopCode,
      orders: uploadedFile(form.orders),
      items: uploadedFile(form.items),
      ...(actionId ? { actionId } : {}),
    });
    if (!outcome.ok) {
      if (outcome.problem === 'badActionId') return c.json(apiErrorBody('bad_request', t(c, 'api.badActionId')), 400);
      if (outcome.problem !== 'startFailed') return c.json(apiErrorBody('bad_request', t(c, `import.${outcome.problem}`)), 400);
      const kind = workflowErrorKind(outcome.error);
      const failure = WORKFLOW_FAILURE[kind === 'not_found' || kind === 'refused' ? 'failed' : kind];
      return c.json(apiErrorBody(failure.code, t(c, 'import.startFailed', { reason: workflowErrorMessage(outcome.error, c.var.locale) })), failure.status);
    }
    const body = await answer(c, outcome.batch.id);
    if (!body) throw new Error(`import ${outcome.batch.id} vanished`);
    c.header('Location', body.statusUrl);
    return c.json(body, 202);
  })
  .openapi(getImport, async (c) => {
    const body = await answer(c, c.req.valid('param').id);
    if (!body) return c.json(apiErrorBody('not_found', t(c, 'import.notFound')), 404);
    return c.json(body, 200);
  });
