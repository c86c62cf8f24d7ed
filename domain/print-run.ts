/** A print run (单据打印) as it is asked for and what it produced; shared by the web, the print workflow and its activities. */
import type { Actor } from './roles';

export type PrintKind = 'waybill' | 'packing_list';

export interface PrintBatchInput {
  batchId: string;
  orderIds: string[];
  kinds: PrintKind[];
  actor: Actor;
  /** Sort applied to the batch, as chosen on the print page. */
  sort: 'time' | 'province' | 'sku';
}

export interface PrintBatchResult {
  batchId: string;
  pageCount: number;
  renderMs: number;
  printed: string[];
  reprinted: string[];
  refused: Array<{ orderId: string; reason: string }>;
}
