import { EntitySchema, OptionalProps } from '@mikro-orm/core';

/** Stock of one SKU in one warehouse: on hand and reserved for approved orders. */
export class StockLevel {
  [OptionalProps]?: 'onHand' | 'reserved' | 'updatedAt';
  id!: number;
  skuCode!: string;
  warehouseCode!: string;
  onHand = 0;
  reserved = 0;
  updatedAt: Date = new Date();
}

export const StockLevelSchema = new EntitySchema<StockLevel>({
  class: StockLevel,
  tableName: 'stock_level',
  uniques: [{ properties: ['skuCode', 'warehouseCode'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    skuCode: { type: 'string', length: 60 },
    warehouseCode: { type: 'string', length: 40, index: true },
    onHand: { type: 'integer', default: 0 },
    reserved: { type: 'integer', default: 0 },
    updatedAt: { type: 'datetime' },
  },
});
