/** What a list row shows of an order: its fields plus names, review reasons, a goods summary and whether it is pink. */
import type { Order, OrderLine } from '../../db/entities';
import { REVIEWABLE } from '../../domain/order-status';
import { domId, needsAttention } from './order-list-query';
import type { ReferenceData } from './reference-data';

export interface OrderRowResult {
  ok: boolean;
  message: string;
}

export function orderRow(o: Order, lines: OrderLine[] | undefined, refs: ReferenceData, result?: OrderRowResult) {
  return {
    id: o.id,
    domId: domId(o.id),
    version: o.version,
    /** Checkbox value: the id and the version the person saw, so a batch decision can be refused as stale. */
    pick: `${o.id}@${o.version}`,
    status: o.status,
    platformOrderNo: o.platformOrderNo,
    shopCode: o.shopCode,
    shopName: refs.shopName(o.shopCode),
    buyerNick: o.buyerNick,
    receiverName: o.receiverName,
    receiverMobile: o.receiverMobile || o.receiverPhone,
    province: o.province,
    city: o.city,
    district: o.district,
    address: o.address,
    buyerMessage: o.buyerMessage,
    sellerMemo: o.sellerMemo,
    reasons: o.reviewReasons ? o.reviewReasons.split(/[；;]/).map((s) => s.trim()).filter(Boolean) : [],
    paidFen: o.paidFen,
    paidAt: o.paidAt,
    createdAt: o.createdAt,
    itemCount: o.itemCount,
    mainSku: o.mainSku,
    courierCode: o.courierCode,
    courierName: refs.courierName(o.courierCode),
    warehouseName: refs.warehouseName(o.warehouseCode),
    waybillNo: o.waybillNo,
    printCount: o.printCount,
    printedAt: o.printedAt,
    shippedAt: o.shippedAt,
    refundStatus: o.refundStatus,
    alert: o.alert,
    pink: needsAttention(o),
    reviewable: REVIEWABLE.includes(o.status),
    syncStatus: o.syncStatus,
    syncAttempts: o.syncAttempts,
    syncLastError: o.syncLastError,
    syncNextAt: o.syncNextAt,
    goods: (lines ?? []).map((l) => ({ title: l.title, spec: l.spec, qty: l.qty, skuCode: l.skuCode, isGift: l.isGift })),
    result,
  };
}

export type OrderRowView = ReturnType<typeof orderRow>;
