/** The receiver block printed on labels and packing lists. */
import type { Order } from '../../db/entities';
import { maskPhone } from '../../domain/pii-mask';

export interface Receiver {
  name: string;
  phone: string;
  address: string;
}

export interface ReceiverOptions {
  /** Print the phones as 138****8000: always on packing lists, on labels of couriers with 隐私面单 on. */
  maskPhone?: boolean;
}

/**
 * Mobile first. A label prints the phone in full unless its courier takes privacy waybills (the courier then reaches
 * the buyer through its own virtual number); a packing list goes into the parcel and never needs it in full.
 */
export function receiverOf(order: Order, options: ReceiverOptions = {}): Receiver {
  const phone = (p: string) => (options.maskPhone ? maskPhone(p) : p);
  return {
    name: order.receiverName,
    phone: [order.receiverMobile, order.receiverPhone].filter(Boolean).map(phone).join(' / '),
    // Platforms send 北京 / 北京市 as both province and city; printing it twice wastes a label line.
    address: [order.province, order.city, order.district, order.address]
      .filter((part, i, all) => part && part !== all[i - 1])
      .join(' '),
  };
}
