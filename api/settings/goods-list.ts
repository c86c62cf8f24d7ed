/**
 * 货品档案 list: SKUs and bundles searched by code, barcode or name, filtered by active and bundle, sorted and paged
 * in SQL (10,000 SKUs answer in milliseconds), and read in chunks for the exports. Also one SKU with its components.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { z } from 'zod';
import { BundleComponent, Product, Sku } from '../../db/entities';
import type { SkuComponentInput, SkuInput } from '../../db/settings/save-skus';
import { likeLiteralPattern, PAGE_SIZES, pagerFor, type Pager } from '../orders/order-list-query';

export const GOODS_SORTS = ['code', 'name', 'barcode', 'price', 'cost', 'weight'] as const;

const SORT_SQL: Record<(typeof GOODS_SORTS)[number], string> = {
  code: 's.code', name: 's.name', barcode: 's.barcode', price: 's.price_fen', cost: 's.cost_fen', weight: 's.weight_grams',
};

export const goodsQuery = z.object({
  q: z.string().trim().max(60).default(''),
  active: z.enum(['', 'yes', 'no']).default('yes'),
  kind: z.enum(['', 'sku', 'bundle']).default(''),
  sort: z.enum(GOODS_SORTS).default('code'),
  dir: z.enum(['asc', 'desc']).default('asc'),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  size: z.coerce.number().int().refine((n) => (PAGE_SIZES as readonly number[]).includes(n), 'error.badPageSize').default(50),
});
export type GoodsQuery = z.output<typeof goodsQuery>;

/** A SKU as the goods list and its export show it: what a save takes, and whether it is a bundle. */
export interface GoodsRow extends SkuInput {
  isBundle: boolean;
}

function fromWhere(q: Pick<GoodsQuery, 'q' | 'active' | 'kind'>): { sql: string; params: unknown[] } {
  const and: string[] = [];
  const params: unknown[] = [];
  if (q.q) {
    const like = likeLiteralPattern(q.q);
    and.push("(s.code LIKE ? ESCAPE '!' OR s.name LIKE ? ESCAPE '!' OR s.barcode = ?)");
    params.push(like, like, q.q);
  }
  if (q.active) and.push(q.active === 'yes' ? 's.active = 1' : 's.active = 0');
  if (q.kind) and.push(q.kind === 'bundle' ? 's.is_bundle = 1' : 's.is_bundle = 0');
  return { sql: `FROM sku s LEFT JOIN product p ON p.id = s.product_id ${and.length ? `WHERE ${and.join(' AND ')}` : ''}`, params };
}

const SELECT = 'SELECT s.code, s.barcode, s.name, s.spec, COALESCE(p.code, \'\') AS product_code, s.weight_grams, s.cost_fen, s.price_fen, s.active, s.is_bundle';
type Raw = { code: string; barcode: string; name: string; spec: string; product_code: string; weight_grams: unknown; cost_fen: unknown; price_fen: unknown; active: unknown; is_bundle: unknown };

const truthy = (v: unknown) => v === true || v === 1 || v === '1';

async function withComponents(em: EntityManager, raws: Raw[]): Promise<GoodsRow[]> {
  const bundles = raws.filter((r) => truthy(r.is_bundle)).map((r) => r.code);
  const parts = bundles.length ? await em.find(BundleComponent, { bundleSkuCode: { $in: bundles } }, { orderBy: { id: 'asc' } }) : [];
  const byBundle = new Map<string, SkuComponentInput[]>();
  for (const p of parts) byBundle.set(p.bundleSkuCode, [...(byBundle.get(p.bundleSkuCode) ?? []), { code: p.componentSkuCode, qty: p.qty }]);
  return raws.map((r) => ({
    code: r.code, barcode: r.barcode, name: r.name, spec: r.spec, productCode: r.product_code, weightGrams: Number(r.weight_grams), costFen: Number(r.cost_fen),
    priceFen: Number(r.price_fen), active: truthy(r.active), isBundle: truthy(r.is_bundle), components: byBundle.get(r.code) ?? [],
  }));
}

const orderSql = (q: Pick<GoodsQuery, 'sort' | 'dir'>) => `ORDER BY ${SORT_SQL[q.sort]} ${q.dir === 'desc' ? 'DESC' : 'ASC'}, s.code ASC`;

export async function findGoodsPage(em: EntityManager, q: GoodsQuery): Promise<{ rows: GoodsRow[]; pager: Pager }> {
  const conn = em.getConnection();
  const { sql, params } = fromWhere(q);
  const [count] = await conn.execute<Array<{ n: unknown }>>(`SELECT COUNT(*) AS n ${sql}`, params, 'all');
  const pager = pagerFor(q.page, q.size, Number(count?.n ?? 0));
  const raws = await conn.execute<Raw[]>(`${SELECT} ${sql} ${orderSql(q)} LIMIT ? OFFSET ?`, [...params, q.size, (pager.page - 1) * q.size], 'all');
  return { rows: await withComponents(em, raws), pager };
}

/** Every matching SKU in the list's order, a chunk at a time: what the exports write while they stream. */
export async function* goodsChunks(em: EntityManager, q: Pick<GoodsQuery, 'q' | 'active' | 'kind' | 'sort' | 'dir'>, chunkSize = 1_000): AsyncGenerator<GoodsRow[]> {
  const conn = em.getConnection();
  const { sql, params } = fromWhere(q);
  for (let offset = 0; ; offset += chunkSize) {
    const raws = await conn.execute<Raw[]>(`${SELECT} ${sql} ${orderSql(q)} LIMIT ? OFFSET ?`, [...params, chunkSize, offset], 'all');
    if (raws.length) yield await withComponents(em, raws);
    if (raws.length < chunkSize) return;
  }
}

export async function findGoods(em: EntityManager, code: string): Promise<GoodsRow | null> {
  const sku = await em.findOne(Sku, { code });
  if (!sku) return null;
  const product = await em.findOne(Product, { id: sku.productId });
  const parts = await em.find(BundleComponent, { bundleSkuCode: code }, { orderBy: { id: 'asc' } });
  return {
    code: sku.code, barcode: sku.barcode, name: sku.name, spec: sku.spec, productCode: product?.code ?? '', weightGrams: sku.weightGrams, costFen: sku.costFen,
    priceFen: sku.priceFen, active: sku.active, isBundle: sku.isBundle, components: parts.map((p) => ({ code: p.componentSkuCode, qty: p.qty })),
  };
}
