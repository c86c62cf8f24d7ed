import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import type { Receiver } from '../../domain/order-draft';
import type { OrderStatus, SyncStatus } from '../../domain/order-status';
import { TEXT_LIMITS } from '../../domain/text-limits';

/**
 * The read model of one order, written only by the order workflow's activities (upsert by id + version);
 * lists and details are served from here, decisions go to the workflow.
 */
export class Order {
  [OptionalProps]?: 'version' | 'reviewReasons' | 'platformStatus' | 'refundStatus' | 'source' | 'buyerNick' | 'receiverName' | 'receiverMobile' | 'receiverPhone' | 'province' | 'city' | 'district' | 'address' | 'zip' | 'buyerMessage' | 'sellerMemo' | 'goodsFen' | 'postFen' | 'paidFen' | 'itemCount' | 'mainSku' | 'courierCode' | 'warehouseCode' | 'waybillNo' | 'paidAt' | 'platformCreatedAt' | 'shipBy' | 'reviewedBy' | 'reviewedAt' | 'printCount' | 'printedAt' | 'shippedBy' | 'shippedAt' | 'weightGrams' | 'postageFen' | 'syncStatus' | 'syncAttempts' | 'syncLastError' | 'syncNextAt' | 'syncedAt' | 'alert' | 'interceptCaseNo' | 'createdAt' | 'updatedAt';
  /** Equal to the workflow id: order:<shopCode>:<platformOrderNo>. */
  id!: string;
  version = 0;
  status!: OrderStatus;
  /** Why the order waits in review (buyer message, seller memo, address, stock…), zh-CN, joined by "；". */
  reviewReasons = '';
  shopCode!: string;
  platformOrderNo!: string;
  platformStatus = '';
  refundStatus = '';
  source = 'pull';
  buyerNick = '';
  receiverName = '';
  receiverMobile = '';
  receiverPhone = '';
  province = '';
  city = '';
  district = '';
  address = '';
  zip = '';
  buyerMessage = '';
  sellerMemo = '';
  goodsFen = 0;
  postFen = 0;
  paidFen = 0;
  itemCount = 0;
  /** First line's SKU code, for sorting the print list by SKU. */
  mainSku = '';
  courierCode = '';
  warehouseCode = '';
  waybillNo = '';
  paidAt: Date | null = null;
  platformCreatedAt: Date | null = null;
  shipBy: Date | null = null;
  reviewedBy = '';
  reviewedAt: Date | null = null;
  printCount = 0;
  printedAt: Date | null = null;
  shippedBy = '';
  shippedAt: Date | null = null;
  weightGrams = 0;
  postageFen = 0;
  syncStatus: SyncStatus = 'none';
  syncAttempts = 0;
  syncLastError = '';
  syncNextAt: Date | null = null;
  syncedAt: Date | null = null;
  /** A short line for the last thing that went wrong (waybill, stock, refund), shown on the row. */
  alert = '';
  /** The after-sales case holding this order (a refund asked before shipment): nothing moves it on until the case lets go. */
  interceptCaseNo = '';
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
}

export const OrderSchema = new EntitySchema<Order>({
  class: Order,
  tableName: 'orders',
  indexes: [
    { properties: ['status', 'paidAt'] },
    { properties: ['shopCode', 'status'] },
    { properties: ['status', 'province'] },
    { properties: ['syncStatus'] },
    { properties: ['receiverMobile'] },
    { properties: ['buyerNick'] },
    { properties: ['platformOrderNo'] },
    { properties: ['createdAt'] },
  ],
  properties: {
    id: { type: 'string', length: 120, primary: true },
    version: { type: 'integer', default: 0 },
    status: { type: 'string', length: 20 },
    reviewReasons: { type: 'string', length: TEXT_LIMITS.reviewReasons, default: '' },
    shopCode: { type: 'string', length: 40 },
    platformOrderNo: { type: 'string', length: TEXT_LIMITS.platformOrderNo },
    platformStatus: { type: 'string', length: 40, default: '' },
    refundStatus: { type: 'string', length: 40, default: '' },
    source: { type: 'string', length: 10, default: 'pull' },
    buyerNick: { type: 'string', length: TEXT_LIMITS.buyerNick, default: '' },
    receiverName: { type: 'string', length: TEXT_LIMITS.receiverName, default: '' },
    receiverMobile: { type: 'string', length: TEXT_LIMITS.receiverMobile, default: '' },
    receiverPhone: { type: 'string', length: TEXT_LIMITS.receiverPhone, default: '' },
    province: { type: 'string', length: TEXT_LIMITS.province, default: '' },
    city: { type: 'string', length: TEXT_LIMITS.city, default: '' },
    district: { type: 'string', length: TEXT_LIMITS.district, default: '' },
    address: { type: 'string', length: TEXT_LIMITS.address, default: '' },
    zip: { type: 'string', length: TEXT_LIMITS.zip, default: '' },
    buyerMessage: { type: 'text' },
    sellerMemo: { type: 'text' },
    goodsFen: { type: 'integer', default: 0 },
    postFen: { type: 'integer', default: 0 },
    paidFen: { type: 'integer', default: 0 },
    itemCount: { type: 'integer', default: 0 },
    mainSku: { type: 'string', length: 60, default: '' },
    courierCode: { type: 'string', length: 20, default: '' },
    warehouseCode: { type: 'string', length: 40, default: '' },
    waybillNo: { type: 'string', length: 40, default: '', index: true },
    paidAt: { type: 'datetime', nullable: true },
    platformCreatedAt: { type: 'datetime', nullable: true },
    shipBy: { type: 'datetime', nullable: true },
    reviewedBy: { type: 'string', length: 60, default: '' },
    reviewedAt: { type: 'datetime', nullable: true },
    printCount: { type: 'integer', default: 0 },
    printedAt: { type: 'datetime', nullable: true },
    shippedBy: { type: 'string', length: 60, default: '' },
    shippedAt: { type: 'datetime', nullable: true },
    weightGrams: { type: 'integer', default: 0 },
    postageFen: { type: 'integer', default: 0 },
    syncStatus: { type: 'string', length: 10, default: 'none' },
    syncAttempts: { type: 'integer', default: 0 },
    syncLastError: { type: 'string', length: TEXT_LIMITS.syncLastError, default: '' },
    syncNextAt: { type: 'datetime', nullable: true },
    syncedAt: { type: 'datetime', nullable: true },
    alert: { type: 'string', length: TEXT_LIMITS.alert, default: '' },
    interceptCaseNo: { type: 'string', length: 60, default: '' },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
  },
});

/** The order's receiver as it stands now (after review edits), in the domain's shape. */
export function orderReceiver(o: Pick<Order, 'receiverName' | 'receiverMobile' | 'receiverPhone' | 'province' | 'city' | 'district' | 'address' | 'zip'>): Receiver {
  return { name: o.receiverName, mobile: o.receiverMobile, phone: o.receiverPhone, province: o.province, city: o.city, district: o.district, detail: o.address, zip: o.zip };
}
