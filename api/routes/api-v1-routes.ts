/**
 * JSON API under /api/v1 for scripts and integrations, described by the OpenAPI document at /api/v1/openapi.json:
 * signed in with a personal Bearer token, held to the same permissions as the pages, answering errors in one
 * shape `{ error: { code, message } }` in the caller's language.
 */
import { createRoute } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { apiErrorBody, errorCodeForStatus } from '../api-v1/api-error';
import { apiLocale } from '../api-v1/api-locale';
import { afterSalesApi } from '../api-v1/after-sales-api';
import { apiApp, COMMON_ERRORS, guard, BEARER_SCHEME, jsonResponse } from '../api-v1/api-route';
import { MeSchema } from '../api-v1/api-schemas';
import { financeApi } from '../api-v1/finance-api';
import { settingsShopApi } from '../api-v1/settings-shop-api';
import { settingsGoodsApi } from '../api-v1/settings-goods-api';
import { stockApi } from '../api-v1/stock-api';
import { stockDocumentApi } from '../api-v1/stock-document-api';
import { importApi } from '../api-v1/import-api';
import { orderApi } from '../api-v1/order-api';
import { printApi } from '../api-v1/print-api';
import { reviewApi } from '../api-v1/review-api';
import { scanApi } from '../api-v1/scan-api';
import { settingsPlacesApi } from '../api-v1/settings-places-api';
import { syncApi } from '../api-v1/sync-api';
import { authenticate, API_PREFIX } from '../auth/authenticate';
import { apiRateLimit } from '../privacy/api-rate-limit';
import { accessLogApi } from '../api-v1/access-log-api';
import { retentionApi } from '../api-v1/retention-api';
import { csrfProtection } from '../auth/csrf-protection';
import { importUploadLimit } from '../orders/import-order-files';
import { t } from '../render';

const BODY_LIMIT_KB = 1024;
const IMPORTS_PATH = `${API_PREFIX}/imports`;

const bodyLimitExceptImports = bodyLimit({
  maxSize: BODY_LIMIT_KB * 1024,
  onError: (c) => c.json(apiErrorBody('payload_too_large', t(c, 'api.tooLarge', { kb: BODY_LIMIT_KB })), 413),
});

const me = createRoute({
  ...guard('order.view'),
  method: 'get',
  path: '/me',
  tags: ['account'],
  summary: 'Who the token belongs to',
  responses: { ...COMMON_ERRORS, 200: jsonResponse(MeSchema, 'The user and their roles') },
});

export const apiV1Routes = apiApp().basePath(API_PREFIX);

apiV1Routes.openAPIRegistry.registerComponent('securitySchemes', BEARER_SCHEME, {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'gj_…',
  description: 'A personal API token, created at /account/tokens; it may do what its owner’s roles allow.',
});

apiV1Routes.use('*', apiLocale());
// The document holds no data and no secrets, so tools may read it without a token.
apiV1Routes.doc('/openapi.json', (c) => ({
  openapi: '3.0.3',
  info: {
    title: 'Guanjia 管家 API',
    version: '1.0.0',
    description: [
      'Orders, review, printing, scan and ship, shipment sync, CSV import, after-sales cases and the finance desk of the Guanjia order back office.',
      'Money is in integer fen, times are ISO-8601 UTC. Every decision carries your actionId (the same actionId again is',
      'applied once) and, where it acts on what you saw, the expectedVersion of the order.',
      'Errors: `{ "error": { "code", "message" } }`, messages in zh-CN or, with `Accept-Language: en`, English. See docs/api.md.',
    ].join(' '),
  },
  servers: [{ url: c.var.deps.config.baseUrl }],
  security: [{ [BEARER_SCHEME]: [] }],
  tags: [
    { name: 'orders', description: '订单查询' },
    { name: 'review', description: '订单审核' },
    { name: 'print', description: '单据打印' },
    { name: 'scan', description: '扫描验货' },
    { name: 'sync', description: '发货同步' },
    { name: 'import', description: '导入订单' },
    { name: 'after-sales', description: '售后：退换登记、售后单、退货入库、质检、审批' },
    { name: 'finance', description: '财务：退款确认、收款确认、现金银行' },
    { name: 'settings', description: '设置：店铺、仓库、快递、货品' },
    { name: 'account', description: '令牌' },
    { name: 'privacy', description: '买家个人信息：访问日志、数据保留' },
  ],
}));
apiV1Routes.use('*', authenticate());
// Signing in applies the user's own language; a header the caller sent still wins.
apiV1Routes.use('*', apiLocale());
// Per token, counted in the database: a script cannot page through every buyer faster than the limit allows.
apiV1Routes.use('*', apiRateLimit());
apiV1Routes.use('/imports', importUploadLimit);
apiV1Routes.use('*', async (c, next) => (new URL(c.req.url).pathname === IMPORTS_PATH ? next() : bodyLimitExceptImports(c, next)));
apiV1Routes.use('*', csrfProtection());

apiV1Routes
  .openapi(me, (c) => c.json({ username: c.var.user.username, displayName: c.var.user.displayName, roles: [...c.var.user.roles] }, 200))
  .route('/', orderApi)
  .route('/', accessLogApi)
  .route('/', retentionApi)
  .route('/', reviewApi)
  .route('/', printApi)
  .route('/', scanApi)
  .route('/', syncApi)
  .route('/', importApi)
  .route('/', afterSalesApi)
  .route('/', financeApi)
  .route('/', stockApi)
  .route('/', stockDocumentApi)
  .route('/', settingsGoodsApi)
  .route('/', settingsPlacesApi)
  .route('/', settingsShopApi);

apiV1Routes.all('*', (c) => c.json(apiErrorBody('not_found', t(c, 'api.notFound', { method: c.req.method, path: new URL(c.req.url).pathname })), 404));

apiV1Routes.onError((err, c) => {
  if (err instanceof HTTPException) {
    const status = err.status;
    if (status === 415) {
      const types = new URL(c.req.url).pathname === IMPORTS_PATH ? 'multipart/form-data' : 'application/json';
      return c.json(apiErrorBody('unsupported_media_type', t(c, 'api.unsupportedMediaType', { types })), 415);
    }
    if (status === 400) return c.json(apiErrorBody('bad_request', t(c, /JSON/i.test(err.message) ? 'api.badJson' : 'error.badInput')), 400);
    return c.json(apiErrorBody(errorCodeForStatus(status), err.message), status);
  }
  console.error(`[api] ${c.req.method} ${new URL(c.req.url).pathname}:`, err);
  return c.json(apiErrorBody('internal', t(c, 'error.internal')), 500);
});
