import { EntitySchema, OptionalProps } from '@mikro-orm/core';

/** One CSV import: what was read, what went in, and each bad row with its reason. */
export class ImportBatch {
  [OptionalProps]?: 'createdAt' | 'rowCount' | 'acceptedCount' | 'duplicateCount' | 'signalledCount' | 'skippedCount' | 'errorCount';
  id!: number;
  shopCode!: string;
  fileName!: string;
  /** SHA-256 of the uploaded files, to tell the user the same file was imported before. */
  fileHash!: string;
  createdBy!: string;
  createdAt: Date = new Date();
  rowCount = 0;
  acceptedCount = 0;
  duplicateCount = 0;
  signalledCount = 0;
  skippedCount = 0;
  errorCount = 0;
  errors: Array<{ file: string; row: number; orderNo?: string; reason: string }> = [];
}

export const ImportBatchSchema = new EntitySchema<ImportBatch>({
  class: ImportBatch,
  tableName: 'import_batch',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    shopCode: { type: 'string', length: 40 },
    fileName: { type: 'string', length: 255 },
    fileHash: { type: 'string', length: 64, index: true },
    createdBy: { type: 'string', length: 60 },
    createdAt: { type: 'datetime' },
    rowCount: { type: 'integer', default: 0 },
    acceptedCount: { type: 'integer', default: 0 },
    duplicateCount: { type: 'integer', default: 0 },
    signalledCount: { type: 'integer', default: 0 },
    skippedCount: { type: 'integer', default: 0 },
    errorCount: { type: 'integer', default: 0 },
    errors: { type: 'json' },
  },
});
