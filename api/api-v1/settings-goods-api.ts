/**
 * 货品 and 货品对应 for integrations: the goods list and its CSV/XLSX export, one SKU read, created or updated by code,
 * a bulk upsert that writes every item or none (each bad item named by its position and reason), deactivation and
 * deletion (refused for a SKU in use), the shop's platform SKUs, a mapping (re-checking the orders that wait on it) and
 * a goods pull from the platform, with the same permissions as the pages.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { PlatformSkuMapping } from '../../db/entities';
import { deleteSku, setSkuActive } from '../../db/settings/sku-status';
import type { SaveSkusResult } from '../../db/settings/save-skus';
import type { AppEnv } from '../env';
import { PAGE_SIZES, pagerFor } from '../orders/order-list-query';
import { goodsCsv, goodsXlsx } from '../settings/goods-file';
import { upsertGoods } from '../settings/goods-import';
import { findGoods, findGoodsPage, GOODS_SORTS, goodsQuery } from '../settings/goods-list';
import { mapPlatformSku } from '../settings/goods-mapping';
import { goodsPullStatus, pullAndWait } from '../settings/goods-pull';
import { apiErrorBody } from './api-error';
import { apiApp, COMMON_ERRORS, errorResponse, guard, jsonBody, jsonResponse } from './api-route';

const size = z.coerce.number().int().refine((n) => (PAGE_SIZES as readonly number[]).includes(n), 'error.badPageSize').default(50).openapi({ description: '50 (default), 100 or 200', enum: [...PAGE_SIZES] });
const page = z.coerce.number().int().min(1).max(1_000_000).default(1);
const CodeParam = z.object({ code: z.string().min(1).max(60).openapi({ param: { name: 'code', in: 'path' }, example: 'BWB500-01' }) });

const GoodsQuerySchema = z.object({
  q: goodsQuery.shape.q.openapi({ description: 'Part of a code or name, or a barcode exactly' }),
  active: goodsQuery.shape.active.openapi({ description: 'yes (default), no, or empty for both' }),
  kind: goodsQuery.shape.kind.openapi({ description: 'sku, bundle, or empty for both' }),
  sort: goodsQuery.shape.sort.openapi({ description: GOODS_SORTS.join(', ') }),
  dir: goodsQuery.shape.dir,
  page,
  size,
});

const ComponentSchema = z.object({ code: z.string(), qty: z.number().int() });
const SkuSchema = z.object({
  code: z.string(), barcode: z.string(), name: z.string(), spec: z.string(), productCode: z.string(), weightGrams: z.number().int(),
  costFen: z.number().int(), priceFen: z.number().int(), active: z.boolean(), isBundle: z.boolean(), components: z.array(ComponentSchema),
}).openapi('Sku');
const SkuPageSchema = z.object({ total: z.number().int(), page: z.number().int(), pages: z.number().int(), size: z.number().int(), items: z.array(SkuSchema) }).openapi('SkuPage');

/** What a caller may send for one SKU; a field left out keeps what the SKU has (a new SKU gets the default). */
const SkuFieldsSchema = z.object({
  barcode: z.string().max(60).optional(),
  name: z.string().max(200).optional(),
  spec: z.string().max(200).optional(),
  productCode: z.string().max(60).optional().openapi({ description: 'The product (货品) it belongs to; empty: its own' }),
  weightGrams: z.number().int().min(0).optional(),
  costFen: z.number().int().min(0).optional(),
  priceFen: z.number().int().min(0).optional(),
  active: z.boolean().optional(),
  components: z.array(z.object({ code: z.string().min(1).max(60), qty: z.number().int().min(1) })).max(50).optional().openapi({ description: 'Non-empty for a bundle (组合装)' }),
});
const SkuUpsertSchema = SkuFieldsSchema.extend({ code: z.string().trim().min(1).max(60) }).openapi('SkuUpsert');
const RowErrorSchema = z.object({ row: z.number().int().openapi({ description: 'Position in the list, from 1' }), code: z.string(), message: z.string() });
const SavedSchema = z.object({ created: z.array(z.string()), updated: z.array(z.string()) }).openapi('SkusSaved');
const RowErrorsSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }), errors: z.array(RowErrorSchema) }).openapi('SkuRowErrors');

