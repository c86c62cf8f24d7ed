/**
 * 设置 → 货品 and 货品对应: the goods list (search, filter, sort, page, CSV/XLSX export and import), a SKU's or bundle's
 * page with its change history, deactivation instead of deletion for a SKU in use; and the shop's platform SKUs as
 * pulled from the platform with what each maps to, created as SKUs or mapped by outer id in one click, and mapped one
 * by one (also from the review page for an order waiting with 货品未匹配), which re-checks the waiting orders at once.
 * Everyone reads (settings.view); only admins change goods (settings.manage); reviewers may map (goods.map).
 */
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { Db } from '../../db/orm';
import { AuditEvent, Order, OrderLine, PlatformOrder, PlatformSkuMapping, Shop, Sku } from '../../db/entities';
import { saveSkus, parseComponents, formatComponents, type SkuInput, type SkuRowError } from '../../db/settings/save-skus';
import { deleteSku, setSkuActive } from '../../db/settings/sku-status';
import { mapByOuterId } from '../../db/settings/sku-mappings';
import { createSkusFromPlatform } from '../../db/settings/skus-from-platform';
import { yuanToFen, fenToYuan } from '../../domain/money';
import { can } from '../../domain/roles';
import { UNMATCHED_REASON } from '../../domain/sku-mapping';
import { requireRole } from '../auth/require-role';
import type { AppEnv } from '../env';
import { likeLiteralPattern, PAGE_SIZES, pagerFor } from '../orders/order-list-query';
import { asList, readForm } from '../read-form';
import { domId } from '../orders/order-list-query';
import { renderError, renderFragment, renderPage, t } from '../render';
import { changeHistory } from '../settings/change-history';
import { goodsCsv, goodsXlsx } from '../settings/goods-file';
import { importGoodsFile } from '../settings/goods-import';
import { findGoods, findGoodsPage, goodsQuery } from '../settings/goods-list';
import { mapPlatformSku, recheckWaitingOrders } from '../settings/goods-mapping';
import { goodsPullStatus, startGoodsPull } from '../settings/goods-pull';

type Ctx = Context<AppEnv>;
type Flash = { ok: boolean; message: string; errors?: SkuRowError[] };

function keep(q: Record<string, unknown>, drop: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) if (v !== '' && v !== undefined && !drop.includes(k)) out[k] = String(v);
  return out;
}

// ---- 货品 --------------------------------------------------------------------------------------------

async function renderGoods(c: Ctx, flash?: Flash, status: ContentfulStatusCode = 200) {
  const parsed = goodsQuery.safeParse(c.req.query());
  const q = parsed.success ? parsed.data : goodsQuery.parse({});
  const { rows, pager } = await findGoodsPage(c.var.deps.db.em().fork(), q);
  const exportQuery = new URLSearchParams(keep(q, ['page', 'size'])).toString();
  return renderPage(c, 'settings/goods-list', {
    title: t(c, 'nav.products'),
    q,
    query: keep(q, ['page']),
    rows: rows.map((r) => ({ ...r, componentsText: formatComponents(r.components) })),
    pager,
    sizes: PAGE_SIZES,
    mayManage: can(c.var.user.roles, 'settings.manage'),
    csvHref: `/settings/products/export?${exportQuery}${exportQuery ? '&' : ''}format=csv`,
    xlsxHref: `/settings/products/export?${exportQuery}${exportQuery ? '&' : ''}format=xlsx`,
    flash,
    error: parsed.success ? '' : t(c, 'error.badInput'),
  }, parsed.success ? status : 400);
}

const skuForm = z.object({
  code: z.string().trim().max(60).default(''),
  barcode: z.string().trim().max(60).default(''),
  name: z.string().trim().max(200).default(''),
  spec: z.string().trim().max(200).default(''),
  productCode: z.string().trim().max(60).default(''),
  weightGrams: z.string().trim().max(12).default('0'),
  cost: z.string().trim().max(20).default('0'),
  price: z.string().trim().max(20).default('0'),
  active: z.string().optional(),
  components: z.string().max(4000).default(''),
});
type SkuFormValues = z.output<typeof skuForm>;

