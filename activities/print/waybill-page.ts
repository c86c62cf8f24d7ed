/** What a courier's e-waybill label shows for one order, ready for the waybill-*.hbs templates. */
import type { Courier, Order, OrderLine, Shop, Warehouse } from '../../db/entities';
import { barcodeSvg } from './barcode-svg';
import { formatPrintTime } from './format-print-time';
import { receiverOf, type Receiver } from './receiver-of';
import { senderOf, type Sender } from './sender-of';
import { sortingCode } from './sorting-code';

export interface WaybillPageView {
  courierName: string;
  waybillNo: string;
  /** Inline Code128 SVG of the waybill number, drawn big on top and small on the stub. */
  barcode: string;
  sortingCode: string;
  sortingDistrict: string;
  receiver: Receiver;
  sender: Sender;
  items: string;
  totalQty: number;
  orderNo: string;
  shopName: string;
  printedAt: string;
}

export interface WaybillPageInput {
  order: Order;
  lines: readonly OrderLine[];
  courier: Courier | undefined;
  shop: Shop | undefined;
  /** The ship-from warehouse: its address is the sender. */
  warehouse?: Warehouse;
  printedAt: Date;
}

const ITEMS_MAX_CHARS = 60;

/** One label per parcel with the courier's sorting code (大头笔), the tracking number as Code128 and who sends what to whom. */
export function waybillPage({ order, lines, courier, shop, warehouse, printedAt }: WaybillPageInput): WaybillPageView {
  const sort = sortingCode(order);
  return {
    courierName: courier?.name ?? order.courierCode,
    waybillNo: order.waybillNo,
    barcode: order.waybillNo ? barcodeSvg(order.waybillNo) : '',
    sortingCode: sort.code,
    sortingDistrict: sort.district,
    receiver: receiverOf(order, { maskPhone: courier?.privacyWaybill === true }),
    sender: senderOf(courier, shop, warehouse),
    items: itemsSummary(lines),
    totalQty: lines.reduce((n, l) => n + l.qty, 0),
    orderNo: order.platformOrderNo,
    shopName: shop?.name ?? order.shopCode,
    printedAt: formatPrintTime(printedAt),
  };
}

/** SKU code × quantity per line, cut short with "…" because the label has room for one or two lines. */
function itemsSummary(lines: readonly OrderLine[]): string {
  const text = lines.map((l) => `${l.skuCode || l.title}×${l.qty}`).join('，');
  return text.length > ITEMS_MAX_CHARS ? `${text.slice(0, ITEMS_MAX_CHARS - 1)}…` : text;
}