const MappingSchema = z.object({
  shopCode: z.string(), numIid: z.string(), skuId: z.string(), outerId: z.string(), title: z.string(), spec: z.string(), priceFen: z.number().int(),
  skuCode: z.string().openapi({ description: 'Our SKU or bundle; empty while not mapped' }), mappedBy: z.string(), mappedAt: z.string().nullable(), pulledAt: z.string().nullable(),
}).openapi('SkuMapping');
const MappingPageSchema = z.object({ total: z.number().int(), page: z.number().int(), pages: z.number().int(), size: z.number().int(), items: z.array(MappingSchema) }).openapi('SkuMappingPage');
const MapBodySchema = z.object({
  shopCode: z.string().trim().min(1).max(40),
  numIid: z.string().trim().max(30).optional().openapi({ description: "The platform's item id; with skuId it is what order lines map by first" }),
  skuId: z.string().trim().max(30).optional().openapi({ description: "The platform's SKU id; empty for an item without SKUs" }),
  outerId: z.string().trim().max(60).default('').openapi({ description: 'The outer id (商家编码) the platform carries; lines without num_iid map by it' }),
  title: z.string().trim().max(200).optional(),
  spec: z.string().trim().max(200).optional(),
  skuCode: z.string().trim().max(60).openapi({ description: 'Our SKU or bundle code; empty removes the mapping' }),
}).openapi('SkuMappingInput');
const MapResultSchema = z.object({ ok: z.boolean(), message: z.string(), rechecked: z.array(z.string()).openapi({ description: 'Orders waiting with 货品未匹配 that were asked to re-check' }) }).openapi('SkuMappingResult');
const PullResultSchema = z.object({
  ok: z.boolean(),
  running: z.boolean().openapi({ description: 'Still reading the platform: ask GET /settings/goods-pull/{shopCode} again' }),
  message: z.string(),
  stage: z.enum(['listing', 'pulling', 'done', 'failed', 'none']),
  items: z.number().int().openapi({ description: 'Listings on sale found' }),
  itemsDone: z.number().int().openapi({ description: 'Listings read with their SKUs so far' }),
  seen: z.number().int().openapi({ description: 'Platform SKUs recorded' }),
  added: z.number().int().openapi({ description: 'Of those, new to Guanjia' }),
}).openapi('GoodsPullResult');
const ShopParam = z.object({ shopCode: z.string().min(1).max(40).openapi({ param: { name: 'shopCode', in: 'path' }, example: 'tb-demo' }) });
const pullJson = (s: { running: boolean; ok: boolean; message: string; progress: { stage: 'listing' | 'pulling' | 'done' | 'failed'; items: number; itemsDone: number; seen: number; added: number } | null }) => ({
  ok: s.ok, running: s.running, message: s.message, stage: s.progress?.stage ?? ('none' as const),
  items: s.progress?.items ?? 0, itemsDone: s.progress?.itemsDone ?? 0, seen: s.progress?.seen ?? 0, added: s.progress?.added ?? 0,
});

const skuJson = (s: NonNullable<Awaited<ReturnType<typeof findGoods>>>) => s;
const mappingJson = (m: PlatformSkuMapping) => ({
  shopCode: m.shopCode, numIid: m.numIid, skuId: m.skuId, outerId: m.outerId, title: m.title, spec: m.spec, priceFen: m.priceFen, skuCode: m.skuCode,
  mappedBy: m.mappedBy, mappedAt: m.mappedAt ? new Date(m.mappedAt).toISOString() : null, pulledAt: m.pulledAt ? new Date(m.pulledAt).toISOString() : null,
});

function saved(c: Context<AppEnv>, r: SaveSkusResult) {
  if (r.ok) return c.json({ created: r.created, updated: r.updated }, 200);
  return c.json({ ...apiErrorBody('bad_request', `${r.errors.length} 行有问题，什么都没有写入：${r.errors[0]?.message ?? ''}`), errors: r.errors }, 400);
}

