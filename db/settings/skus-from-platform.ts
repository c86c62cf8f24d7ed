/**
 * 生成货品: SKUs created from platform SKUs a goods pull saw and nothing maps yet, one click for all selected; each
 * new SKU takes the platform's outer id as its code, the title, spec and price, and is mapped at once.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { PlatformSkuMapping, Sku } from '../entities';
import type { Actor } from '../../domain/roles';
import { saveSkus, type SkuRowError } from './save-skus';
import { saveSkuMapping } from './sku-mappings';

export type SkusFromPlatformResult =
  | { ok: true; created: string[]; mapped: PlatformSkuMapping[] }
  | { ok: false; errors: SkuRowError[] };

export async function createSkusFromPlatform(em: EntityManager, actor: Pick<Actor, 'username' | 'displayName'>, shopCode: string, ids: readonly number[]): Promise<SkusFromPlatformResult> {
  return em.transactional(async (tx) => {
    const rows = await tx.find(PlatformSkuMapping, { shopCode, id: { $in: [...ids] } }, { orderBy: { id: 'asc' } });
    const errors: SkuRowError[] = [];
    const open = rows.filter((r) => !r.skuCode);
    const existing = new Set((await tx.find(Sku, { code: { $in: open.map((r) => r.outerId).filter(Boolean) } }, { fields: ['code'] })).map((s) => s.code));
    const toCreate = open.filter((r) => r.outerId && !existing.has(r.outerId));
    open.forEach((r, i) => {
      if (!r.outerId) errors.push({ row: i + 1, code: '', message: `“${r.title}${r.spec ? ` ${r.spec}` : ''}”在平台上没有商家编码：请在平台填写后重新获取，或手工对应到已有货品` });
    });
    const seen = new Set<string>();
    const inputs = toCreate.filter((r) => !seen.has(r.outerId) && seen.add(r.outerId)).map((r, i) => ({
      row: i + 1,
      input: { code: r.outerId, barcode: '', name: r.title || r.outerId, spec: r.spec, productCode: r.numIid ? `TB${r.numIid}` : '', weightGrams: 0, costFen: 0, priceFen: r.priceFen, active: true, components: [] },
    }));
    if (errors.length) return { ok: false as const, errors };
    const saved = await saveSkus(tx, actor, inputs, 'create', { action: 'sku_from_platform' });
    if (!saved.ok) return saved;
    const mapped: PlatformSkuMapping[] = [];
    // Outer ids that already were SKU codes are simply mapped to them.
    for (const r of open) {
      const result = await saveSkuMapping(tx, actor, { shopCode, numIid: r.numIid, skuId: r.skuId, outerId: r.outerId, skuCode: r.outerId });
      if (result.ok) mapped.push(result.mapping);
    }
    return { ok: true as const, created: saved.created, mapped };
  });
}
