/**
 * The sandbox's item reads: taobao.items.onsale.get (the seller's listings on sale, paged, without SKUs, as the real
 * gateway answers) and taobao.item.seller.get (one item with its SKUs), each returning only the fields asked for.
 */
import { topFailure } from './top-failure';
import type { SandboxStore } from './sandbox-store';
import type { TopMethodHandler } from './top-gateway';
import { pickFields } from './trade-methods';

const MAX_PAGE_SIZE = 200;
const DEFAULT_PAGE_SIZE = 40;

export function createItemMethods(store: SandboxStore): Record<string, TopMethodHandler> {
  return {
    'taobao.items.onsale.get': (p) => {
      const fields = p.required('fields');
      const q = p.string('q');
      const pageNo = p.int('page_no', { min: 1, fallback: 1 });
      const pageSize = p.int('page_size', { min: 1, max: MAX_PAGE_SIZE, fallback: DEFAULT_PAGE_SIZE });
      const onsale = store.state.items.filter((i) => i.approve_status === 'onsale' && (!q || i.title.includes(q)));
      // The list never carries SKUs: taobao.item.seller.get is how a seller reads them.
      const wanted = fields.split(',').map((f) => f.trim()).filter((f) => f && f !== 'skus').join(',');
      const slice = onsale.slice((pageNo - 1) * pageSize, pageNo * pageSize).map((i) => pickFields(i, wanted));
      return { total_results: onsale.length, ...(slice.length ? { items: { item: slice } } : {}) };
    },

    'taobao.item.seller.get': (p) => {
      const numIid = p.required('num_iid');
      if (!/^\d+$/.test(numIid)) throw topFailure.invalid('num_iid', 'num_iid 应为数字');
      const fields = p.required('fields');
      const item = store.state.items.find((i) => i.num_iid === numIid);
      if (!item) throw topFailure.remote('isv.item-not-exist', `商品 ${numIid} 不存在`);
      return { item: pickFields(item, fields) };
    },
  };
}
