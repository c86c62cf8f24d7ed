import { EntitySchema, OptionalProps } from '@mikro-orm/core';

/** A product (货品) as the seller lists it; its sellable variants are SKUs. */
export class Product {
  [OptionalProps]?: 'active';
  id!: number;
  code!: string;
  name!: string;
  active = true;
}

export const ProductSchema = new EntitySchema<Product>({
  class: Product,
  tableName: 'product',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    code: { type: 'string', length: 60, unique: true },
    name: { type: 'string', length: 200 },
    active: { type: 'boolean', default: true },
  },
});
