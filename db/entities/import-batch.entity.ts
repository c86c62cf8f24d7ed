import { EntitySchema, OptionalProps } from '@mikro-orm/core';

/** reading: the upload is being parsed; submitting: the import workflow is handing orders to intake; done: all went through. */
export type ImportBatchStatus = 'reading' | 'submitting' | 'done';

/** One CSV import: what was read, how far its submission has come, what went in, and each bad row with its reason. */
export class ImportBatch {
  [OptionalProps]?:
    | 'createdAt' | 'rowCount' | 'acceptedCount' | 'duplicateCount' | 'signalledCount' | 'skippedCount' | 'errorCount'
    | 'errors' | 'status' | 'actionId' | 'itemRowCount' | 'orderCount' | 'submittedCount' | 'lastError' | 'finishedAt';
  id!: number;
  shopCode!: string;
  fileName!: string;
  /** SHA-256 of the uploaded files, to tell the user the same file was imported before. */
  fileHash!: string;
  createdBy!: string;
  /** The upload form's action id (or the API's Idempotency-Key): the same upload sent twice is one import. */
  actionId: string | null = null;
  createdAt: Date = new Date();
  status: ImportBatchStatus = 'done';
  rowCount = 0;
  itemRowCount = 0;
  /** Orders read whole from the files, to be submitted; `submittedCount` of them have been. */
  orderCount = 0;
  submittedCount = 0;
  acceptedCount = 0;
  duplicateCount = 0;
  signalledCount = 0;
  skippedCount = 0;
  errorCount = 0;
  errors: Array<{ file: string; row: number; orderNo?: string; reason: string }> = [];
  /** The last failure while submitting (retried without end): shown on the import page until a later chunk succeeds. */
  lastError = '';
  finishedAt: Date | null = null;
}

export const ImportBatchSchema = new EntitySchema<ImportBatch>({
  class: ImportBatch,
  tableName: 'import_batch',
  uniques: [{ properties: ['createdBy', 'actionId'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    shopCode: { type: 'string', length: 40 },
    fileName: { type: 'string', length: 255 },
    fileHash: { type: 'string', length: 64, index: true },
    createdBy: { type: 'string', length: 60 },
    actionId: { type: 'string', length: 64, nullable: true },
    createdAt: { type: 'datetime' },
    status: { type: 'string', length: 12, default: 'done' },
    rowCount: { type: 'integer', default: 0 },
    itemRowCount: { type: 'integer', default: 0 },
    orderCount: { type: 'integer', default: 0 },
    submittedCount: { type: 'integer', default: 0 },
    acceptedCount: { type: 'integer', default: 0 },
    duplicateCount: { type: 'integer', default: 0 },
    signalledCount: { type: 'integer', default: 0 },
    skippedCount: { type: 'integer', default: 0 },
    errorCount: { type: 'integer', default: 0 },
    errors: { type: 'json' },
    lastError: { type: 'string', length: 500, default: '' },
    finishedAt: { type: 'datetime', nullable: true },
  },
});
