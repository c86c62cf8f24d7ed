import { EntitySchema, OptionalProps } from '@mikro-orm/core';

/** 原始单: the order exactly as the platform (or import file) sent it; never edited by review. */
export class PlatformOrder {
  [OptionalProps]?: 'source' | 'submitted' | 'receivedAt' | 'updatedAt';
  id!: number;
  shopCode!: string;
  platformOrderNo!: string;
  platformStatus!: string;
  modifiedAt!: Date;
  /** The platform's JSON, byte for byte as received. */
  raw!: string;
  source = 'pull';
  /** Whether an order workflow was started for it (only orders awaiting shipment are submitted). */
  submitted = false;
  receivedAt: Date = new Date();
  updatedAt: Date = new Date();
}

export const PlatformOrderSchema = new EntitySchema<PlatformOrder>({
  class: PlatformOrder,
  tableName: 'platform_order',
  uniques: [{ properties: ['shopCode', 'platformOrderNo'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    shopCode: { type: 'string', length: 40 },
    platformOrderNo: { type: 'string', length: 64 },
    platformStatus: { type: 'string', length: 40 },
    modifiedAt: { type: 'datetime' },
    raw: { type: 'text', columnType: 'mediumtext' },
    source: { type: 'string', length: 10, default: 'pull' },
    submitted: { type: 'boolean', default: false },
    receivedAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
  },
});
