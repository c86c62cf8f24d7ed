/**
 * 导入订单 for integrations: upload a Taobao order export (订单报表, optionally 宝贝报表; GBK or UTF-8) for a shop;
 * good rows become orders, every bad row comes back with its file, row and reason, and the same file imported
 * again starts nothing twice.
 */
import { createRoute } from '@hono/zod-openapi';
import { importOrderFiles, MAX_UPLOAD_MB, uploadedFile } from '../orders/import-order-files';
import { t } from '../render';
import { workflowErrorKind, workflowErrorMessage } from '../workflow-error';
import { apiErrorBody, WORKFLOW_FAILURE } from './api-error';
import { apiApp, COMMON_ERRORS, guard, errorResponse, jsonResponse } from './api-route';
import { ImportFormSchema, ImportResultSchema } from './api-schemas';

const importOrders = createRoute({
  ...guard('order.import'),
  method: 'post',
  path: '/imports',
  tags: ['import'],
  summary: 'Import a Taobao order export (导入订单)',
  description: `multipart/form-data with shopCode, orders and (optional) items; at most ${MAX_UPLOAD_MB} MB in all. The import is recorded even when rows are bad; check \`errors\`.`,
  request: { body: { required: true, content: { 'multipart/form-data': { schema: ImportFormSchema } } } },
  responses: {
    ...COMMON_ERRORS,
    200: jsonResponse(ImportResultSchema, 'What went in and every bad row'),
    413: errorResponse(`Larger than ${MAX_UPLOAD_MB} MB (\`payload_too_large\`); nothing was imported`),
    502: errorResponse('Submitting orders failed (`workflow_failed`); orders submitted before the failure stay, importing again is safe'),
    503: errorResponse('The workflow service cannot be reached (`workflow_unavailable`)'),
    504: errorResponse('No answer in time (`workflow_timeout`); importing again is safe'),
  },
});

export const importApi = apiApp().openapi(importOrders, async (c) => {
  const form = c.req.valid('form');
  const outcome = await importOrderFiles(c, { shopCode: form.shopCode, orders: uploadedFile(form.orders), items: uploadedFile(form.items) });
  if (!outcome.ok) {
    if (outcome.problem !== 'intakeFailed') return c.json(apiErrorBody('bad_request', t(c, `import.${outcome.problem}`)), 400);
    const kind = workflowErrorKind(outcome.error);
    const failure = WORKFLOW_FAILURE[kind === 'not_found' || kind === 'refused' ? 'failed' : kind];
    return c.json(apiErrorBody(failure.code, t(c, 'import.intakeFailed', { reason: workflowErrorMessage(outcome.error, c.var.locale) })), failure.status);
  }
  const { batch, parsed, counts, previous } = outcome;
  return c.json(
    {
      importId: batch.id,
      shopCode: batch.shopCode,
      fileName: batch.fileName,
      orderRows: parsed.stats.orderRows,
      itemRows: parsed.stats.itemRows,
      ...counts,
      errors: parsed.errors.map((e) => ({ file: e.file, row: e.row, orderNo: e.orderNo ?? null, reason: e.reason })),
      previousImport: previous ? { importId: previous.id, createdAt: previous.createdAt.toISOString(), createdBy: previous.createdBy } : null,
    },
    200,
  );
});
