import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import type { StockQuality } from '../../domain/after-sale';
import type { TransferCostBasis, TransferSnapshot, TransferStage } from '../../domain/stock-transfer';

/**
 * The read model of one stock transfer (调拨单), written by its workflow's activities (upsert by number + version)
 * except for the creation row the page writes first, so a creation sent twice makes one transfer.
 */
export class StockTransfer {
  [OptionalProps]?: 'stage' | 'version' | 'quality' | 'memo' | 'itemCount' | 'snapshot' | 'createActionId' | 'alert' | 'createdBy' | 'createdAt' | 'updatedAt' | 'outboundAt' | 'inboundAt' | 'doneAt' | 'notePdf' | 'notePages';
  transferNo!: string;
  workflowId!: string;
  stage: TransferStage = 'created';
  version = 0;
  fromWarehouseCode!: string;
  toWarehouseCode!: string;
  quality: StockQuality = 'good';
  costBasis!: TransferCostBasis;
  memo = '';
  itemCount = 0;
  snapshot: TransferSnapshot | null = null;
  createActionId: string | null = null;
  alert = '';
  createdBy = '';
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
  outboundAt: Date | null = null;
  inboundAt: Date | null = null;
  doneAt: Date | null = null;
  /** The outbound note (出库单) as last printed, rendered by the print worker. */
  notePdf: Buffer | null = null;
  notePages = 0;
}

export const StockTransferSchema = new EntitySchema<StockTransfer>({
  class: StockTransfer,
  tableName: 'stock_transfer',
  indexes: [{ properties: ['stage', 'updatedAt'] }, { properties: ['toWarehouseCode', 'stage'] }],
  properties: {
    transferNo: { type: 'string', length: 40, primary: true },
    workflowId: { type: 'string', length: 80, unique: true },
    stage: { type: 'string', length: 24, default: 'created' },
    version: { type: 'integer', default: 0 },
    fromWarehouseCode: { type: 'string', length: 40 },
    toWarehouseCode: { type: 'string', length: 40 },
    quality: { type: 'string', length: 12, default: 'good' },
    costBasis: { type: 'string', length: 16 },
    memo: { type: 'string', length: 255, default: '' },
    itemCount: { type: 'integer', default: 0 },
    snapshot: { type: 'json', nullable: true },
    createActionId: { type: 'string', length: 64, nullable: true, unique: true },
    alert: { type: 'string', length: 255, default: '' },
    createdBy: { type: 'string', length: 60, default: '' },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
    outboundAt: { type: 'datetime', nullable: true },
    inboundAt: { type: 'datetime', nullable: true },
    doneAt: { type: 'datetime', nullable: true },
    notePdf: { type: 'blob', columnType: 'longblob', nullable: true, lazy: true },
    notePages: { type: 'integer', default: 0 },
  },
});
