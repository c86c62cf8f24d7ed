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
  /**
   * printed: the PDF is stored and the orders were marked printed; refused: nothing could print (`reason` says why,
   * `refused` per order); failed: the PDF could not be made (`reason`), nothing was marked printed.
   * Batches run before this field existed answered only when printed.
   */
  outcome?: 'printed' | 'refused' | 'failed';
  reason?: string;
  pageCount: number;
  renderMs: number;
  printed: string[];
  reprinted: string[];
  refused: Array<{ orderId: string; reason: string }>;
  /** Reprinted orders whose workflow had finished (done): their reprint was recorded by an activity instead of a signal. */
  closedOrders?: string[];
}