/** The form as a SKU, or the sentence saying which field is wrong. */
function skuFromForm(v: SkuFormValues): { input?: SkuInput; error: string } {
  const parts = parseComponents(v.components);
  if (parts.error) return { error: parts.error };
  const weight = Number(v.weightGrams || '0');
  if (!Number.isInteger(weight)) return { error: `重量“${v.weightGrams}”应为整数克` };
  let costFen: number;
  let priceFen: number;
  try {
    costFen = yuanToFen(v.cost || '0');
    priceFen = yuanToFen(v.price || '0');
  } catch {
    return { error: '成本价和售价应为金额（元，最多两位小数）' };
  }
  return {
    error: '',
    input: { code: v.code, barcode: v.barcode, name: v.name, spec: v.spec, productCode: v.productCode, weightGrams: weight, costFen, priceFen, active: v.active === '1', components: parts.components },
  };
}

// Every message of save-skus.ts and skuFromForm starts with the name of the field it is about (our own words), so the
// page can show it under that field as well as in the banner.
const FIELD_OF_MESSAGE: Array<[RegExp, keyof SkuFormValues]> = [
  [/^商家编码/, 'code'], [/^条码/, 'barcode'], [/^货品名称/, 'name'], [/^规格/, 'spec'], [/^货品编号/, 'productCode'],
  [/^重量/, 'weightGrams'], [/^成本价和售价/, 'price'], [/^成本价/, 'cost'], [/^售价/, 'price'], [/^(组合|.+是组合装|.+有库存)/, 'components'],
];

function fieldErrorsOf(messages: string[]): Partial<Record<keyof SkuFormValues, string>> {
  const out: Partial<Record<keyof SkuFormValues, string>> = {};
  for (const m of messages) {
    const field = FIELD_OF_MESSAGE.find(([re]) => re.test(m))?.[1];
    if (field) out[field] = out[field] ? `${out[field]}；${m}` : m;
  }
  return out;
}

/** Mappings with the shop's name, as staff know their shops by name rather than by code. */
async function withShopNames(em: ReturnType<Db['em']>, mappings: PlatformSkuMapping[]) {
  const names = new Map((await em.find(Shop, { code: { $in: [...new Set(mappings.map((m) => m.shopCode))] } }, { fields: ['code', 'name'] })).map((s) => [s.code, s.name]));
  return mappings.map((m) => ({ ...m, shopName: names.get(m.shopCode) ?? m.shopCode }));
}

async function renderSku(c: Ctx, code: string | null, values: Partial<SkuFormValues> = {}, flash?: Flash, status: ContentfulStatusCode = 200) {
  const em = c.var.deps.db.em().fork();
  const sku = code ? await findGoods(em, code) : null;
  if (code && !sku) return renderError(c, 404, t(c, 'goods.notFound', { code }));
  const v = sku
    ? { code: sku.code, barcode: sku.barcode, name: sku.name, spec: sku.spec, productCode: sku.productCode, weightGrams: String(sku.weightGrams), cost: fenToYuan(sku.costFen), price: fenToYuan(sku.priceFen), active: sku.active ? '1' : '', components: formatComponents(sku.components), ...values }
    : { active: '1', weightGrams: '0', cost: '0.00', price: '0.00', ...values };
  const history = code ? await em.find(AuditEvent, { entityType: 'sku', entityId: code }, { orderBy: { at: 'desc', id: 'desc' }, limit: 50 }) : [];
  const mappings = code ? await em.find(PlatformSkuMapping, { skuCode: code }, { orderBy: { shopCode: 'asc', id: 'asc' }, limit: 100 }) : [];
  return renderPage(c, 'settings/goods-edit', {
    title: sku ? `${t(c, 'goods.sku')} ${sku.code}` : t(c, 'goods.new'),
    sku, v, flash,
    mappings: await withShopNames(em, mappings),
    fieldErrors: flash && !flash.ok ? fieldErrorsOf(flash.message.split('；')) : {},
    history: changeHistory(c.var.locale, history),
    mayManage: can(c.var.user.roles, 'settings.manage'),
  }, status);
}

