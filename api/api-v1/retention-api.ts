/** 数据保留 for admins' scripts: read and set the retention periods (the same checks and audit row as /admin/retention). */
import { createRoute, z } from '@hono/zod-openapi';
import { loadRetention, retentionInput, saveRetention, RETENTION_DAYS } from '../../db/retention-settings';
import { retentionProblem } from '../routes/retention-routes';
import { apiErrorBody } from './api-error';
import { apiApp, COMMON_ERRORS, guard, jsonBody, jsonResponse } from './api-route';

const days = (what: string) => z.number().int().min(RETENTION_DAYS.min).max(RETENTION_DAYS.max).openapi({ description: `${what}, in days (${RETENTION_DAYS.min}–${RETENTION_DAYS.max})` });

const RetentionSchema = z
  .object({
    printPdfDays: days('How long a print batch keeps its PDF'),
    platformOrderDays: days('How long after an order is done or cancelled its verbatim platform JSON is kept'),
    accessLogDays: days('How long the personal-data access log is kept'),
  })
  .openapi('Retention');

const RetentionViewSchema = RetentionSchema.extend({
  updatedBy: z.string(),
  updatedAt: z.string().nullable().openapi({ description: 'ISO-8601 UTC; null while the defaults apply' }),
}).openapi('RetentionSettings');

const getRetention = createRoute({
  ...guard('privacy.admin', 'The periods the daily retention-purge schedule applies.'),
  method: 'get',
  path: '/admin/retention',
  tags: ['privacy'],
  summary: 'Retention periods (数据保留)',
  responses: { ...COMMON_ERRORS, 200: jsonResponse(RetentionViewSchema, 'The periods') },
});

const putRetention = createRoute({
  ...guard('privacy.admin', 'All three periods at once; audited with before and after.'),
  method: 'put',
  path: '/admin/retention',
  tags: ['privacy'],
  summary: 'Set the retention periods',
  request: { body: jsonBody(z.object({ printPdfDays: z.unknown(), platformOrderDays: z.unknown(), accessLogDays: z.unknown() }).openapi({ description: 'Whole days, 1–3650 each' })) },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(RetentionViewSchema, 'The periods as saved') },
});

export const retentionApi = apiApp()
  .openapi(getRetention, async (c) => {
    const r = await loadRetention(c.var.deps.db.em());
    return c.json({ printPdfDays: r.printPdfDays, platformOrderDays: r.platformOrderDays, accessLogDays: r.accessLogDays, updatedBy: r.updatedBy, updatedAt: r.updatedAt?.toISOString() ?? null }, 200);
  })
  .openapi(putRetention, async (c) => {
    const body = c.req.valid('json');
    const problem = retentionProblem(c, body);
    if (problem) return c.json(apiErrorBody('bad_request', problem), 400);
    const em = c.var.deps.db.em();
    await saveRetention(em, c.var.actor, retentionInput.parse(body));
    const r = await loadRetention(em);
    return c.json({ printPdfDays: r.printPdfDays, platformOrderDays: r.platformOrderDays, accessLogDays: r.accessLogDays, updatedBy: r.updatedBy, updatedAt: r.updatedAt?.toISOString() ?? null }, 200);
  });
