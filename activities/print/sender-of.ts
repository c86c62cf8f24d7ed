/** The sender printed on a waybill: the e-waybill account's sender when the courier has one, else the shop. */
import type { Courier, Shop } from '../../db/entities';

export interface Sender {
  name: string;
  phone: string;
  address: string;
}

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

/** Couriers check the sender against the e-waybill account, so courier.settings.sender wins over the shop's name. */
export function senderOf(courier: Courier | undefined, shop: Shop | undefined): Sender {
  const raw = courier?.settings['sender'];
  const s = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  return {
    name: text(s['name']) || shop?.name || '',
    phone: text(s['mobile']) || text(s['phone']),
    address: text(s['address']) || [text(s['province']), text(s['city']), text(s['district']), text(s['detail'])].join(''),
  };
}
