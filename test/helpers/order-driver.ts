/**
 * Takes an order where a path needs it, on either stack (dev server or time-skipping): a sandbox trade of the kind
 * wanted, submitted through intake as a pull would, then the reviewer's, printer's and scan desk's steps.
 * Used by the history recorder and the timer suite; it relies only on what the code of 76a73bd already had, so the
 * recorder can run in a worktree of older code.
 */
import { Order, OrderLine } from '../../db/entities';
import type { Db } from '../../db/orm';
import { orderWorkflowId } from '../../domain/order-draft';
import type { Actor } from '../../domain/roles';
import { draftFromTaobaoTrade } from '../../domain/taobao';
import type { OrderIntake } from '../../integrations/order-intake';
import type { SandboxPlatform } from '../../integrations/sandbox/sandbox-platform';
import type { SandboxTrade } from '../../integrations/sandbox/sandbox-state';
import { printedSignal, reviewUpdate, shipUpdate, type DecisionResult, type ReviewDecision } from '../../workflows/messages';
import { actors, eventually, type Stack } from './stack';

export interface DrivenStack {
  shopCode: string;
  taskQueue: string;
  db: Db;
  sandbox: SandboxPlatform;
  intake: OrderIntake;
  client: Pick<Stack['client'], 'workflow'>;
}

/** Nothing for a reviewer to look at: no message or memo, a region ZTO serves, under 999 yuan (so ZTO's e-waybill). */
export function isPlainTrade(t: SandboxTrade): boolean {
  return t.status === 'WAIT_SELLER_SEND_GOODS' && !t.buyer_message && !t.seller_memo
    && !/新疆|西藏|内蒙古|湖南/.test(t.receiver_state) && Number(t.payment) < 999;
}

export function orderDriver(stack: DrivenStack) {
  const driver = {
    /** A trade placed on the sandbox a minute ago that matches; the sandbox is seeded, so the same one every run. */
    placeTrade(match: (t: SandboxTrade) => boolean = isPlainTrade): SandboxTrade {
      for (let i = 0; i < 50; i++) {
        const found = stack.sandbox.generateTrades(20, { from: new Date(Date.now() - 120_000), to: new Date(Date.now() - 61_000) }).find(match);
        if (found) return found;
      }
      throw new Error('the sandbox placed no trade of the kind this path needs in 1,000 tries');
    },

    /** Hands the trade to intake (verbatim platform order + signal-with-start), as a pull does, and waits for auto-review. */
    async submit(trade: SandboxTrade, statuses = ['review', 'out_of_area']): Promise<string> {
      await stack.intake.ingest([{ draft: draftFromTaobaoTrade(stack.shopCode, trade, 'pull'), raw: JSON.stringify(trade) }]);
      const id = orderWorkflowId(stack.shopCode, trade.tid);
      await driver.waitForRow(id, (o) => statuses.includes(o.status), statuses.join('/'));
      return id;
    },

    waitForRow(id: string, ok: (o: Order) => boolean, what: string, timeoutMs = 60_000): Promise<Order> {
      return eventually(async () => {
        const o = await stack.db.em().findOne(Order, { id });
        return o && ok(o) ? o : null;
      }, `${id}: ${what}`, timeoutMs);
    },

    async approve(id: string, extra: Partial<ReviewDecision> = {}): Promise<DecisionResult> {
      const row = await driver.waitForRow(id, (o) => ['review', 'out_of_area'].includes(o.status), 'review');
      return stack.client.workflow.getHandle(id).executeUpdate(reviewUpdate, {
        args: [{ actor: actors.reviewer, expectedVersion: row.version, decision: 'approve', ...extra }],
        updateId: `approve-${id}-${row.version}`,
      });
    },

    /** Marks the order printed the way a print batch does, without rendering a PDF. */
    async markPrinted(id: string): Promise<void> {
      await stack.client.workflow.getHandle(id).signal(printedSignal, { batchId: `R-${Date.now()}`, actor: actors.warehouse, at: new Date().toISOString(), kinds: 'waybill' });
      await driver.waitForRow(id, (o) => o.status === 'printed', 'printed');
    },

    /** Every item's barcode as often as ordered, in line order: what the scan desk scans for the parcel. */
    async barcodes(id: string): Promise<string[]> {
      const lines = await stack.db.em().find(OrderLine, { orderId: id }, { orderBy: { lineNo: 'asc' } });
      return lines.flatMap((l) => Array.from({ length: l.qty }, () => l.barcode));
    },

    /**
     * Scans every item and ships, as the scan desk does: by the warehouse unless `actor` says otherwise, with a
     * supervisor's `override` when given; `attempt` names a try after an earlier one (its own update id).
     */
    async ship(id: string, extra: { actor?: Actor; override?: { reason: string }; attempt?: string } = {}): Promise<DecisionResult> {
      return stack.client.workflow.getHandle(id).executeUpdate(shipUpdate, {
        args: [{
          actor: extra.actor ?? actors.warehouse, scannedBarcodes: await driver.barcodes(id), weightGrams: 900, postageFen: 700,
          ...(extra.override ? { override: extra.override } : {}),
        }],
        updateId: extra.attempt ? `ship-${id}-${extra.attempt}` : `ship-${id}`,
      });
    },

    /** Approved by EMS (a number from the pool, no courier call) and printed: the parcel waits at the scan desk. */
    async printedOrder(): Promise<{ id: string; trade: SandboxTrade }> {
      const trade = driver.placeTrade();
      const id = await driver.submit(trade, ['review']);
      await driver.approve(id, { courierCode: 'EMS' });
      await driver.markPrinted(id);
      return { id, trade };
    },

    /** A printed order shipped: the order is in the sync loop. */
    async shippedOrder(): Promise<{ id: string; trade: SandboxTrade }> {
      const { id, trade } = await driver.printedOrder();
      const shipped = await driver.ship(id);
      if (!shipped.ok) throw new Error(`${id} did not ship: ${shipped.message}`);
      return { id, trade };
    },
  };
  return driver;
}
