/** The steps staff take on an order, driven straight at its workflow, for suites that test the order path. */
import { Order } from '../../db/entities';
import { orderWorkflowId } from '../../domain/order-draft';
import { isoToTaobaoTime } from '../../domain/taobao';
import type { SandboxTrade } from '../../integrations/sandbox/sandbox-state';
import type { DecisionResult, ReviewDecision, ShopPullResult } from '../../workflows/messages';
import { orderDriver } from './order-driver';
import type { Stack } from './stack';

/** The order driver's steps, plus what suites that pull through the shop's own pull need. */
export function orderSteps(stack: Stack) {
  const driver = orderDriver(stack);
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
      return driver.waitForRow(id, (o) => statuses.includes(o.status), `to reach ${statuses.join('/')}`, timeoutMs);
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
    approve: (id: string, extra: Partial<ReviewDecision> = {}): Promise<DecisionResult> => driver.approve(id, extra),
    /** Marks the order printed the way a print batch does, without rendering a PDF. */
    async markPrinted(id: string): Promise<Order> {
      await driver.markPrinted(id);
      return steps.waitForStatus(id, ['printed']);
    },
    barcodes: (id: string): Promise<string[]> => driver.barcodes(id),
    /** Makes a change on the platform visible to the next pull (the pull reads up to five seconds ago). */
    touch(trade: SandboxTrade): void {
      trade.modified = isoToTaobaoTime(new Date(Date.now() - 10_000));
    },
  };
  return steps;
}
