/**
 * The sandbox shop's listings (在售宝贝) as Taobao keeps them: items (num_iid) with their SKUs (sku_id, outer_id,
 * properties_name, price, quantity), generated once from the shop's SKU catalogue (one item per 商品编码) so the ids
 * are the same for the same catalogue, and extended by /admin/items when a test lists a new item.
 */
import { fenToYuan, yuanToFen } from '../../domain/money';
import type { SandboxCatalogueItem } from './generate-trade';
import type { SandboxItem } from './sandbox-state';

const QUANTITY = 999;

export function propsText(props: string | Readonly<Record<string, string>> | undefined): string {
  if (!props) return '';
  return typeof props === 'string' ? props : Object.entries(props).map(([k, v]) => `${k}:${v}`).join(';');
}

/** One item per outerIid (or title), in catalogue order; ids follow from positions so a catalogue always lists the same. */
export function itemsFromCatalogue(catalogue: readonly SandboxCatalogueItem[], modified: string): SandboxItem[] {
  const groups = new Map<string, SandboxCatalogueItem[]>();
  for (const c of catalogue) {
    const key = c.outerIid ?? c.title;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.entries()].map(([key, entries], i) => {
    const numIid = String(600_000_000_000 + (i + 1) * 1_013);
    const prices = entries.map((e) => e.priceFen);
    const first = entries[0]!;
    const plain = entries.length === 1 && !propsText(first.props);
    return {
      num_iid: numIid,
      title: first.title,
      outer_id: plain ? first.outerSkuId : (first.outerIid ?? key),
      price: fenToYuan(Math.min(...prices)),
      num: QUANTITY * entries.length,
      approve_status: 'onsale' as const,
      modified,
      ...(plain ? {} : {
        skus: {
          sku: entries.map((e, j) => ({
            sku_id: String(4_000_000_000_000 + (i + 1) * 1_000 + j + 1),
            outer_id: e.outerSkuId,
            properties_name: propsText(e.props),
            price: fenToYuan(e.priceFen),
            quantity: QUANTITY,
            modified,
          })),
        },
      }),
    };
  });
}

/** The items' SKUs as the trade generator sells them, with num_iid and sku_id; the shop's own catalogue order is kept. */
export function catalogueOf(items: readonly SandboxItem[]): SandboxCatalogueItem[] {
  return items.filter((item) => item.approve_status === 'onsale').flatMap((item) => {
    if (!item.skus?.sku.length) {
      return [{ outerSkuId: item.outer_id, title: item.title, priceFen: yuanToFen(item.price), numIid: item.num_iid }];
    }
    return item.skus.sku.map((s) => ({
      outerSkuId: s.outer_id,
      outerIid: item.outer_id,
      title: item.title,
      priceFen: yuanToFen(s.price),
      ...(s.properties_name ? { props: s.properties_name } : {}),
      numIid: item.num_iid,
      skuId: s.sku_id,
    }));
  });
}
