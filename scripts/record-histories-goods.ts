/**
 * The goods path for `npm run histories:record` (see record-histories.ts): an order for an item the seller listed on
 * the platform but never set up waits with 货品未匹配, a reviewer maps the platform SKU, and the order re-checks its
 * lines (skuMapped) and is approved as the SKU it was mapped to; and a shop's goods pulled in the background in batches
 * (goodsPullWorkflow), and a pull the platform refuses.
 */
import type { Client } from '@temporalio/client';
import { mapPlatformSku } from '../api/settings/goods-mapping';
import { startGoodsPull } from '../api/settings/goods-pull';
import { goodsPullWorkflowId, type GoodsPullProgress } from '../workflows/goods-pull-messages';
import type { Db } from '../db/orm';
import type { SandboxTrade } from '../integrations/sandbox/sandbox-state';
import { isPlainTrade, orderDriver, type DrivenStack } from '../test/helpers/order-driver';
import { actors } from '../test/helpers/stack';

export interface GoodsScenario {
  name: string;
  run(stack: DrivenStack & { db: Db; client: Client; taskQueue: string }): Promise<Array<{ workflowType: 'orderWorkflow' | 'goodsPullWorkflow'; path: string; workflowId: string }>>;
}

function expectThat(ok: boolean, what: string): void {
  if (!ok) throw new Error(`the path did not go as planned: ${what}`);
}

export const GOODS_SCENARIOS: GoodsScenario[] = [
  {
    name: 'waits-for-mapping-then-mapped',
    async run(stack) {
      const drive = orderDriver(stack);
      const item = stack.sandbox.listItem({ title: '纯棉圆领短袖T恤 新色', outerId: 'TX-REC', priceFen: 6900, skus: [{ outerId: 'TXR-L-BLU', props: '尺码:L;颜色:蓝' }] });
      const sku = item.skus!.sku[0]!;
      // A plain trade (no message, memo or far region) selling only the new item, its lines carrying num_iid and sku_id.
      let chosen: SandboxTrade | undefined;
      for (let i = 0; i < 200 && !chosen; i++) {
        const [t] = stack.sandbox.generateTrades(1, { from: new Date(Date.now() - 90_000), to: new Date(Date.now() - 61_000), outerSkuIds: ['TXR-L-BLU'] });
        if (t && isPlainTrade(t)) chosen = t;
      }
      if (!chosen) throw new Error('the path did not go as planned: no plain trade for the new item');
      const id = await drive.submit(chosen, ['review']);
      await drive.waitForRow(id, (o) => o.reviewReasons.includes('货品未匹配'), '货品未匹配');
      const mapped = await mapPlatformSku(stack.db, stack.client, actors.reviewer, {
        shopCode: stack.shopCode, numIid: item.num_iid, skuId: sku.sku_id, outerId: sku.outer_id, skuCode: 'TX-03',
      });
      expectThat(mapped.ok && mapped.rechecked.includes(id), `mapped and re-checked: ${mapped.message}`);
      await drive.waitForRow(id, (o) => !o.reviewReasons.includes('货品未匹配') && o.mainSku === 'TX-03', 'mapped to TX-03');
      const approved = await drive.approve(id);
      expectThat(approved.ok, `approved: ${approved.message}`);
      return [{ workflowType: 'orderWorkflow', path: 'waits-for-mapping-then-mapped', workflowId: id }];
    },
  },
  {
    name: 'goods-pulled-in-batches',
    async run(stack) {
      for (let i = 0; i < 7; i++) stack.sandbox.listItem({ title: `录制商品 ${i}`, outerId: `REC-${i}`, priceFen: 1000, skus: [{ outerId: `REC-${i}-A`, props: '颜色:红' }] });
      // Batches of 10 so the recorded path holds several batch activities (the page's default is 50).
      const workflowId = goodsPullWorkflowId(stack.shopCode);
      const handle = await stack.client.workflow.start('goodsPullWorkflow', { taskQueue: stack.taskQueue, workflowId, args: [{ shopCode: stack.shopCode, batchSize: 10 }] });
      const done = (await handle.result()) as GoodsPullProgress;
      expectThat(done.stage === 'done' && done.itemsDone === done.items && done.items > 10 && done.added > 0, `pulled in batches: ${JSON.stringify(done)}`);
      return [{ workflowType: 'goodsPullWorkflow', path: 'goods-pulled-in-batches', workflowId }];
    },
  },
  {
    name: 'goods-pull-refused',
    async run(stack) {
      // The platform refuses the listing call (over the app's call limit): the pull ends saying so, not failing.
      stack.sandbox.setFaults({ rateLimit: true, methods: ['taobao.items.onsale.get'] });
      const started = await startGoodsPull(stack.db, stack.client, stack.taskQueue, stack.shopCode);
      expectThat(started.ok, 'started');
      const workflowId = goodsPullWorkflowId(stack.shopCode);
      const done = (await stack.client.workflow.getHandle(workflowId).result()) as GoodsPullProgress;
      expectThat(done.stage === 'failed' && done.error.includes('平台没有返回商品'), `refused in words: ${JSON.stringify(done)}`);
      return [{ workflowType: 'goodsPullWorkflow', path: 'goods-pull-refused', workflowId }];
    },
  },
];
