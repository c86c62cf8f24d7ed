/**
 * What 扫描验货 checks before a parcel may be scanned, shared by the scan page and the JSON API: the order behind a
 * waybill, why it may not ship (refund, already shipped, cancelled, not printed), and the barcodes to scan.
 */
import type { EntityManager } from '@mikro-orm/knex';
import type { Context } from 'hono';
import { Order, OrderLine, Sku } from '../../db/entities';
import type { ScanLine } from '../../domain/scan';
import { CHANGED_AFTER_PRINT } from '../../domain/order-draft';
import { refundBlocksShipping } from '../../domain/taobao';
import type { AppEnv } from '../env';
import { t } from '../render';

/** A waybill number reused after a cancellation belongs to the order that took it last. */
export function findOrderByWaybill(em: EntityManager, waybillNo: string): Promise<Order | null> {
  return em.findOne(Order, { waybillNo }, { orderBy: { updatedAt: 'desc' } });
}

/** Lines to check, by barcode; a line the read model has without a barcode takes its SKU's. */
export async function loadScanLines(em: EntityManager, orderId: string): Promise<ScanLine[]> {
  const lines = await em.find(OrderLine, { orderId }, { orderBy: { lineNo: 'asc' } });
  const missing = [...new Set(lines.filter((l) => !l.barcode && l.skuCode).map((l) => l.skuCode))];
  const skus = missing.length ? await em.find(Sku, { code: { $in: missing } }, { fields: ['code', 'barcode'] }) : [];
  const barcodeOf = new Map(skus.map((s) => [s.code, s.barcode]));
  return lines.map((l) => ({ barcode: l.barcode || barcodeOf.get(l.skuCode) || '', skuCode: l.skuCode, title: l.title, spec: l.spec, qty: l.qty }));
}

/** A buyer changed the order after its label was printed: only a supervisor's release lets the parcel go. */
export function changedAfterPrint(order: Order): boolean {
  return order.alert.startsWith(CHANGED_AFTER_PRINT);
}

/**
 * Why a scanned waybill's parcel may not be checked, loudly, or null when it may. `released`: a supervisor's release
 * is at hand, which lets a parcel changed after printing through (never a refunded one).
 */
export function scanRefusal(c: Context<AppEnv>, order: Order | null, code: string, released = false): string | null {
  if (!order) return t(c, 'scan.unknownWaybill', { code });
  if (refundBlocksShipping(order.refundStatus || undefined)) return t(c, 'scan.refunded', { no: order.platformOrderNo });
  if (order.status === 'printed' && changedAfterPrint(order) && !released) return t(c, 'scan.changedAfterPrint', { no: order.platformOrderNo, alert: order.alert });
  if (order.status === 'shipped' || order.status === 'done') return t(c, 'scan.alreadyShipped', { no: order.platformOrderNo });
  if (order.status === 'cancelled') return t(c, 'scan.cancelled', { no: order.platformOrderNo });
  if (order.status !== 'printed') return t(c, 'scan.notPrinted', { no: order.platformOrderNo, status: t(c, `status.${order.status}`) });
  return null;
}
