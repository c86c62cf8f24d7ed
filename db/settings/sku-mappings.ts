/**
 * 货品对应 writes and look-ups: a platform SKU of a shop mapped to one SKU or bundle of ours (saved by the mapping
 * page, the review page and the API, audited with before/after), the platform SKUs a goods pull saw, and the orders
 * waiting in review with 货品未匹配 that a new mapping may release.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { Order, OrderLine, PlatformOrder, PlatformSkuMapping, Shop, Sku } from '../entities';
import type { Actor } from '../../domain/roles';
import { platformKeyOf, UNMATCHED_REASON, type MappingBook, type PlatformSku, type PlatformSkuRef } from '../../domain/sku-mapping';
import { writeGoodsAudit } from './goods-audit';

export interface SkuMappingInput extends PlatformSkuRef {
  shopCode: string;
  title?: string;
  spec?: string;
  /** Our SKU or bundle code. */
  skuCode: string;
}

export type SaveMappingResult =
  | { ok: true; mapping: PlatformSkuMapping; message: string }
  | { ok: false; message: string };

/** The mappings of a shop that can apply to these lines, keyed by platform key and by outer id. */
export async function loadMappingBook(em: EntityManager, shopCode: string, refs: readonly PlatformSkuRef[]): Promise<MappingBook> {
  const keys = [...new Set(refs.filter((r) => r.numIid).map(platformKeyOf))];
  const outerIds = [...new Set(refs.map((r) => r.outerId).filter(Boolean))];
  if (!keys.length && !outerIds.length) return { byKey: {}, byOuterId: {} };
  const or: object[] = [];
  if (keys.length) or.push({ platformKey: { $in: keys } });
  if (outerIds.length) or.push({ outerId: { $in: outerIds } }, { platformKey: { $in: outerIds.map((o) => platformKeyOf({ outerId: o })) } });
  const rows = await em.find(PlatformSkuMapping, { shopCode, skuCode: { $ne: '' }, $or: or }, { orderBy: { mappedAt: 'desc', id: 'desc' } });
  const book: MappingBook = { byKey: {}, byOuterId: {} };
  for (const r of rows) {
    book.byKey[r.platformKey] ??= r.skuCode;
    // The newest mapping of an outer id wins when two platform SKUs carrying it were mapped differently.
    if (r.outerId) book.byOuterId[r.outerId] ??= r.skuCode;
  }
  return book;
}

const mappingFacts = (m: Pick<PlatformSkuMapping, 'numIid' | 'skuId' | 'outerId' | 'title' | 'spec' | 'skuCode'>) => ({
  numIid: m.numIid, skuId: m.skuId, outerId: m.outerId, title: m.title, spec: m.spec, skuCode: m.skuCode,
});

/** Maps one platform SKU to a SKU or bundle of ours (creating the row when no pull has seen it), or clears it with skuCode ''. */
export async function saveSkuMapping(em: EntityManager, actor: Pick<Actor, 'username' | 'displayName'>, input: SkuMappingInput): Promise<SaveMappingResult> {
  const numIid = (input.numIid ?? '').trim();
  const skuId = numIid ? (input.skuId ?? '').trim() : '';
  const outerId = input.outerId.trim();
  const skuCode = input.skuCode.trim();
  if (!numIid && !outerId) return { ok: false, message: '请给出平台商品 ID (num_iid) 或商家编码 (outer id)' };
  if (numIid && !/^\d{1,30}$/.test(numIid)) return { ok: false, message: `平台商品 ID “${numIid}” 应为数字` };
  if (skuId && !/^\d{1,30}$/.test(skuId)) return { ok: false, message: `平台 SKU ID “${skuId}” 应为数字` };
  if (outerId.length > 60) return { ok: false, message: '商家编码不超过 60 个字符' };
  return em.transactional(async (tx) => {
    if (!(await tx.count(Shop, { code: input.shopCode }))) return { ok: false as const, message: `店铺 ${input.shopCode} 不存在` };
    if (skuCode) {
      const sku = await tx.findOne(Sku, { code: skuCode });
      if (!sku) return { ok: false as const, message: `商家编码 ${skuCode} 不存在，请先在货品档案中添加` };
      if (!sku.active) return { ok: false as const, message: `${skuCode} 已停用，请先启用或选择别的货品` };
    }
    const platformKey = platformKeyOf({ numIid, skuId, outerId });
    let row = await tx.findOne(PlatformSkuMapping, { shopCode: input.shopCode, platformKey });
    const before = row ? mappingFacts(row) : null;
    const now = new Date();
    if (!row) {
      row = tx.create(PlatformSkuMapping, {
        shopCode: input.shopCode, platformKey, numIid, skuId, outerId, title: (input.title ?? '').slice(0, 200), spec: (input.spec ?? '').slice(0, 200), updatedAt: now,
      });
    } else {
      if (outerId) row.outerId = outerId;
      if (input.title) row.title = input.title.slice(0, 200);
      if (input.spec) row.spec = input.spec.slice(0, 200);
    }
    row.skuCode = skuCode;
    row.mappedBy = skuCode ? actor.username : '';
    row.mappedAt = skuCode ? now : null;
    row.updatedAt = now;
    await tx.flush();
    await writeGoodsAudit(tx, actor, [{
      entityType: 'sku_mapping', entityId: `${input.shopCode}:${platformKey}`, action: skuCode ? 'sku_map' : 'sku_unmap', before, after: mappingFacts(row),
    }]);
    const what = row.title || row.outerId || platformKey;
    return { ok: true as const, mapping: row, message: skuCode ? `已对应：${what} → ${skuCode}` : `已取消对应：${what}` };
  });
}

