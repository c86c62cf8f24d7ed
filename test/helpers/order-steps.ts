/** The steps staff take on an order, driven straight at its workflow, for suites that test the order path. */
import { Order, OrderLine } from '../../db/entities';
import { orderWorkflowId } from '../../domain/order-draft';
import { isoToTaobaoTime } from '../../domain/taobao';
import type { SandboxTrade } from '../../integrations/sandbox/sandbox-state';
import { printedSignal, reviewUpdate, type DecisionResult, type ReviewDecision, type ShopPullResult } from '../../workflows/messages';
import { actors, eventually, type Stack } from './stack';

export function orderSteps(stack: Stack) {
  let pulls = 0;
  const steps = {
    pull(): Promise<ShopPullResult> {
      return stack.client.workflow.execute('shopPullWorkflow', {
        taskQueue: stack.taskQueue,
        workflowId: `shop-pull:${stack.shopCode}:test-${++pulls}-${Date.now()}`,
        args: [{ shopCode: stack.shopCode }],
      });
    },
    orderRow(id: string): Promise<Order | null> {
      return stack.db.em().findOne(Order, { id });
    },
    waitForStatus(id: string, statuses: string[], timeoutMs?: number): Promise<Order> {
      return eventually(async () => {
        const o = await steps.orderRow(id);
        return o && statuses.includes(o.status) ? o : null;
      }, `${id} to reach ${statuses.join('/')}`, timeoutMs);
    },
    /** A trade placed a minute ago on the sandbox (a plain one: served region, no message or memo), pulled in and reviewable. */
    async newOrder(): Promise<{ id: string; trade: SandboxTrade; row: Order }> {
      for (;;) {
        const [trade] = stack.sandbox.generateTrades(1, { from: new Date(Date.now() - 90_000), to: new Date(Date.now() - 61_000) });
        if (!trade || trade.status !== 'WAIT_SELLER_SEND_GOODS' || /新疆|西藏|内蒙古/.test(trade.receiver_state)) continue;
        await steps.pull();
        const id = orderWorkflowId(stack.shopCode, trade.tid);
        return { id, trade, row: await steps.waitForStatus(id, ['review']) };
      }
    },
    async approve(id: string, extra: Partial<ReviewDecision> = {}): Promise<DecisionResult> {
      const row = await steps.waitForStatus(id, ['review', 'out_of_area']);
      return stack.client.workflow.getHandle(id).executeUpdate(reviewUpdate, {
        args: [{ actor: actors.reviewer, expectedVersion: row.version, decision: 'approve', ...extra }],
      });
    },
    /** Marks the order printed the way a print batch does, without rendering a PDF. */
    async markPrinted(id: string): Promise<Order> {
      await stack.client.workflow.getHandle(id).signal(printedSignal, { batchId: `T-${Date.now()}`, actor: actors.warehouse, at: new Date().toISOString(), kinds: 'waybill' });
      return steps.waitForStatus(id, ['printed']);
    },
    async barcodes(id: string): Promise<string[]> {
      const lines = await stack.db.em().find(OrderLine, { orderId: id }, { orderBy: { lineNo: 'asc' } });
      return lines.flatMap((l) => Array.from({ length: l.qty }, () => l.barcode));
    },
    /** Makes a change on the platform visible to the next pull (the pull reads up to five seconds ago). */
    touch(trade: SandboxTrade): void {
      trade.modified = isoToTaobaoTime(new Date(Date.now() - 10_000));
    },
  };
  return steps;
}