export const settingsProductRoutes = new Hono<AppEnv>()
  .get('/', requireRole('settings.view'), (c) => renderGoods(c))
  .get('/export', requireRole('settings.view'), (c) => {
    const parsed = goodsQuery.safeParse(c.req.query());
    const q = parsed.success ? parsed.data : goodsQuery.parse({});
    const em = c.var.deps.db.em().fork();
    return c.req.query('format') === 'xlsx' ? goodsXlsx(c, em, q) : goodsCsv(c, em, q);
  })
  .get('/new', requireRole('settings.manage'), (c) => renderSku(c, null))
  .post('/', requireRole('settings.manage'), async (c) => {
    const form = await readForm(c, skuForm);
    if (!form.ok) return renderSku(c, null, {}, { ok: false, message: form.message }, 400);
    const { input, error } = skuFromForm(form.data);
    if (!input) return renderSku(c, null, form.data, { ok: false, message: error }, 400);
    const saved = await saveSkus(c.var.deps.db.em().fork(), c.var.actor, [{ row: 1, input }], 'create');
    if (!saved.ok) return renderSku(c, null, form.data, { ok: false, message: saved.errors.map((e) => e.message).join('；') }, 400);
    return c.redirect(`/settings/products/${encodeURIComponent(input.code)}?saved=1`, 303);
  })
  .post('/import', requireRole('settings.manage'), async (c) => {
    const body = await c.req.parseBody();
    const file = body.file instanceof File && body.file.size > 0 ? body.file : null;
    if (!file) return renderGoods(c, { ok: false, message: t(c, 'goods.chooseFile') }, 400);
    const result = await importGoodsFile(c.var.deps.db.em().fork(), c.var.actor, file);
    if (!result.ok) return renderGoods(c, { ok: false, message: t(c, 'goods.importRefused', { n: result.errors.length }), errors: result.errors.slice(0, 500) }, 400);
    return renderGoods(c, { ok: true, message: t(c, 'goods.imported', { created: result.created.length, updated: result.updated.length }) });
  })
  .get('/:code', requireRole('settings.view'), (c) => renderSku(c, c.req.param('code'), {}, c.req.query('saved') ? { ok: true, message: t(c, 'goods.saved') } : undefined))
  .post('/:code', requireRole('settings.manage'), async (c) => {
    const code = c.req.param('code');
    const form = await readForm(c, skuForm);
    if (!form.ok) return renderSku(c, code, {}, { ok: false, message: form.message }, 400);
    const { input, error } = skuFromForm({ ...form.data, code });
    if (!input) return renderSku(c, code, form.data, { ok: false, message: error }, 400);
    const saved = await saveSkus(c.var.deps.db.em().fork(), c.var.actor, [{ row: 1, input }], 'update');
    if (!saved.ok) return renderSku(c, code, form.data, { ok: false, message: saved.errors.map((e) => e.message).join('；') }, 400);
    return renderSku(c, code, {}, { ok: true, message: t(c, 'goods.saved') });
  })
  .post('/:code/active', requireRole('settings.manage'), async (c) => {
    const code = c.req.param('code');
    const body = await c.req.parseBody();
    const r = await setSkuActive(c.var.deps.db.em().fork(), c.var.actor, code, body.active === '1');
    if (!r.ok && r.notFound) return renderError(c, 404, r.message);
    return renderSku(c, code, {}, r, r.ok ? 200 : 409);
  })
  .post('/:code/delete', requireRole('settings.manage'), async (c) => {
    const code = c.req.param('code');
    const r = await deleteSku(c.var.deps.db.em().fork(), c.var.actor, code);
    if (!r.ok && r.notFound) return renderError(c, 404, r.message);
    if (!r.ok) return renderSku(c, code, {}, r, 409);
    return renderGoods(c, r);
  });

// ---- 货品对应 ------------------------------------------------------------------------------------------

const mappingQuery = z.object({
  shop: z.string().trim().max(40).default(''),
  show: z.enum(['all', 'unmapped', 'mapped']).default('all'),
  q: z.string().trim().max(60).default(''),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  size: z.coerce.number().int().refine((n) => (PAGE_SIZES as readonly number[]).includes(n), 'error.badPageSize').default(50),
});

