/**
 * Submits an imported order file (导入订单) in the background: the upload was parsed and its orders staged by the
 * web request, and this workflow hands them to order intake a chunk at a time, so a 20 MB file never holds a web
 * request and its progress shows on the import page. Intake starts nothing twice, so a file imported again is safe.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ImportCounts } from '../activities/import';

export interface ImportOrdersInput {
  importId: number;
  /** Orders staged for the import; chunks cover 0 … orderCount-1. */
  orderCount: number;
}

export type ImportOrdersResult = ImportCounts;

/** Chunk size: one activity's work of a few seconds, and a 40,000-order file stays well inside one history. */
export const IMPORT_CHUNK = 200;

// Database and Temporal writes retry until they succeed, like the order's read-model writes; the batch shows the
// last error meanwhile. The heartbeat lets a retry after a worker crash resume within the chunk.
const imports = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function importOrdersWorkflow({ importId, orderCount }: ImportOrdersInput): Promise<ImportOrdersResult> {
  for (let from = 0; from < orderCount; from += IMPORT_CHUNK) {
    await imports.submitImportChunk({ importId, from, size: IMPORT_CHUNK });
  }
  return imports.finishImport({ importId });
}
