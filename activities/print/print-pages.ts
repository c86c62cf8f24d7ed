/** The pages of one print batch, in the order they come off the printer. */
import type { Courier, Order, OrderLine, Shop, Warehouse } from '../../db/entities';
import type { Actor } from '../../domain/roles';
import type { PrintKind } from '../../domain/print-run';
import { DEFAULT_WAYBILL_TEMPLATE, labelSizeOf } from './label-size';
import { packingListPage } from './packing-list-page';
import { senderWarehouse } from './sender-of';
import type { PrintPage } from './print-page';
import { waybillPage } from './waybill-page';

export interface PrintPagesInput {
  /** Already in batch order. */
  orders: readonly Order[];
  lines: readonly OrderLine[];
  couriers: readonly Courier[];
  shops: readonly Shop[];
  /** Ship-from warehouses and the default one: the label's sender is the order's warehouse address, else the default's. */
  warehouses?: readonly Warehouse[];
  kinds: readonly PrintKind[];
  reprintOrderIds: readonly string[];
  actor: Actor;
  printedAt: Date;
}

/**
 * Per order the waybill then its packing list, so the packer tears off a pair that belongs together; each
 * page takes the size of the order's courier label, so one batch may mix 76×130 and 100×180 stock.
 */
export function printPages(input: PrintPagesInput): PrintPage[] {
  const couriers = new Map(input.couriers.map((c) => [c.code, c]));
  const shops = new Map(input.shops.map((s) => [s.code, s]));
  const warehouses = new Map((input.warehouses ?? []).map((w) => [w.code, w]));
  const defaultWarehouse = input.warehouses?.find((w) => w.isDefault);
  const linesOf = new Map<string, OrderLine[]>();
  for (const l of [...input.lines].sort((a, b) => a.lineNo - b.lineNo)) {
    const list = linesOf.get(l.orderId);
    if (list) list.push(l);
    else linesOf.set(l.orderId, [l]);
  }
  const reprints = new Set(input.reprintOrderIds);
  return input.orders.flatMap((order) => {
    const courier = couriers.get(order.courierCode);
    const shop = shops.get(order.shopCode);
    const lines = linesOf.get(order.id) ?? [];
    const template = courier?.template || DEFAULT_WAYBILL_TEMPLATE;
    const size = labelSizeOf(template);
    const pages: PrintPage[] = [];
    if (input.kinds.includes('waybill')) {
      pages.push({ template, size, view: waybillPage({ order, lines, courier, shop, warehouse: senderWarehouse(warehouses.get(order.warehouseCode), defaultWarehouse) ?? undefined, printedAt: input.printedAt }) });
    }
    if (input.kinds.includes('packing_list')) {
      const view = packingListPage({
        order, lines, courier, shop, size, actor: input.actor, printedAt: input.printedAt, reprint: reprints.has(order.id),
      });
      pages.push({ template: 'packing-list', size, view });
    }
    return pages;
  });
}