const list = createRoute({
  ...guard('settings.view', 'SKUs and bundles, searched, filtered, sorted and paged.'),
  method: 'get', path: '/settings/products', tags: ['settings'], summary: 'Goods (货品档案)',
  request: { query: GoodsQuerySchema },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(SkuPageSchema, 'One page of SKUs') },
});
const exportGoods = createRoute({
  ...guard('settings.view', 'All matching SKUs in the list order, streamed; the file imports back unchanged.'),
  method: 'get', path: '/settings/products/export', tags: ['settings'], summary: 'Export goods as CSV or XLSX',
  request: { query: GoodsQuerySchema.omit({ page: true, size: true }).extend({ format: z.enum(['csv', 'xlsx']).default('csv') }) },
  responses: {
    ...COMMON_ERRORS,
    200: { description: 'The file', content: { 'text/csv': { schema: z.string().openapi({ format: 'binary' }) }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().openapi({ format: 'binary' }) } } },
  },
});
const getSku = createRoute({
  ...guard('settings.view'),
  method: 'get', path: '/settings/skus/{code}', tags: ['settings'], summary: 'One SKU or bundle',
  request: { params: CodeParam },
  responses: { ...COMMON_ERRORS, 404: errorResponse('No such SKU (`not_found`)'), 200: jsonResponse(SkuSchema, 'The SKU') },
});
const putSku = createRoute({
  ...guard('settings.manage', 'Creates the SKU or updates it by code; fields left out keep their value.'),
  method: 'put', path: '/settings/skus/{code}', tags: ['settings'], summary: 'Create or update one SKU',
  request: { params: CodeParam, body: jsonBody(SkuFieldsSchema) },
  responses: { ...COMMON_ERRORS, 400: jsonResponse(RowErrorsSchema, 'What is wrong (`bad_request`); nothing was written'), 200: jsonResponse(SavedSchema, 'Created or updated') },
});
const bulk = createRoute({
  ...guard('settings.manage', 'Creates or updates many SKUs by code in one transaction: every item is checked first, and any bad item writes nothing.'),
  method: 'post', path: '/settings/skus/bulk', tags: ['settings'], summary: 'Bulk upsert SKUs (sync goods from your system)',
  request: { body: jsonBody(z.object({ items: z.array(SkuUpsertSchema).min(1).max(5_000) })) },
  responses: { ...COMMON_ERRORS, 400: jsonResponse(RowErrorsSchema, 'Every bad item with its position and reason (`bad_request`); nothing was written'), 200: jsonResponse(SavedSchema, 'All written') },
});
const setActive = createRoute({
  ...guard('settings.manage', 'A deactivated SKU matches no new order line.'),
  method: 'post', path: '/settings/skus/{code}/active', tags: ['settings'], summary: 'Activate or deactivate a SKU',
  request: { params: CodeParam, body: jsonBody(z.object({ active: z.boolean() })) },
  responses: { ...COMMON_ERRORS, 404: errorResponse('No such SKU (`not_found`)'), 200: jsonResponse(z.object({ message: z.string() }), 'Done') },
});
const remove = createRoute({
  ...guard('settings.manage', 'Refused (409) for a SKU with stock, a stock history, open orders, a bundle that holds it or a mapping to it: deactivate it instead.'),
  method: 'delete', path: '/settings/skus/{code}', tags: ['settings'], summary: 'Delete a SKU nothing uses',
  request: { params: CodeParam },
  responses: { ...COMMON_ERRORS, 404: errorResponse('No such SKU (`not_found`)'), 409: errorResponse('In use (`refused`)'), 200: jsonResponse(z.object({ message: z.string() }), 'Deleted') },
});
const mappings = createRoute({
  ...guard('settings.view', "A shop's platform SKUs (pulled or met on order lines) and what each maps to."),
  method: 'get', path: '/settings/sku-mappings', tags: ['settings'], summary: 'Platform SKU mappings (货品对应)',
  request: { query: z.object({ shop: z.string().trim().min(1).max(40), show: z.enum(['all', 'unmapped', 'mapped']).default('all'), page, size }) },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(MappingPageSchema, 'One page of platform SKUs') },
});
const map = createRoute({
  ...guard('goods.map', 'Maps a platform SKU (num_iid + sku_id, or an outer id) to one SKU or bundle; every order waiting in review with 货品未匹配 on it re-checks at once.'),
  method: 'post', path: '/settings/sku-mappings', tags: ['settings'], summary: 'Map a platform SKU',
  request: { body: jsonBody(MapBodySchema) },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(MapResultSchema, 'Mapped') },
});
const pull = createRoute({
  ...guard('settings.manage', "Reads the shop's listings on sale and their SKUs from the platform (taobao.items.onsale.get, taobao.item.seller.get) in the background (workflow goods-pull:<shop>; a second call while one runs joins it). Waits up to 20 seconds for it."),
  method: 'post', path: '/settings/goods-pull', tags: ['settings'], summary: 'Pull goods from a shop',
  request: { body: jsonBody(z.object({ shopCode: z.string().trim().min(1).max(40) })) },
  responses: {
    ...COMMON_ERRORS,
    404: errorResponse('No such shop (`not_found`)'),
    409: errorResponse('The shop has no platform access (CSV only) (`refused`)'),
    502: errorResponse('The platform refused or could not be reached (`workflow_failed`)'),
    200: jsonResponse(PullResultSchema, 'Pulled'),
    202: jsonResponse(PullResultSchema, 'Still pulling after 20 seconds; its progress'),
  },
});
const pullStatus = createRoute({
  ...guard('settings.view', "Where the shop's goods pull stands: running with its progress, or how the last one ended."),
  method: 'get', path: '/settings/goods-pull/{shopCode}', tags: ['settings'], summary: 'Progress of a goods pull',
  request: { params: ShopParam },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(PullResultSchema, 'Its progress or outcome') },
});

