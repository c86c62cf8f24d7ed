import { EntitySchema, OptionalProps } from '@mikro-orm/core';

/** One SKU of a transfer: what was sent and what the destination counted; the in-transit figures are summed from these. */
export class StockTransferLine {
  [OptionalProps]?: 'costFen' | 'receivedQty';
  id!: number;
  transferNo!: string;
  skuCode!: string;
  qty!: number;
  costFen = 0;
  receivedQty: number | null = null;
}

export const StockTransferLineSchema = new EntitySchema<StockTransferLine>({
  class: StockTransferLine,
  tableName: 'stock_transfer_line',
  uniques: [{ properties: ['transferNo', 'skuCode'] }],
  indexes: [{ properties: ['skuCode'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    transferNo: { type: 'string', length: 40 },
    skuCode: { type: 'string', length: 60 },
    qty: { type: 'integer' },
    costFen: { type: 'integer', default: 0 },
    receivedQty: { type: 'integer', nullable: true },
  },
});
