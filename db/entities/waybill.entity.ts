import { EntitySchema, OptionalProps } from '@mikro-orm/core';

export type WaybillStatus = 'reserved' | 'printed' | 'shipped' | 'cancelled';

/** A tracking number assigned to an order, with its print history. */
export class Waybill {
  [OptionalProps]?: 'status' | 'printCount' | 'reservedAt' | 'printedAt' | 'cancelledAt';
  id!: number;
  orderId!: string;
  courierCode!: string;
  number!: string;
  status: WaybillStatus = 'reserved';
  printCount = 0;
  /** Idempotency key of the reservation (order id + attempt), so a retry finds its own number. */
  reservationKey!: string;
  reservedAt: Date = new Date();
  printedAt: Date | null = null;
  cancelledAt: Date | null = null;
}

export const WaybillSchema = new EntitySchema<Waybill>({
  class: Waybill,
  tableName: 'waybill',
  uniques: [{ properties: ['courierCode', 'number'] }, { properties: ['reservationKey'] }],
  indexes: [{ properties: ['orderId'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    orderId: { type: 'string', length: 120 },
    courierCode: { type: 'string', length: 20 },
    number: { type: 'string', length: 40 },
    status: { type: 'string', length: 12, default: 'reserved' },
    printCount: { type: 'integer', default: 0 },
    reservationKey: { type: 'string', length: 191 },
    reservedAt: { type: 'datetime' },
    printedAt: { type: 'datetime', nullable: true },
    cancelledAt: { type: 'datetime', nullable: true },
  },
});