async function renderMappings(c: Ctx, flash?: Flash, status: ContentfulStatusCode = 200, raw: Record<string, string> = c.req.query()) {
  const parsed = mappingQuery.safeParse(raw);
  const q = parsed.success ? parsed.data : mappingQuery.parse({});
  const em = c.var.deps.db.em().fork();
  const shops = await em.find(Shop, {}, { orderBy: { code: 'asc' } });
  const shop = q.shop || shops[0]?.code || '';
  const where: Record<string, unknown> = { shopCode: shop };
  if (q.show === 'unmapped') where.skuCode = '';
  if (q.show === 'mapped') where.skuCode = { $ne: '' };
  if (q.q) {
    const like = likeLiteralPattern(q.q);
    where.$or = [{ title: { $like: like } }, { outerId: { $like: like } }, { numIid: q.q }, { skuCode: q.q }];
  }
  const pager = pagerFor(q.page, q.size, await em.count(PlatformSkuMapping, where));
  const rows = await em.find(PlatformSkuMapping, where, { orderBy: { numIid: 'asc', skuId: 'asc', id: 'asc' }, limit: q.size, offset: (pager.page - 1) * q.size });
  const names = new Map((await em.find(Sku, { code: { $in: rows.map((r) => r.skuCode).filter(Boolean) } }, { fields: ['code', 'name', 'spec'] })).map((s) => [s.code, `${s.name} ${s.spec}`.trim()]));
  const pull = shop ? await goodsPullStatus(c.var.deps.db, c.var.deps.temporal, shop) : null;
  return renderPage(c, 'settings/mapping-list', {
    title: t(c, 'nav.skuMappings'),
    pull: pull && (pull.running || pull.progress || pull.message) ? { ...pull, shop } : null,
    q: { ...q, shop },
    query: keep({ ...q, shop }, ['page']),
    shops,
    rows: rows.map((r) => ({ ...r, skuName: names.get(r.skuCode) ?? '' })),
    pager,
    flash,
    mayManage: can(c.var.user.roles, 'settings.manage'),
    mayMap: can(c.var.user.roles, 'goods.map'),
  }, status);
}

const mapForm = z.object({
  shopCode: z.string().trim().min(1).max(40),
  numIid: z.string().trim().max(30).default(''),
  skuId: z.string().trim().max(30).default(''),
  outerId: z.string().trim().max(60).default(''),
  title: z.string().trim().max(255).default(''),
  spec: z.string().trim().max(255).default(''),
  skuCode: z.string().trim().max(60).default(''),
  /** Where the person came from: the review page's order, or the mapping list. */
  orderId: z.string().max(200).default(''),
});

/** The lines of an order that match no SKU, with what the platform said about each (num_iid, sku_id from the trade). */
async function unmatchedLinesOf(c: Ctx, orderId: string) {
  const em = c.var.deps.db.em().fork();
  const order = await em.findOne(Order, { id: orderId });
  if (!order) return null;
  const lines = await em.find(OrderLine, { orderId }, { orderBy: { lineNo: 'asc' } });
  const known = new Set((await em.find(Sku, { code: { $in: lines.map((l) => l.skuCode).filter(Boolean) }, active: true }, { fields: ['code'] })).map((s) => s.code));
  const raw = await em.findOne(PlatformOrder, { shopCode: order.shopCode, platformOrderNo: order.platformOrderNo }, { fields: ['raw'] });
  let subs: Array<{ oid?: unknown; num_iid?: unknown; sku_id?: unknown }> = [];
  try {
    subs = raw ? ((JSON.parse(raw.raw) as { orders?: { order?: typeof subs } }).orders?.order ?? []) : [];
  } catch {
    subs = [];
  }
  const open = lines.filter((l) => !known.has(l.skuCode)).map((l) => {
    const sub = subs.find((s) => String(s.oid ?? '') === l.oid);
    return { oid: l.oid, outerId: l.skuCode, title: l.title, spec: l.spec, qty: l.qty, numIid: sub?.num_iid ? String(sub.num_iid) : '', skuId: sub?.sku_id ? String(sub.sku_id) : '' };
  });
  return { order, open };
}

/** Active SKUs and bundles a person searching for "q" means: by code or name (part of it), or the exact barcode. */
async function findCandidates(c: Ctx, q: string): Promise<Sku[]> {
  if (!q) return [];
  const like = likeLiteralPattern(q);
  return c.var.deps.db.em().fork().find(Sku, { active: true, $or: [{ code: { $like: like } }, { name: { $like: like } }, { barcode: q }] }, { orderBy: { code: 'asc' }, limit: 30 });
}

