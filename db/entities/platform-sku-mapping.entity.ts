import { EntitySchema, OptionalProps } from '@mikro-orm/core';

/**
 * 货品对应: one platform SKU of a shop (an item's num_iid and sku_id, or only its outer id for lines without them) as
 * the platform shows it, and the SKU or bundle of ours it ships as. A row pulled from the shop but not mapped yet has
 * skuCode ''.
 */
export class PlatformSkuMapping {
  [OptionalProps]?: 'numIid' | 'skuId' | 'outerId' | 'title' | 'spec' | 'priceFen' | 'skuCode' | 'mappedBy' | 'mappedAt' | 'pulledAt' | 'updatedAt';
  id!: number;
  shopCode!: string;
  /** `<num_iid>:<sku_id>` when the platform names the item, else `outer:<outer id>`: what one row stands for, per shop. */
  platformKey!: string;
  numIid = '';
  /** '' for an item without SKUs. */
  skuId = '';
  /** 商家编码 the platform carries (outer_sku_id, or the item's outer_id). */
  outerId = '';
  title = '';
  spec = '';
  priceFen = 0;
  /** Our SKU or bundle code; '' while not mapped. */
  skuCode = '';
  mappedBy = '';
  mappedAt: Date | null = null;
  /** When a goods pull last saw it on the platform; null for a mapping made from an order line. */
  pulledAt: Date | null = null;
  updatedAt: Date = new Date();
}

export const PlatformSkuMappingSchema = new EntitySchema<PlatformSkuMapping>({
  class: PlatformSkuMapping,
  tableName: 'platform_sku_mapping',
  uniques: [{ properties: ['shopCode', 'platformKey'] }],
  indexes: [{ properties: ['shopCode', 'outerId'] }, { properties: ['skuCode'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    shopCode: { type: 'string', length: 40 },
    platformKey: { type: 'string', length: 130 },
    numIid: { type: 'string', length: 30, default: '' },
    skuId: { type: 'string', length: 30, default: '' },
    outerId: { type: 'string', length: 60, default: '' },
    title: { type: 'string', length: 200, default: '' },
    spec: { type: 'string', length: 200, default: '' },
    priceFen: { type: 'integer', default: 0 },
    skuCode: { type: 'string', length: 60, default: '' },
    mappedBy: { type: 'string', length: 60, default: '' },
    mappedAt: { type: 'datetime', nullable: true },
    pulledAt: { type: 'datetime', nullable: true },
    updatedAt: { type: 'datetime' },
  },
});