export const settingsGoodsApi = apiApp()
  .openapi(list, async (c) => {
    const { rows, pager } = await findGoodsPage(c.var.deps.db.em().fork(), c.req.valid('query'));
    return c.json({ total: pager.total, page: pager.page, pages: pager.pages, size: pager.size, items: rows }, 200);
  })
  .openapi(exportGoods, (c) => {
    const { format, ...q } = c.req.valid('query');
    const em = c.var.deps.db.em().fork();
    return (format === 'xlsx' ? goodsXlsx(c, em, q) : goodsCsv(c, em, q)) as never;
  })
  .openapi(getSku, async (c) => {
    const sku = await findGoods(c.var.deps.db.em().fork(), c.req.valid('param').code);
    if (!sku) return c.json(apiErrorBody('not_found', `商家编码 ${c.req.valid('param').code} 不存在`), 404);
    return c.json(skuJson(sku), 200);
  })
  .openapi(putSku, async (c) => saved(c, await upsertGoods(c.var.deps.db.em().fork(), c.var.actor, [{ ...c.req.valid('json'), code: c.req.valid('param').code }])))
  .openapi(bulk, async (c) => saved(c, await upsertGoods(c.var.deps.db.em().fork(), c.var.actor, c.req.valid('json').items)))
  .openapi(setActive, async (c) => {
    const r = await setSkuActive(c.var.deps.db.em().fork(), c.var.actor, c.req.valid('param').code, c.req.valid('json').active);
    if (!r.ok) return c.json(apiErrorBody('not_found', r.message), 404);
    return c.json({ message: r.message }, 200);
  })
  .openapi(remove, async (c) => {
    const r = await deleteSku(c.var.deps.db.em().fork(), c.var.actor, c.req.valid('param').code);
    if (!r.ok) return c.json(apiErrorBody(r.notFound ? 'not_found' : 'refused', r.message), r.notFound ? 404 : 409);
    return c.json({ message: r.message }, 200);
  })
  .openapi(mappings, async (c) => {
    const q = c.req.valid('query');
    const em = c.var.deps.db.em().fork();
    const where = { shopCode: q.shop, ...(q.show === 'unmapped' ? { skuCode: '' } : q.show === 'mapped' ? { skuCode: { $ne: '' } } : {}) };
    const pager = pagerFor(q.page, q.size, await em.count(PlatformSkuMapping, where));
    const rows = await em.find(PlatformSkuMapping, where, { orderBy: { numIid: 'asc', skuId: 'asc', id: 'asc' }, limit: q.size, offset: (pager.page - 1) * q.size });
    return c.json({ total: pager.total, page: pager.page, pages: pager.pages, size: pager.size, items: rows.map(mappingJson) }, 200);
  })
  .openapi(map, async (c) => {
    const r = await mapPlatformSku(c.var.deps.db, c.var.deps.temporal, c.var.actor, c.req.valid('json'));
    if (!r.ok) return c.json(apiErrorBody('bad_request', r.message), 400);
    return c.json({ ok: true, message: r.message, rechecked: r.rechecked }, 200);
  })
  .openapi(pull, async (c) => {
    const r = await pullAndWait(c.var.deps.db, c.var.deps.temporal, c.var.deps.config.taskQueue, c.req.valid('json').shopCode, 20_000);
    if (!('running' in r)) return c.json(apiErrorBody(r.notFound ? 'not_found' : 'refused', r.message), r.notFound ? 404 : 409);
    if (!r.running && !r.ok) return c.json(apiErrorBody('workflow_failed', r.message), 502);
    return c.json(pullJson(r), r.running ? 202 : 200);
  })
  .openapi(pullStatus, async (c) => c.json(pullJson(await goodsPullStatus(c.var.deps.db, c.var.deps.temporal, c.req.valid('param').shopCode)), 200));