async function renderOrderMapping(c: Ctx, orderId: string, flash?: Flash, status: ContentfulStatusCode = 200) {
  const found = await unmatchedLinesOf(c, orderId);
  if (!found) return renderError(c, 404, t(c, 'goods.orderNotFound'));
  const q = (c.req.query('q') ?? '').trim().slice(0, 60);
  const candidates = await findCandidates(c, q);
  return renderPage(c, 'settings/mapping-order', {
    title: t(c, 'goods.mapOrder', { no: found.order.platformOrderNo }),
    order: found.order,
    waiting: found.order.reviewReasons.includes(UNMATCHED_REASON),
    lines: found.open,
    q,
    candidates,
    flash,
  }, status);
}

/** What one line's small form in the review row sends: the platform SKU as the order names it, and the pick. */
const inlineForm = z.object({
  oid: z.string().max(40).default(''),
  numIid: z.string().trim().max(30).default(''),
  skuId: z.string().trim().max(30).default(''),
  outerId: z.string().trim().max(60).default(''),
  title: z.string().trim().max(255).default(''),
  spec: z.string().trim().max(255).default(''),
  q: z.string().trim().max(60).default(''),
  skuCode: z.string().trim().max(60).default(''),
});
type InlineState = { oid?: string; q?: string; picked?: string; candidates?: Sku[]; error?: string };

/** The review list the request came from (its filters and page kept), so the mapped order's row can be read back. */
function reviewListUrl(c: Ctx): string | null {
  try {
    const from = new URL(c.req.header('hx-current-url') ?? '');
    return from.pathname === '/review' ? `${from.pathname}${from.search}` : null;
  } catch {
    return null;
  }
}

/** The review row's 对应货品 fragment: each unmatched line with a SKU search, a pick and 对应, the error next to it. */
async function renderInlineMapping(c: Ctx, orderId: string, state: InlineState = {}, status: ContentfulStatusCode = 200) {
  const found = await unmatchedLinesOf(c, orderId);
  if (!found) return renderError(c, 404, t(c, 'goods.orderNotFound'));
  const lines = found.open.map((l) => (l.oid === state.oid || found.open.length === 1
    ? { ...l, q: state.q ?? '', picked: state.picked ?? '', candidates: state.candidates ?? [], error: state.error ?? '' }
    : { ...l, q: '', picked: '', candidates: [], error: '' }));
  return renderFragment(c, 'settings/_mapping-inline', { order: found.order, lines }, status);
}

/** Waits (a few seconds at most) for the order to write its re-checked lines, so the row read back shows the outcome. */
async function waitForRecheck(c: Ctx, orderId: string, versionBefore: number): Promise<void> {
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    const row = await c.var.deps.db.em().fork().findOne(Order, { id: orderId }, { fields: ['version'] });
    if (!row || row.version > versionBefore) return;
    await new Promise((r) => setTimeout(r, 150));
  }
}

const selectForm = z.object({ shopCode: z.string().trim().min(1).max(40), pick: z.preprocess(asList, z.array(z.coerce.number().int().positive())).default([]) });

