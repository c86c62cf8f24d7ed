/** What a packing list (配货单) shows for one order, ready for packing-list.hbs. */
import type { Courier, Order, OrderLine, Shop } from '../../db/entities';
import { fenToYuan } from '../../domain/money';
import type { Actor } from '../../domain/roles';
import { barcodeSvg } from './barcode-svg';
import { formatPrintTime } from './format-print-time';
import type { LabelSize } from './label-size';
import { receiverOf, type Receiver } from './receiver-of';

export interface PackingListLineView {
  skuCode: string;
  barcode: string;
  title: string;
  spec: string;
  qty: number;
  price: string;
  isGift: boolean;
}

/** Block heights in mm, applied by packing-list.hbs as CSS variables so the line capacity below matches the page. */
export interface PackingListLayout {
  compact: boolean;
  paddingMm: number;
  titleMm: number;
  infoMm: number;
  waybillMm: number;
  notesMm: number;
  headMm: number;
  rowMm: number;
  footerMm: number;
}

export interface PackingListPageView {
  layout: PackingListLayout;
  shopName: string;
  orderNo: string;
  buyerNick: string;
  paidAt: string;
  receiver: Receiver;
  courierName: string;
  waybillNo: string;
  barcode: string;
  buyerMessage: string;
  sellerMemo: string;
  hasNotes: boolean;
  lines: PackingListLineView[];
  /** Lines left off because the page is full; the packer is told to look them up. */
  hiddenLines: number;
  totalQty: number;
  goodsYuan: string;
  reprint: boolean;
  printedBy: string;
  printedAt: string;
}

export interface PackingListPageInput {
  order: Order;
  lines: readonly OrderLine[];
  courier: Courier | undefined;
  shop: Shop | undefined;
  size: LabelSize;
  actor: Actor;
  printedAt: Date;
  reprint: boolean;
}

const REGULAR: PackingListLayout = {
  compact: false, paddingMm: 3, titleMm: 12, infoMm: 26, waybillMm: 16, notesMm: 20, headMm: 6, rowMm: 10, footerMm: 13,
};
const COMPACT: PackingListLayout = {
  compact: true, paddingMm: 2, titleMm: 9, infoMm: 20, waybillMm: 13, notesMm: 14, headMm: 5, rowMm: 8, footerMm: 10,
};

/**
 * A packing list is one label-sized page stapled to its waybill, so lines that do not fit are counted, not
 * continued on a second page; messages and memos are printed because the packer acts on them (送赠品, 不要发黄色).
 */
export function packingListPage(input: PackingListPageInput): PackingListPageView {
  const { order, lines, courier, shop, size, actor, printedAt, reprint } = input;
  const layout = size.widthMm < 90 ? COMPACT : REGULAR;
  const hasNotes = !!(order.buyerMessage.trim() || order.sellerMemo.trim());
  const free = size.heightMm - 2 * layout.paddingMm - layout.titleMm - layout.infoMm - layout.waybillMm
    - (hasNotes ? layout.notesMm : 0) - layout.headMm - layout.footerMm;
  const capacity = Math.max(1, Math.floor(free / layout.rowMm));
  // The last row is given to the "more lines" notice when lines overflow.
  const shown = lines.length > capacity ? capacity - 1 : lines.length;
  return {
    layout,
    shopName: shop?.name ?? order.shopCode,
    orderNo: order.platformOrderNo,
    buyerNick: order.buyerNick,
    paidAt: order.paidAt ? formatPrintTime(order.paidAt) : '',
    receiver: receiverOf(order, { maskPhone: true }),
    courierName: courier?.name ?? order.courierCode,
    waybillNo: order.waybillNo,
    barcode: order.waybillNo ? barcodeSvg(order.waybillNo) : '',
    buyerMessage: order.buyerMessage.trim(),
    sellerMemo: order.sellerMemo.trim(),
    hasNotes,
    lines: lines.slice(0, shown).map((l) => ({
      skuCode: l.skuCode,
      barcode: l.barcode,
      title: l.title,
      spec: l.spec,
      qty: l.qty,
      price: fenToYuan(l.priceFen),
      isGift: l.isGift,
    })),
    hiddenLines: lines.length - shown,
    totalQty: lines.reduce((n, l) => n + l.qty, 0),
    goodsYuan: fenToYuan(lines.reduce((n, l) => n + l.priceFen * l.qty, 0)),
    reprint,
    printedBy: actor.displayName || actor.username,
    printedAt: formatPrintTime(printedAt),
  };
}
