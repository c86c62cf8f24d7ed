/**
 * The seller's goods on Taobao: taobao.items.onsale.get pages the listings on sale (no SKUs in that list), then
 * taobao.item.seller.get reads each item with its SKUs (sku_id, outer_id, properties_name, price, quantity), which is
 * what 货品对应 maps to Guanjia's SKUs.
 */
import { yuanToFen } from '../../domain/money';
import type { PlatformSku } from '../../domain/sku-mapping';
import type { TopClient } from './top-client';

export interface TaobaoItemSku {
  sku_id: string;
  outer_id?: string;
  /** "1627207:28341:颜色分类:黑色;20509:28315:尺码:M" from the real gateway; the sandbox leaves out the ids. */
  properties_name?: string;
  price?: string;
  quantity?: number;
}

export interface TaobaoItem {
  num_iid: string;
  title: string;
  outer_id?: string;
  price?: string;
  num?: number;
  skus?: { sku?: TaobaoItemSku[] };
}


export const ONSALE_FIELDS = 'num_iid,title,outer_id,price,num,modified';
export const ITEM_FIELDS = 'num_iid,title,outer_id,price,num,skus';
const PAGE_SIZE = 200;

/** "1627207:28341:颜色分类:黑色;20509:28315:尺码:M" → "颜色分类:黑色;尺码:M". */
export function specOf(propertiesName: string | undefined): string {
  return (propertiesName ?? '')
    .split(';')
    .map((p) => p.replace(/^\d+:\d+:/, '').trim())
    .filter(Boolean)
    .join(';');
}

function money(text: string | undefined): number {
  try {
    return text ? yuanToFen(text) : 0;
  } catch {
    return 0;
  }
}

/** An item's SKUs as rows, ids as digits whatever JSON type the gateway used. */
export function platformSkusOf(item: TaobaoItem): PlatformSku[] {
  const numIid = String(item.num_iid);
  const skus = item.skus?.sku ?? [];
  if (!skus.length) {
    return [{ numIid, skuId: '', outerId: (item.outer_id ?? '').trim(), title: item.title, spec: '', priceFen: money(item.price), quantity: Number(item.num ?? 0) }];
  }
  return skus.map((s) => ({
    numIid,
    skuId: String(s.sku_id),
    // An order line of a SKU without its own outer id carries the item's (outer_iid), so that is its outer id too.
    outerId: (s.outer_id || item.outer_id || '').trim(),
    title: item.title,
    spec: specOf(s.properties_name),
    priceFen: money(s.price ?? item.price),
    quantity: Number(s.quantity ?? 0),
  }));
}

export function createItemCalls(client: TopClient) {
  async function getSellerItem(numIid: string): Promise<TaobaoItem> {
    const res = await client.call<{ item?: TaobaoItem }>('taobao.item.seller.get', { num_iid: numIid, fields: ITEM_FIELDS });
    if (!res.item) throw new Error(`商品 ${numIid} 不存在`);
    return { ...res.item, num_iid: String(res.item.num_iid) };
  }

  /** The listings on sale, a page at a time (without SKUs). */
  async function* onsaleItems(pageSize = PAGE_SIZE): AsyncGenerator<TaobaoItem[]> {
    for (let pageNo = 1; ; pageNo++) {
      const res = await client.call<{ total_results?: number; items?: { item?: TaobaoItem[] } }>('taobao.items.onsale.get', {
        fields: ONSALE_FIELDS, page_no: pageNo, page_size: pageSize,
      });
      const items = (res.items?.item ?? []).map((i) => ({ ...i, num_iid: String(i.num_iid) }));
      if (items.length) yield items;
      if (!items.length || pageNo * pageSize >= Number(res.total_results ?? 0)) return;
    }
  }

  return {
    onsaleItems,
    getSellerItem,

    /** Every SKU of every listing on sale: the list, then each item with its SKUs. */
    async pullPlatformSkus(): Promise<PlatformSku[]> {
      const out: PlatformSku[] = [];
      for await (const page of onsaleItems()) {
        for (const item of page) out.push(...platformSkusOf(await getSellerItem(item.num_iid)));
      }
      return out;
    },
  };
}
