/**
 * Deactivating (停用), reactivating and deleting a SKU. A SKU that has stock, a stock history, open orders, a bundle
 * that holds it or a platform mapping to it is never deleted, only deactivated, so nothing that names it loses its
 * meaning; a deactivated SKU matches no new order line.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { BundleComponent, Order, OrderLine, PlatformSkuMapping, Sku, StockLedgerEntry, StockLevel } from '../entities';
import type { Actor } from '../../domain/roles';
import { writeGoodsAudit } from './goods-audit';

export type SkuStatusResult = { ok: true; message: string } | { ok: false; message: string; notFound?: boolean };

const OPEN_ORDER: Order['status'][] = ['submitted', 'review', 'out_of_area', 'waybill_pending', 'ready_to_print', 'printed'];

export async function setSkuActive(em: EntityManager, actor: Pick<Actor, 'username' | 'displayName'>, code: string, active: boolean, reason = ''): Promise<SkuStatusResult> {
  return em.transactional(async (tx) => {
    const sku = await tx.findOne(Sku, { code });
    if (!sku) return { ok: false, notFound: true, message: `商家编码 ${code} 不存在` };
    if (sku.active === active) return { ok: true, message: active ? `${code} 已是启用状态` : `${code} 已是停用状态` };
    sku.active = active;
    await tx.flush();
    await writeGoodsAudit(tx, actor, [{ entityType: 'sku', entityId: code, action: active ? 'sku_activate' : 'sku_deactivate', reason, before: { active: !active }, after: { active } }]);
    return { ok: true, message: active ? `已启用 ${code}` : `已停用 ${code}：新订单不会再匹配到它` };
  });
}

/** Why a SKU cannot be deleted, or '' when nothing uses it. */
export async function skuInUse(em: EntityManager, code: string): Promise<string> {
  const levels = await em.count(StockLevel, { skuCode: code, $or: [{ onHand: { $ne: 0 } }, { reserved: { $ne: 0 } }] });
  if (levels) return '它还有库存';
  if (await em.count(StockLedgerEntry, { skuCode: code })) return '它有库存流水';
  const lines = await em.find(OrderLine, { skuCode: code }, { fields: ['orderId'], limit: 500 });
  if (lines.length && (await em.count(Order, { id: { $in: [...new Set(lines.map((l) => l.orderId))] }, status: { $in: OPEN_ORDER } }))) return '有未发货的订单含有它';
  const bundle = await em.findOne(BundleComponent, { componentSkuCode: code });
  if (bundle) return `它是组合装 ${bundle.bundleSkuCode} 的明细`;
  if (await em.count(PlatformSkuMapping, { skuCode: code })) return '有平台货品对应到它';
  if (lines.length) return '有订单含有它';
  return '';
}

export async function deleteSku(em: EntityManager, actor: Pick<Actor, 'username' | 'displayName'>, code: string): Promise<SkuStatusResult> {
  return em.transactional(async (tx) => {
    const sku = await tx.findOne(Sku, { code });
    if (!sku) return { ok: false, notFound: true, message: `商家编码 ${code} 不存在` };
    const why = await skuInUse(tx, code);
    if (why) return { ok: false, message: `不能删除 ${code}：${why}。可以停用它，新订单就不会再匹配到它` };
    const before = { name: sku.name, barcode: sku.barcode, spec: sku.spec, isBundle: sku.isBundle };
    await tx.nativeDelete(BundleComponent, { bundleSkuCode: code });
    await tx.nativeDelete(Sku, { code });
    await writeGoodsAudit(tx, actor, [{ entityType: 'sku', entityId: code, action: 'sku_delete', before }]);
    return { ok: true, message: `已删除 ${code}` };
  });
}
