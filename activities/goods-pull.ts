/**
 * 获取平台商品 in steps the goods-pull workflow can retry and report: the shop's listings on sale, then their SKUs a
 * batch of items at a time (each item one platform call, heartbeated), recorded as the shop's platform SKUs with the
 * mappings already made kept. A platform refusal is final (retrying it asks the same question again).
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { Shop } from '../db/entities';
import type { Db } from '../db/orm';
import { recordPulledSkus } from '../db/settings/sku-mappings';
import { platformSkusOf } from '../integrations/taobao/taobao-items';
import { TopError } from '../integrations/taobao/top-error';
import { shopApi } from './shop-api';

export interface GoodsBatchInput {
  shopCode: string;
  numIids: string[];
}

async function apiOf(db: Db, shopCode: string) {
  const shop = await db.em().fork().findOne(Shop, { code: shopCode });
  if (!shop) throw ApplicationFailure.nonRetryable(`店铺 ${shopCode} 不存在`, 'ShopNotFound');
  return shopApi(shop);
}

function refusal(err: unknown): unknown {
  return err instanceof TopError ? ApplicationFailure.nonRetryable(`平台没有返回商品：${err.message}`, 'TopError') : err;
}

export function createGoodsPullActivities({ db }: { db: Db }) {
  return {
    /** The num_iid of every listing on sale, a page of the platform's list at a time. */
    async listOnsaleItems({ shopCode }: { shopCode: string }): Promise<string[]> {
      const api = await apiOf(db, shopCode);
      const out: string[] = [];
      try {
        for await (const page of api.onsaleItems()) {
          out.push(...page.map((i) => String(i.num_iid)));
          Context.current().heartbeat({ items: out.length });
        }
      } catch (err) {
        throw refusal(err);
      }
      return out;
    },

    /** Reads these items with their SKUs and records them; a retried batch records the same rows again, which is no change. */
    async pullGoodsBatch({ shopCode, numIids }: GoodsBatchInput): Promise<{ seen: number; added: number }> {
      const api = await apiOf(db, shopCode);
      const pulled = [];
      try {
        for (const [i, numIid] of numIids.entries()) {
          pulled.push(...platformSkusOf(await api.getSellerItem(numIid)));
          Context.current().heartbeat({ done: i + 1 });
        }
      } catch (err) {
        throw refusal(err);
      }
      return recordPulledSkus(db.em().fork(), shopCode, pulled);
    },
  };
}
