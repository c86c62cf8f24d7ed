import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import type { StockQuality } from '../../domain/after-sale';
import type { StocktakeSnapshot, StocktakeStage } from '../../domain/stock-document';

/** The read model of one 盘点 count sheet, written by its workflow (upsert by number + version) after the page's creation row. */
export class Stocktake {
  [OptionalProps]?: 'stage' | 'version' | 'quality' | 'snapshot' | 'createActionId' | 'createdBy' | 'createdAt' | 'updatedAt' | 'approvedAt';
  stocktakeNo!: string;
  workflowId!: string;
  stage: StocktakeStage = 'counting';
  version = 0;
  warehouseCode!: string;
  quality: StockQuality = 'good';
  snapshot: StocktakeSnapshot | null = null;
  createActionId: string | null = null;
  createdBy = '';
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
  approvedAt: Date | null = null;
}

export const StocktakeSchema = new EntitySchema<Stocktake>({
  class: Stocktake,
  tableName: 'stocktake',
  indexes: [{ properties: ['stage', 'createdAt'] }],
  properties: {
    stocktakeNo: { type: 'string', length: 40, primary: true },
    workflowId: { type: 'string', length: 80, unique: true },
    stage: { type: 'string', length: 20, default: 'counting' },
    version: { type: 'integer', default: 0 },
    warehouseCode: { type: 'string', length: 40 },
    quality: { type: 'string', length: 12, default: 'good' },
    snapshot: { type: 'json', nullable: true },
    createActionId: { type: 'string', length: 64, nullable: true, unique: true },
    createdBy: { type: 'string', length: 60, default: '' },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
    approvedAt: { type: 'datetime', nullable: true },
  },
});
