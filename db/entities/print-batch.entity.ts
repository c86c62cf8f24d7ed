import { EntitySchema, OptionalProps } from '@mikro-orm/core';

export type PrintBatchStatus = 'printed' | 'failed';

/**
 * One print run (waybills and/or packing lists for a set of orders) and its PDF; reprints are runs too. A run
 * whose PDF could not be made is kept as `failed` with the reason, so staff see it and print those orders again.
 */
export class PrintBatch {
  [OptionalProps]?: 'orderIds' | 'pageCount' | 'reprint' | 'createdAt' | 'renderMs' | 'pdf' | 'status' | 'error';
  id!: string;
  kinds!: string;
  orderIds: string[] = [];
  pageCount = 0;
  reprint = false;
  status: PrintBatchStatus = 'printed';
  /** Why the run failed (zh-CN, as the renderer or the print check said it); empty for a printed run. */
  error = '';
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
    status: { type: 'string', length: 10, default: 'printed' },
    error: { type: 'string', length: 500, default: '' },
    createdBy: { type: 'string', length: 60 },
    createdAt: { type: 'datetime', index: true },
    renderMs: { type: 'integer', default: 0 },
    // "longblob" reads as BLOB affinity in SQLite too, and a 200-label PDF outgrows MySQL's 64 KB blob.
    pdf: { type: 'blob', columnType: 'longblob', nullable: true, lazy: true },
  },
});
