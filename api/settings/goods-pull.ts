/**
 * 获取平台商品 (page and API): reads a shop's listings on sale and each item's SKUs from the platform, records them
 * as the shop's platform SKUs (mappings already made are kept), and answers in words when the platform refuses.
 */
import { shopApi } from '../../activities/shop-api';
import { Shop } from '../../db/entities';
import type { Db } from '../../db/orm';
import { recordPulledSkus } from '../../db/settings/sku-mappings';
import { TopError } from '../../integrations/taobao/top-error';

export type GoodsPullOutcome = { ok: true; seen: number; added: number; message: string } | { ok: false; message: string; notFound?: boolean };

export async function pullShopGoods(db: Db, shopCode: string): Promise<GoodsPullOutcome> {
  const shop = await db.em().fork().findOne(Shop, { code: shopCode });
  if (!shop) return { ok: false, notFound: true, message: `店铺 ${shopCode} 不存在` };
  let pulled;
  try {
    pulled = await shopApi(shop).pullPlatformSkus();
  } catch (err) {
    if (err instanceof TopError) return { ok: false, message: `平台没有返回商品：${err.message}` };
    // shopApi refuses a shop without platform access (仅 CSV 导入) with its own sentence.
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  const { added, seen } = await recordPulledSkus(db.em().fork(), shopCode, pulled);
  return { ok: true, seen, added, message: `已从 ${shop.name} 获取 ${seen} 个平台 SKU，其中 ${added} 个是新的` };
}
