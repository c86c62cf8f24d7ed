import { EntitySchema, OptionalProps } from '@mikro-orm/core';

/** A sellable variant identified by its 商家编码; a bundle (组合装) is made of other SKUs. */
export class Sku {
  [OptionalProps]?: 'spec' | 'weightGrams' | 'costFen' | 'priceFen' | 'isBundle' | 'active';
  id!: number;
  productId!: number;
  /** 商家编码, the key platforms send as outer_sku_id. */
  code!: string;
  barcode!: string;
  name!: string;
  spec = '';
  weightGrams = 0;
  costFen = 0;
  priceFen = 0;
  isBundle = false;
  active = true;
}

export const SkuSchema = new EntitySchema<Sku>({
  class: Sku,
  tableName: 'sku',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    productId: { type: 'integer', index: true },
    code: { type: 'string', length: 60, unique: true },
    barcode: { type: 'string', length: 60, index: true },
    name: { type: 'string', length: 200 },
    spec: { type: 'string', length: 200, default: '' },
    weightGrams: { type: 'integer', default: 0 },
    costFen: { type: 'integer', default: 0 },
    priceFen: { type: 'integer', default: 0 },
    isBundle: { type: 'boolean', default: false },
    active: { type: 'boolean', default: true },
  },
});
