import { EntitySchema, OptionalProps } from '@mikro-orm/core';

/** One print run (waybills and/or packing lists for a set of orders) and its PDF; reprints are runs too. */
export class PrintBatch {
  [OptionalProps]?: 'orderIds' | 'pageCount' | 'reprint' | 'createdAt' | 'renderMs' | 'pdf';
  id!: string;
  kinds!: string;
  orderIds: string[] = [];
  pageCount = 0;
  reprint = false;
  createdBy!: string;
  createdAt: Date = new Date();
  renderMs = 0;
  pdf: Buffer | null = null;
}

export const PrintBatchSchema = new EntitySchema<PrintBatch>({
  class: PrintBatch,
  tableName: 'print_batch',
  properties: {
    id: { type: 'string', length: 60, primary: true },
    kinds: { type: 'string', length: 40 },
    orderIds: { type: 'json' },
    pageCount: { type: 'integer', default: 0 },
    reprint: { type: 'boolean', default: false },
    createdBy: { type: 'string', length: 60 },
    createdAt: { type: 'datetime', index: true },
    renderMs: { type: 'integer', default: 0 },
    // "longblob" reads as BLOB affinity in SQLite too, and a 200-label PDF outgrows MySQL's 64 KB blob.
    pdf: { type: 'blob', columnType: 'longblob', nullable: true, lazy: true },
  },
});