/** One platform SKU as a goods pull reads it (its stock on the platform is not kept). */
export type PulledPlatformSku = Omit<PlatformSku, 'quantity'>;

/** Records what the pull saw (title, spec, outer id, price), keeping every mapping already made. */
export async function recordPulledSkus(em: EntityManager, shopCode: string, pulled: readonly PulledPlatformSku[]): Promise<{ added: number; seen: number }> {
  return em.transactional(async (tx) => {
    const now = new Date();
    let added = 0;
    for (let i = 0; i < pulled.length; i += 500) {
      const chunk = pulled.slice(i, i + 500);
      const keys = chunk.map((p) => platformKeyOf(p));
      const known = new Map((await tx.find(PlatformSkuMapping, { shopCode, platformKey: { $in: keys } })).map((r) => [r.platformKey, r]));
      for (const p of chunk) {
        const key = platformKeyOf(p);
        const values = { numIid: p.numIid, skuId: p.skuId, outerId: p.outerId.slice(0, 60), title: p.title.slice(0, 200), spec: p.spec.slice(0, 200), priceFen: p.priceFen, pulledAt: now, updatedAt: now };
        const row = known.get(key);
        if (row) tx.assign(row, values);
        else {
          known.set(key, tx.create(PlatformSkuMapping, { shopCode, platformKey: key, ...values }));
          added += 1;
        }
      }
      await tx.flush();
    }
    return { added, seen: pulled.length };
  });
}

/**
 * Maps, among the given pulled rows (all of the shop when none are given), each unmapped one whose outer id is the
 * code of an active SKU of ours: what 网店管家 calls 自动对应.
 */
export async function mapByOuterId(em: EntityManager, actor: Pick<Actor, 'username' | 'displayName'>, shopCode: string, ids?: readonly number[]): Promise<PlatformSkuMapping[]> {
  const rows = await em.find(PlatformSkuMapping, { shopCode, skuCode: '', outerId: { $ne: '' }, ...(ids ? { id: { $in: [...ids] } } : {}) });
  const codes = new Set((await em.find(Sku, { code: { $in: [...new Set(rows.map((r) => r.outerId))] }, active: true }, { fields: ['code'] })).map((s) => s.code));
  const mapped: PlatformSkuMapping[] = [];
  for (const r of rows) {
    if (!codes.has(r.outerId)) continue;
    const saved = await saveSkuMapping(em, actor, { shopCode, numIid: r.numIid, skuId: r.skuId, outerId: r.outerId, skuCode: r.outerId });
    if (saved.ok) mapped.push(saved.mapping);
  }
  return mapped;
}

/** A waiting order a mapping may release. */
export interface OrderWaitingForMapping {
  id: string;
  platformOrderNo: string;
}

const WAITING_STATUSES = ['review', 'out_of_area'];

/**
 * Orders of the shop waiting in review with 货品未匹配 that have a line this platform SKU matches: by its outer id on
 * the order line, or by num_iid/sku_id in the platform order as it was received.
 */
export async function ordersWaitingForMapping(em: EntityManager, m: Pick<PlatformSkuMapping, 'shopCode' | 'numIid' | 'skuId' | 'outerId'>, limit = 2_000): Promise<OrderWaitingForMapping[]> {
  const candidates = await em.find(
    Order,
    { shopCode: m.shopCode, status: { $in: WAITING_STATUSES as Order['status'][] }, reviewReasons: { $like: `%${UNMATCHED_REASON}%` } },
    { fields: ['id', 'platformOrderNo'], orderBy: { paidAt: 'asc', id: 'asc' }, limit },
  );
  if (!candidates.length) return [];
  const ids = candidates.map((o) => o.id);
  const byOuter = new Set(
    m.outerId ? (await em.find(OrderLine, { orderId: { $in: ids }, skuCode: m.outerId }, { fields: ['orderId'] })).map((l) => l.orderId) : [],
  );
  let byItem = new Set<string>();
  if (m.numIid) {
    const raws = await em.find(PlatformOrder, { shopCode: m.shopCode, platformOrderNo: { $in: candidates.map((o) => o.platformOrderNo) } }, { fields: ['platformOrderNo', 'raw'] });
    const hit = new Set(raws.filter((p) => rawHasItem(p.raw, m.numIid, m.skuId)).map((p) => p.platformOrderNo));
    byItem = new Set(candidates.filter((o) => hit.has(o.platformOrderNo)).map((o) => o.id));
  }
  return candidates.filter((o) => byOuter.has(o.id) || byItem.has(o.id)).map((o) => ({ id: o.id, platformOrderNo: o.platformOrderNo }));
}

function rawHasItem(raw: string, numIid: string, skuId: string): boolean {
  try {
    const trade = JSON.parse(raw) as { orders?: { order?: Array<{ num_iid?: unknown; sku_id?: unknown }> } };
    return (trade.orders?.order ?? []).some((o) => String(o.num_iid ?? '') === numIid && String(o.sku_id ?? '') === skuId);
  } catch {
    return false;
  }
}
