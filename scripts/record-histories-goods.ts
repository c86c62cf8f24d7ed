/**
 * The goods path for `npm run histories:record` (see record-histories.ts): an order for an item the seller listed on
 * the platform but never set up waits with 货品未匹配, a reviewer maps the platform SKU, and the order re-checks its
 * lines (skuMapped) and is approved as the SKU it was mapped to.
 */
import type { Client } from '@temporalio/client';
import { mapPlatformSku } from '../api/settings/goods-mapping';
import type { Db } from '../db/orm';
import type { SandboxTrade } from '../integrations/sandbox/sandbox-state';
import { isPlainTrade, orderDriver, type DrivenStack } from '../test/helpers/order-driver';
import { actors } from '../test/helpers/stack';

export interface GoodsScenario {
  name: string;
  run(stack: DrivenStack & { db: Db; client: Client; taskQueue: string }): Promise<Array<{ workflowType: 'orderWorkflow'; path: string; workflowId: string }>>;
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
];
