import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import type { StockQuality } from '../../domain/after-sale';

/** Stock of one SKU in one warehouse and quality (良品 good, 次品 defective): on hand and reserved for approved orders. */
export class StockLevel {
  [OptionalProps]?: 'quality' | 'onHand' | 'reserved' | 'updatedAt';
  id!: number;
  skuCode!: string;
  warehouseCode!: string;
  /** Orders reserve and ship good stock only; defective returns wait in their own rows. */
  quality: StockQuality = 'good';
  onHand = 0;
  reserved = 0;
  updatedAt: Date = new Date();
}

export const StockLevelSchema = new EntitySchema<StockLevel>({
  class: StockLevel,
  tableName: 'stock_level',
  uniques: [{ properties: ['skuCode', 'warehouseCode', 'quality'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    skuCode: { type: 'string', length: 60 },
    warehouseCode: { type: 'string', length: 40, index: true },
    quality: { type: 'string', length: 12, default: 'good' },
    onHand: { type: 'integer', default: 0 },
    reserved: { type: 'integer', default: 0 },
    updatedAt: { type: 'datetime' },
  },
});
