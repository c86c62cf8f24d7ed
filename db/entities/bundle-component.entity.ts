import { EntitySchema } from '@mikro-orm/core';

/** One component of a bundle SKU and how many of it one bundle holds. */
export class BundleComponent {
  id!: number;
  bundleSkuCode!: string;
  componentSkuCode!: string;
  qty!: number;
}

export const BundleComponentSchema = new EntitySchema<BundleComponent>({
  class: BundleComponent,
  tableName: 'bundle_component',
  uniques: [{ properties: ['bundleSkuCode', 'componentSkuCode'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    bundleSkuCode: { type: 'string', length: 60 },
    componentSkuCode: { type: 'string', length: 60 },
    qty: { type: 'integer' },
  },
});
