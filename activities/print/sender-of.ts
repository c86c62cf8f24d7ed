/**
 * The sender printed on a waybill: the ship-from warehouse's address (设置 → 仓库), else the sender an older courier
 * setting held, else the shop's name.
 */
import type { Courier, Shop, Warehouse } from '../../db/entities';

export interface Sender {
  name: string;
  phone: string;
  address: string;
}

/** The sender as the e-waybill API takes it: the address in parts. */
export interface SenderParts {
  name: string;
  mobile: string;
  province: string;
  city: string;
  district: string;
  detail: string;
}

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

/** A warehouse counts as having an address once its province and street are filled in. */
export function warehouseHasAddress(w: Warehouse | undefined | null): w is Warehouse {
  return !!w && !!w.province.trim() && !!w.detail.trim();
}

/** The ship-from warehouse when it has an address, else the default warehouse when that has one. */
export function senderWarehouse(own: Warehouse | undefined | null, fallback: Warehouse | undefined | null): Warehouse | null {
  if (warehouseHasAddress(own)) return own;
  return warehouseHasAddress(fallback) ? fallback : null;
}

/** The sender in parts, for the e-waybill application and the label alike. */
export function senderPartsOf(courier: Courier | undefined, shop: Shop | undefined, warehouse?: Warehouse | null): SenderParts {
  if (warehouseHasAddress(warehouse)) {
    return {
      name: warehouse.contactName.trim() || shop?.name || warehouse.name,
      mobile: warehouse.contactPhone.trim(),
      province: warehouse.province.trim(),
      city: warehouse.city.trim(),
      district: warehouse.district.trim(),
      detail: warehouse.detail.trim(),
    };
  }
  const raw = courier?.settings['sender'];
  const s = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  return {
    name: text(s['name']) || shop?.name || '',
    mobile: text(s['mobile']) || text(s['phone']),
    province: text(s['province']),
    city: text(s['city']),
    district: text(s['district']),
    detail: text(s['detail']) || text(s['address']),
  };
}

export function senderOf(courier: Courier | undefined, shop: Shop | undefined, warehouse?: Warehouse | null): Sender {
  const p = senderPartsOf(courier, shop, warehouse);
  return { name: p.name, phone: p.mobile, address: [p.province, p.city, p.district, p.detail].join('') };
}
