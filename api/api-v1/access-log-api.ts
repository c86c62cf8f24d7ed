/** The personal-data access log for admins' scripts: the same search as /admin/access-log, paged, and its CSV export. */
import { createRoute, z } from '@hono/zod-openapi';
import { accessLogCsv, accessLogJson, accessLogQuery, findAccessLogPage } from '../privacy/access-log-query';
import { accessLogHeader, accessLogLabels } from '../routes/access-log-routes';
import { apiApp, COMMON_ERRORS, guard, jsonResponse } from './api-route';

const AccessLogQuerySchema = accessLogQuery.extend({
  user: accessLogQuery.shape.user.openapi({ description: 'Username, exactly' }),
  from: accessLogQuery.shape.from.openapi({ description: 'On or after this day (yyyy-MM-dd, Asia/Shanghai)' }),
  to: accessLogQuery.shape.to.openapi({ description: 'On or before this day (yyyy-MM-dd, Asia/Shanghai)' }),
  order: accessLogQuery.shape.order.openapi({ description: 'An order id or platform order number (found inside the ids or description of a row)' }),
  size: accessLogQuery.shape.size.openapi({ description: '50 (default), 100 or 200', enum: [50, 100, 200] }),
});

const AccessLogRowSchema = z
  .object({
    id: z.number().int(),
    at: z.string().openapi({ description: 'ISO-8601 UTC' }),
    username: z.string(),
    action: z.enum(['view', 'export', 'print']),
    via: z.enum(['page', 'api']),
    orderIds: z.array(z.string()).openapi({ description: 'The orders shown (empty for an export, which is described instead)' }),
    description: z.string().openapi({ description: 'What was looked at: the page and filter, the export, the print batch' }),
    rowCount: z.number().int(),
    clientAddress: z.string(),
  })
  .openapi('PiiAccessLogRow');

const AccessLogPageSchema = z
  .object({ total: z.number().int(), page: z.number().int(), pages: z.number().int(), size: z.number().int(), entries: z.array(AccessLogRowSchema) })
  .openapi('PiiAccessLogPage');

const listLog = createRoute({
  ...guard('privacy.admin', 'Every clear view, export and print download of buyers’ personal data, newest first.'),
  method: 'get',
  path: '/admin/access-log',
  tags: ['privacy'],
  summary: 'Personal-data access log (访问日志)',
  request: { query: AccessLogQuerySchema },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(AccessLogPageSchema, 'One page of the log') },
});

const exportLog = createRoute({
  ...guard('privacy.admin', 'All matching rows as CSV, newest first, streamed.'),
  method: 'get',
  path: '/admin/access-log/export',
  tags: ['privacy'],
  summary: 'Export the personal-data access log as CSV',
  request: { query: AccessLogQuerySchema.omit({ page: true, size: true }) },
  responses: { ...COMMON_ERRORS, 200: { description: 'The CSV file', content: { 'text/csv': { schema: z.string().openapi({ format: 'binary' }) } } } },
});

export const accessLogApi = apiApp()
  .openapi(listLog, async (c) => {
    const q = c.req.valid('query');
    const page = await findAccessLogPage(c.var.deps.db.em(), q);
    return c.json({ total: page.pager.total, page: page.pager.page, pages: page.pager.pages, size: page.pager.size, entries: page.rows.map(accessLogJson) }, 200);
  })
  .openapi(exportLog, (c) => {
    const q = accessLogQuery.parse(c.req.valid('query'));
    return accessLogCsv(c.var.deps.db.em(), q, accessLogHeader(c), (r) => accessLogLabels(c, r));
  });
