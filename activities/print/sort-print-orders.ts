/** The order of a print batch, as chosen on the print page, so labels come off the printer the way packers work. */
import type { Order } from '../../db/entities';
import type { PrintBatchInput } from '../../domain/print-run';

// Pinyin order, as staff read a province list; numeric so SKU A9 comes before A10.
const collator = new Intl.Collator('zh-Hans-CN', { numeric: true });

const paidTime = (o: Order): number => (o.paidAt ?? o.platformCreatedAt ?? o.createdAt).getTime();

/**
 * Sorts by payment time (first paid, first out), by province and city (one courier bag per region) or by
 * main SKU (pick one product at a time); payment time and then order id break ties, so a reprint matches.
 */
export function sortPrintOrders(orders: readonly Order[], sort: PrintBatchInput['sort']): Order[] {
  const byTime = (a: Order, b: Order): number => paidTime(a) - paidTime(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const keys: Record<PrintBatchInput['sort'], (o: Order) => string[]> = {
    time: () => [],
    province: (o) => [o.province, o.city],
    sku: (o) => [o.mainSku],
  };
  const key = keys[sort];
  return [...orders].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i += 1) {
      const c = collator.compare(ka[i] ?? '', kb[i] ?? '');
      if (c) return c;
    }
    return byTime(a, b);
  });
}
