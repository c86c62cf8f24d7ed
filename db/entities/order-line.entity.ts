import { EntitySchema, OptionalProps } from '@mikro-orm/core';

/** One line of an order as it will ship (review may edit lines and add gifts). */
export class OrderLine {
  [OptionalProps]?: 'oid' | 'skuCode' | 'barcode' | 'title' | 'spec' | 'qty' | 'priceFen' | 'amountFen' | 'isGift';
  id!: number;
  orderId!: string;
  lineNo!: number;
  oid = '';
  skuCode = '';
  barcode = '';
  title = '';
  spec = '';
  qty = 0;
  priceFen = 0;
  amountFen = 0;
  isGift = false;
}

export const OrderLineSchema = new EntitySchema<OrderLine>({
  class: OrderLine,
  tableName: 'order_line',
  uniques: [{ properties: ['orderId', 'lineNo'] }],
  indexes: [{ properties: ['skuCode'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    orderId: { type: 'string', length: 120 },
    lineNo: { type: 'integer' },
    oid: { type: 'string', length: 64, default: '' },
    skuCode: { type: 'string', length: 60, default: '' },
    barcode: { type: 'string', length: 60, default: '' },
    title: { type: 'string', length: 255, default: '' },
    spec: { type: 'string', length: 255, default: '' },
    qty: { type: 'integer', default: 0 },
    priceFen: { type: 'integer', default: 0 },
    amountFen: { type: 'integer', default: 0 },
    isGift: { type: 'boolean', default: false },
  },
});
