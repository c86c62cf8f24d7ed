import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { TEXT_LIMITS } from '../../domain/text-limits';

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
    oid: { type: 'string', length: TEXT_LIMITS.lineOid, default: '' },
    skuCode: { type: 'string', length: TEXT_LIMITS.lineSkuCode, default: '' },
    barcode: { type: 'string', length: 60, default: '' },
    title: { type: 'string', length: TEXT_LIMITS.lineTitle, default: '' },
    spec: { type: 'string', length: TEXT_LIMITS.lineSpec, default: '' },
    qty: { type: 'integer', default: 0 },
    priceFen: { type: 'integer', default: 0 },
    amountFen: { type: 'integer', default: 0 },
    isGift: { type: 'boolean', default: false },
  },
});
