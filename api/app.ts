/** The web app: every page and API route behind sign-in, role checks and CSRF protection; the server entry point only listens. */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import { secureHeaders } from 'hono/secure-headers';
import { assetRoutes } from './asset-routes';
import { authenticate } from './auth/authenticate';
import { csrfProtection } from './auth/csrf-protection';
import { pageHeaders } from './auth/page-headers';
import { requireRole } from './auth/require-role';
import { createLoginRateLimiter, type LoginRateLimiter } from './auth/login-rate-limiter';
import type { AppDeps, AppEnv, Views } from './env';
import { isLocale } from './i18n/translate';
import { homePathFor } from './nav';
import { renderError, t } from './render';
import { accountTokenRoutes } from './routes/account-token-routes';
import { afterSalesRoutes } from './routes/after-sales-routes';
import { adminUserRoutes } from './routes/admin-user-routes';
import { accessLogRoutes } from './routes/access-log-routes';
import { retentionRoutes } from './routes/retention-routes';
import { apiV1Routes } from './routes/api-v1-routes';
import { financeRoutes } from './routes/finance-routes';
import { importUploadLimit } from './orders/import-order-files';
import { goodsUploadLimit } from './settings/goods-import';
import { importRoutes } from './routes/import-routes';
import { orderRoutes } from './routes/order-routes';
import { printRoutes } from './routes/print-routes';
import { reviewRoutes } from './routes/review-routes';
import { scanRoutes } from './routes/scan-routes';
import { sessionRoutes } from './routes/session-routes';
import { settingsShopRoutes } from './routes/settings-shop-routes';
import { settingsCourierRoutes } from './routes/settings-courier-routes';
import { settingsNumberRollRoutes } from './routes/settings-number-roll-routes';
import { settingsWarehouseRoutes } from './routes/settings-warehouse-routes';
import { settingsProductRoutes, settingsSkuMappingRoutes } from './routes/settings-goods-routes';
import { stockRoutes } from './routes/stock-routes';
import { syncRoutes } from './routes/sync-routes';
import { codecRoutes } from './routes/codec-routes';
import { createViews } from './views';

export interface CreateAppOptions {
  /** Templates are compiled once; tests building many apps may share one set. */
  views?: Views;
  loginRateLimiter?: LoginRateLimiter;
}

const formLimit = bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.text('Request body too large', 413) });

export function createApp(deps: AppDeps, options: CreateAppOptions = {}): Hono<AppEnv> {
  const views = options.views ?? createViews();
  const limiter = options.loginRateLimiter ?? createLoginRateLimiter(deps);
  const app = new Hono<AppEnv>();

  app.use('*', secureHeaders({ xFrameOptions: 'DENY', referrerPolicy: 'same-origin' }), pageHeaders);
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    c.set('views', views);
    const lang = getCookie(c, 'gj_lang');
    c.set('locale', isLocale(lang) ? lang : 'zh-CN');
    await next();
  });
  app.route('/assets', assetRoutes);
  app.route('/', sessionRoutes(limiter));
  // The JSON API brings its own chain (token sign-in, body limits, JSON errors, a public openapi.json) and answers
  // every /api/v1 path itself, so nothing below runs for it.
  app.route('/', apiV1Routes);
  // The Temporal UI's codec endpoint: JSON from the UI's origin with the session cookie, so its own sign-in, role,
  // CORS and body checks instead of the form chain below.
  app.route('/codec', codecRoutes);

  app.use('*', authenticate());
  // Forms are small; only the order import takes files. Both limits apply before the CSRF check reads the body, and
  // the import's permission before its 20 MB are read at all.
  app.use('/import', requireRole('order.import'), importUploadLimit);
  app.use('/settings/products/import', requireRole('settings.manage'), goodsUploadLimit);
  app.use('*', async (c, next) => (c.req.path === '/import' || c.req.path === '/settings/products/import' ? next() : formLimit(c, next)));
  app.use('*', csrfProtection());
  app.get('/', (c) => c.redirect(homePathFor(c.var.user.roles), 302));
  app.route('/review', reviewRoutes);
  app.route('/orders', orderRoutes);
  app.route('/print', printRoutes);
  app.route('/scan', scanRoutes);
  app.route('/sync', syncRoutes);
  app.route('/import', importRoutes);
  app.route('/after-sales', afterSalesRoutes);
  app.route('/finance', financeRoutes);
  app.route('/stock', stockRoutes);
  app.route('/settings/products', settingsProductRoutes);
  app.route('/settings/sku-mappings', settingsSkuMappingRoutes);
  app.route('/settings/shops', settingsShopRoutes);
  app.route('/settings/warehouses', settingsWarehouseRoutes);
  app.route('/settings/couriers', settingsCourierRoutes);
  app.route('/settings/number-rolls', settingsNumberRollRoutes);
  app.route('/admin/users', adminUserRoutes);
  app.route('/admin/access-log', accessLogRoutes);
  app.route('/admin/retention', retentionRoutes);
  app.route('/account/tokens', accountTokenRoutes);

  app.notFound((c) => renderError(c, 404, t(c, 'error.notFound')));
  app.onError((err, c) => {
    console.error(`[web] ${c.req.method} ${new URL(c.req.url).pathname}:`, err);
    return renderError(c, 500, t(c, 'error.internal'));
  });
  return app;
}
