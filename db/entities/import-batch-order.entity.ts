import { EntitySchema } from '@mikro-orm/core';
import type { OrderDraft } from '../../domain/order-draft';

/**
 * One order read whole from an import's files, waiting for the import workflow to submit it: the upload is
 * parsed once in the web request, and the workflow reads these rows a chunk at a time (payloads stay small).
 * Deleted when the import is done; the verbatim text then lives on as the platform order.
 */
export class ImportBatchOrder {
  importId!: number;
  /** 0-based position in the import, in file order; chunks are ranges of it. */
  seq!: number;
  draft!: OrderDraft;
  raw!: string;
}

export const ImportBatchOrderSchema = new EntitySchema<ImportBatchOrder>({
  class: ImportBatchOrder,
  tableName: 'import_batch_order',
  properties: {
    importId: { type: 'integer', primary: true },
    seq: { type: 'integer', primary: true },
    draft: { type: 'json' },
    raw: { type: 'text', columnType: 'mediumtext' },
  },
});
