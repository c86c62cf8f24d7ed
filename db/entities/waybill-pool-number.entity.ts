import { EntitySchema, OptionalProps } from '@mikro-orm/core';

export type PoolNumberStatus = 'free' | 'reserved' | 'void';

/** One tracking number imported from a courier's number roll; handed out once. */
export class WaybillPoolNumber {
  [OptionalProps]?: 'status' | 'orderId' | 'reservedAt';
  id!: number;
  courierCode!: string;
  number!: string;
  status: PoolNumberStatus = 'free';
  orderId: string | null = null;
  reservedAt: Date | null = null;
}

export const WaybillPoolNumberSchema = new EntitySchema<WaybillPoolNumber>({
  class: WaybillPoolNumber,
  tableName: 'waybill_pool_number',
  indexes: [{ properties: ['courierCode', 'status'] }],
  uniques: [{ properties: ['courierCode', 'number'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    courierCode: { type: 'string', length: 20 },
    number: { type: 'string', length: 40 },
    status: { type: 'string', length: 10, default: 'free' },
    orderId: { type: 'string', length: 120, nullable: true, index: true },
    reservedAt: { type: 'datetime', nullable: true },
  },
});
