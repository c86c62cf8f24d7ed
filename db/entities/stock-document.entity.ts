import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import type { StockQuality } from '../../domain/after-sale';
import type { StockDocDirection, StockDocSnapshot, StockDocStage } from '../../domain/stock-document';

/** The read model of one 入库单 or 出库单, written by its workflow (upsert by number + version) after the page's creation row. */
export class StockDocument {
  [OptionalProps]?: 'stage' | 'version' | 'quality' | 'memo' | 'itemCount' | 'snapshot' | 'createActionId' | 'createdBy' | 'createdAt' | 'updatedAt' | 'approvedAt';
  docNo!: string;
  workflowId!: string;
  direction!: StockDocDirection;
  reason!: string;
  stage: StockDocStage = 'draft';
  version = 0;
  warehouseCode!: string;
  quality: StockQuality = 'good';
  memo = '';
  itemCount = 0;
  snapshot: StockDocSnapshot | null = null;
  createActionId: string | null = null;
  createdBy = '';
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
  approvedAt: Date | null = null;
}

export const StockDocumentSchema = new EntitySchema<StockDocument>({
  class: StockDocument,
  tableName: 'stock_document',
  indexes: [{ properties: ['stage', 'createdAt'] }],
  properties: {
    docNo: { type: 'string', length: 40, primary: true },
    workflowId: { type: 'string', length: 80, unique: true },
    direction: { type: 'string', length: 4 },
    reason: { type: 'string', length: 20 },
    stage: { type: 'string', length: 16, default: 'draft' },
    version: { type: 'integer', default: 0 },
    warehouseCode: { type: 'string', length: 40 },
    quality: { type: 'string', length: 12, default: 'good' },
    memo: { type: 'string', length: 255, default: '' },
    itemCount: { type: 'integer', default: 0 },
    snapshot: { type: 'json', nullable: true },
    createActionId: { type: 'string', length: 64, nullable: true, unique: true },
    createdBy: { type: 'string', length: 60, default: '' },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
    approvedAt: { type: 'datetime', nullable: true },
  },
});
