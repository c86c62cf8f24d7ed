/** The receiver block printed on labels and packing lists. */
import type { Order } from '../../db/entities';

export interface Receiver {
  name: string;
  phone: string;
  address: string;
}

/** Phones are printed in full, mobile first: the courier calls the receiver, masking is the platform's business. */
export function receiverOf(order: Order): Receiver {
  return {
    name: order.receiverName,
    phone: [order.receiverMobile, order.receiverPhone].filter(Boolean).join(' / '),
    // Platforms send 北京 / 北京市 as both province and city; printing it twice wastes a label line.
    address: [order.province, order.city, order.district, order.address]
      .filter((part, i, all) => part && part !== all[i - 1])
      .join(' '),
  };
}
