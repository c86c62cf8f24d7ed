import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import type { StockQuality } from '../../domain/after-sale';

/**
 * 'opening' is a warehouse's starting balance, so a level always equals the sum of its ledger. A transfer moves stock
 * out of its source ('transfer_out'), into its destination ('transfer_in'), or back into its source when reversed
 * ('transfer_back'); what left and has not arrived is in transit, counted per transfer (see activities/stock-verify.ts).
 */
export type StockMovementKind = 'opening' | 'reserve' | 'release' | 'deduct' | 'return_in' | 'stock_in' | 'stock_out' | 'adjust' | 'transfer_out' | 'transfer_in' | 'transfer_back';

/** Append-only record of one stock movement; its idempotency key makes a retried activity move stock once. */
export class StockLedgerEntry {
  [OptionalProps]?: 'quality' | 'onHandDelta' | 'reservedDelta' | 'onHandAfter' | 'reservedAfter' | 'refType' | 'refId' | 'actor' | 'note' | 'at';
  id!: number;
  idempotencyKey!: string;
  kind!: StockMovementKind;
  skuCode!: string;
  warehouseCode!: string;
  quality: StockQuality = 'good';
  onHandDelta = 0;
  reservedDelta = 0;
  onHandAfter = 0;
  reservedAfter = 0;
  refType = '';
  refId = '';
  actor = '';
  note = '';
  at: Date = new Date();
}

export const StockLedgerEntrySchema = new EntitySchema<StockLedgerEntry>({
  class: StockLedgerEntry,
  tableName: 'stock_ledger',
  indexes: [{ properties: ['skuCode', 'warehouseCode'] }, { properties: ['refType', 'refId'] }],
  uniques: [{ properties: ['idempotencyKey', 'skuCode', 'warehouseCode', 'quality'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    idempotencyKey: { type: 'string', length: 191 },
    kind: { type: 'string', length: 20 },
    skuCode: { type: 'string', length: 60 },
    warehouseCode: { type: 'string', length: 40 },
    quality: { type: 'string', length: 12, default: 'good' },
    onHandDelta: { type: 'integer', default: 0 },
    reservedDelta: { type: 'integer', default: 0 },
    onHandAfter: { type: 'integer', default: 0 },
    reservedAfter: { type: 'integer', default: 0 },
    refType: { type: 'string', length: 20, default: '' },
    refId: { type: 'string', length: 120, default: '' },
    actor: { type: 'string', length: 60, default: '' },
    note: { type: 'string', length: 255, default: '' },
    at: { type: 'datetime' },
  },
});