export const settingsSkuMappingRoutes = new Hono<AppEnv>()
  .get('/', requireRole('settings.view'), (c) => renderMappings(c))
  .post('/pull', requireRole('settings.manage'), async (c) => {
    const body = await c.req.parseBody();
    const shopCode = typeof body.shopCode === 'string' ? body.shopCode.trim() : '';
    const r = await startGoodsPull(c.var.deps.db, c.var.deps.temporal, c.var.deps.config.taskQueue, shopCode);
    if (!r.ok) return renderMappings(c, r, r.notFound ? 404 : 409, { shop: shopCode, show: 'all' });
    // The pull runs in the background; the page shows its progress and the list once it has ended.
    return c.redirect(`/settings/sku-mappings?shop=${encodeURIComponent(shopCode)}`, 303);
  })
  .get('/pull-status', requireRole('settings.view'), async (c) => {
    const shop = (c.req.query('shop') ?? '').trim().slice(0, 40);
    const pull = await goodsPullStatus(c.var.deps.db, c.var.deps.temporal, shop);
    return renderFragment(c, 'settings/_goods-pull', { pull: { ...pull, shop }, justEnded: !pull.running });
  })
  .post('/auto-map', requireRole('goods.map'), async (c) => {
    const form = await readForm(c, selectForm);
    if (!form.ok) return renderMappings(c, { ok: false, message: form.message }, 400);
    const { shopCode, pick } = form.data;
    const mapped = await mapByOuterId(c.var.deps.db.em().fork(), c.var.actor, shopCode, pick.length ? pick : undefined);
    const rechecked = await recheckWaitingOrders(c.var.deps.db, c.var.deps.temporal, c.var.actor, mapped);
    return renderMappings(c, { ok: true, message: t(c, 'goods.autoMapped', { n: mapped.length, orders: rechecked.length }) }, 200, { shop: shopCode, show: 'all' });
  })
  .post('/create-skus', requireRole('settings.manage'), async (c) => {
    const form = await readForm(c, selectForm);
    if (!form.ok) return renderMappings(c, { ok: false, message: form.message }, 400);
    const { shopCode, pick } = form.data;
    if (!pick.length) return renderMappings(c, { ok: false, message: t(c, 'goods.nothingSelected') }, 400, { shop: shopCode, show: 'unmapped' });
    const r = await createSkusFromPlatform(c.var.deps.db.em().fork(), c.var.actor, shopCode, pick);
    if (!r.ok) return renderMappings(c, { ok: false, message: t(c, 'goods.createRefused'), errors: r.errors }, 400, { shop: shopCode, show: 'unmapped' });
    const rechecked = await recheckWaitingOrders(c.var.deps.db, c.var.deps.temporal, c.var.actor, r.mapped);
    return renderMappings(c, { ok: true, message: t(c, 'goods.createdFromPlatform', { created: r.created.length, mapped: r.mapped.length, orders: rechecked.length }) }, 200, { shop: shopCode, show: 'all' });
  })
  .post('/map', requireRole('goods.map'), async (c) => {
    const form = await readForm(c, mapForm);
    if (!form.ok) return renderMappings(c, { ok: false, message: form.message }, 400);
    const f = form.data;
    const r = await mapPlatformSku(c.var.deps.db, c.var.deps.temporal, c.var.actor, f);
    if (f.orderId) return renderOrderMapping(c, f.orderId, r, r.ok ? 200 : 400);
    return renderMappings(c, r, r.ok ? 200 : 400, { shop: f.shopCode, show: 'all' });
  })
  .get('/order/:id', requireRole('goods.map'), (c) => renderOrderMapping(c, c.req.param('id')))
  .get('/sku-options', requireRole('goods.map'), async (c) => {
    const q = (c.req.query('q') ?? '').trim().slice(0, 60);
    return renderFragment(c, 'settings/_sku-options', { q, candidates: await findCandidates(c, q) });
  })
  .get('/order/:id/inline', requireRole('goods.map'), (c) => renderInlineMapping(c, c.req.param('id')))
  .post('/order/:id/inline', requireRole('goods.map'), async (c) => {
    const orderId = c.req.param('id');
    const form = await readForm(c, inlineForm);
    if (!form.ok) return renderInlineMapping(c, orderId, { error: form.message }, 400);
    const f = form.data;
    const order = await c.var.deps.db.em().fork().findOne(Order, { id: orderId });
    if (!order) return renderError(c, 404, t(c, 'goods.orderNotFound'));
    const state = { oid: f.oid, q: f.q, picked: f.skuCode, candidates: await findCandidates(c, f.q) };
    if (!f.skuCode) return renderInlineMapping(c, orderId, { ...state, error: t(c, 'mapping.pickFirst') }, 400);
    const r = await mapPlatformSku(c.var.deps.db, c.var.deps.temporal, c.var.actor, { shopCode: order.shopCode, numIid: f.numIid, skuId: f.skuId, outerId: f.outerId, title: f.title, spec: f.spec, skuCode: f.skuCode });
    if (!r.ok) return renderInlineMapping(c, orderId, { ...state, error: r.message }, 400);
    // Every order waiting on this platform SKU was re-checked; the rows of those on the page are read back.
    const versions = new Map((await c.var.deps.db.em().fork().find(Order, { id: { $in: r.rechecked } }, { fields: ['id', 'version'] })).map((o) => [o.id, o.version]));
    versions.set(orderId, order.version);
    await Promise.all(r.rechecked.map((id) => waitForRecheck(c, id, versions.get(id) ?? 0)));
    const refreshUrl = reviewListUrl(c);
    const rowIds = refreshUrl ? [...new Set([orderId, ...r.rechecked])].map(domId) : [];
    return renderFragment(c, 'settings/_mapping-inline', { done: r.message, refreshUrl, rowIds });
  });
