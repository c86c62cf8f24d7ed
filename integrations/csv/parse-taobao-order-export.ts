/**
 * Imports Taobao's seller-centre order report (订单报表) with its item report (宝贝报表) as order drafts.
 *
 * Rules it keeps:
 * - An order is imported whole or not at all: a bad order row, or any bad item row of the order,
 *   rejects the order. Once the order report's header is readable, every data row ends up either as
 *   a draft or with at least one error, so "imported + rejected" adds up to the rows the seller sees;
 *   an unreadable report or one lacking a required column is one error on row 1 (or the broken row).
 * - Row numbers are Excel row numbers: the header is row 1, each CSV record is one row (a buyer message
 *   spanning several lines stays in its row) and blank lines count, as Excel shows them.
 * - Only the item report carries 商家编码, the key to the SKU; without it no order can be matched to
 *   stock, so each order is reported ("缺少宝贝明细文件…") rather than imported without SKUs.
 * - The first row of a 订单编号 wins; a later row with the same number is reported as a duplicate.
 * - An item row whose 订单编号 is not in the order report is reported on the item report.
 * - Where the order report gives 宝贝总数量, the item rows must add up to it (a partial item report
 *   would otherwise import half an order).
 * - Unknown 订单状态 rejects the row; closed and unpaid orders are imported with their status, and
 *   which statuses to submit is the importer's decision.
 * - An address whose province cannot be recognised is rejected; an empty name or phone is not,
 *   because review sends an incomplete address to a person anyway.
 * - The export has no per-line paid amount: what the buyer paid for the goods (实付 − 邮费, or 应付货款
 *   for an unpaid order) is shared over the lines by price × qty, to the fen.
 * - The export has no modification time: modifiedAt is the payment time, else the creation time.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { yuanToFen } from '../../domain/money';
import type { OrderDraft, OrderLineDraft } from '../../domain/order-draft';
import { orderWorkflowId } from '../../domain/order-draft';
import { provinceShortName, splitAddress } from '../../domain/regions';
import { taobaoTimeToIso } from '../../domain/taobao';
import { allocateLineAmounts } from './allocate-line-amounts';
import { cleanExcelText } from './clean-excel-text';
import { type CsvEncoding, type CsvSource, decodeCsvSource } from './decode-csv-source';
import { type CsvRecord, type CsvTable, CsvReadError, findColumns, openCsvTable } from './open-csv-table';
import {
  REQUIRED_ITEM_COLUMNS,
  REQUIRED_ORDER_COLUMNS,
  TAOBAO_ITEM_COLUMNS,
  TAOBAO_ORDER_COLUMNS,
  type TaobaoItemColumn,
  type TaobaoOrderColumn,
  columnLabel,
} from './taobao-export-columns';
import { taobaoStatusFromLabel } from './taobao-status-label';

export interface TaobaoOrderExportInput {
  /** 订单报表 as downloaded (GBK) or re-saved (UTF-8, with or without BOM): an uploaded file or its bytes. */
  orders: CsvSource;
  /** 宝贝报表; without it every order is reported, see the module comment. */
  items?: CsvSource;
  shopCode: string;
  fileName?: string;
}

export interface TaobaoOrderExportTextInput {
  orders: string;
  items?: string;
  shopCode: string;
  fileName?: string;
}

export type OrderExportFile = 'orders' | 'items';

export interface OrderExportError {
  file: OrderExportFile;
  /** Excel row number (header = 1). */
  row: number;
  orderNo?: string;
  /** zh-CN, shown to the seller as is. */
  reason: string;
}

export interface OrderExportStats {
  fileName?: string;
  ordersEncoding?: CsvEncoding;
  itemsEncoding?: CsvEncoding;
  /** Non-blank data rows of the order report. */
  orderRows: number;
  /** Non-blank data rows of the item report. */
  itemRows: number;
  imported: number;
  /** Order rows that did not become a draft. */
  rejected: number;
}

/** An imported order with its rows as read, shaped as order intake takes it. */
export interface ImportedPlatformOrder {
  draft: OrderDraft;
  /** JSON of the order row and its item rows, each cell as the file had it under the file's own headers. */
  raw: string;
}

export interface TaobaoOrderExportResult {
  drafts: OrderDraft[];
  /** The same orders as `drafts`, in the same order, each with its verbatim rows. */
  platformOrders: ImportedPlatformOrder[];
  errors: OrderExportError[];
  stats: OrderExportStats;
}

interface OrderHead {
  row: number;
  raw: Record<string, string>;
  orderNo: string;
  draft: Omit<OrderDraft, 'lines' | 'goodsFen'>;
  goodsPayableFen: number | null;
  totalQty: number | null;
}

interface ItemLine {
  row: number;
  raw: Record<string, string>;
  subOrderNo: string;
  skuCode: string;
  title: string;
  spec: string;
  qty: number;
  priceFen: number;
}

const orderLabel = (key: TaobaoOrderColumn): string => columnLabel(TAOBAO_ORDER_COLUMNS, key);
const itemLabel = (key: TaobaoItemColumn): string => columnLabel(TAOBAO_ITEM_COLUMNS, key);

// Excel turns an 18-digit number it was allowed to read as a number into "1.23457E+17", losing digits.
const SCIENTIFIC = /^\d+(\.\d+)?E\+?\d+$/i;

function readOrderNo(raw: string, emptyReason: string, problems: string[]): string {
  const no = cleanExcelText(raw).replace(/\s/g, '');
  if (!no) problems.push(emptyReason);
  if (!SCIENTIFIC.test(no)) return no;
  problems.push(`订单编号 "${no}" 已被 Excel 改成科学计数法，请使用淘宝导出的原始文件`);
  return '';
}

function readMoney(label: string, raw: string, required: boolean, problems: string[]): number | null {
  const text = cleanExcelText(raw);
  if (!text) {
    if (required) problems.push(`${label}为空`);
    return null;
  }
  let fen: number;
  try {
    fen = yuanToFen(text);
  } catch {
    problems.push(`${label} "${text}" 不是有效金额`);
    return null;
  }
  if (fen < 0) {
    problems.push(`${label} "${text}" 不能是负数`);
    return null;
  }
  return fen;
}

function readTime(label: string, raw: string, required: boolean, problems: string[]): string | null {
  const text = cleanExcelText(raw);
  if (!text) {
    if (required) problems.push(`${label}为空`);
    return null;
  }
  try {
    return taobaoTimeToIso(text);
  } catch {
    problems.push(`${label} "${text}" 不是有效时间`);
    return null;
  }
}

function parseOrderRow(
  rec: CsvRecord<TaobaoOrderColumn>,
  shopCode: string,
): { orderNo: string; head: OrderHead | null; problems: string[] } {
  const c = rec.cells;
  const problems: string[] = [];
  const orderNo = readOrderNo(c.orderNo, '订单编号为空', problems);

  const statusText = cleanExcelText(c.status);
  const status = statusText ? taobaoStatusFromLabel(statusText) : null;
  if (!statusText) problems.push('订单状态为空');
  else if (!status) problems.push(`订单状态 "${statusText}" 无法识别`);

  const paidFen = readMoney(orderLabel('paid'), c.paid, true, problems);
  const postFen = readMoney(orderLabel('postFee'), c.postFee, false, problems) ?? 0;
  const goodsPayableFen = readMoney(orderLabel('goodsPayable'), c.goodsPayable, false, problems);
  const createdAt = readTime(orderLabel('createdAt'), c.createdAt, true, problems);
  const paidAt = readTime(orderLabel('paidAt'), c.paidAt, false, problems);

  // Taobao appends the zip as "(310000)"; "000000" is what it writes when the buyer gave none.
  const address = cleanExcelText(c.address).replace(/（(\d{6})）\s*$/, '($1)');
  const zip = /\((\d{6})\)\s*$/.exec(address)?.[1] ?? '';
  const parts = splitAddress(address);
  if (!address) problems.push('收货地址为空');
  else if (!provinceShortName(parts.province)) problems.push(`收货地址无法识别省份："${address}"`);

  const qtyText = cleanExcelText(c.totalQty);
  // 宝贝总数量 is only a cross-check, so a value that is not a count skips the check instead of the order.
  const totalQty = /^\d+$/.test(qtyText) ? Number(qtyText) : null;

  if (problems.length > 0 || !status || paidFen === null || !createdAt) return { orderNo, head: null, problems };
  return {
    orderNo,
    problems,
    head: {
      row: rec.row,
      raw: rec.raw,
      orderNo,
      goodsPayableFen,
      totalQty,
      draft: {
        orderId: orderWorkflowId(shopCode, orderNo),
        shopCode,
        platform: 'taobao',
        platformOrderNo: orderNo,
        source: 'csv',
        platformStatus: status,
        buyerNick: cleanExcelText(c.buyerNick),
        receiver: {
          name: cleanExcelText(c.receiverName),
          mobile: cleanExcelText(c.mobile).replace(/\s/g, ''),
          phone: cleanExcelText(c.phone).replace(/\s/g, ''),
          province: parts.province,
          city: parts.city,
          district: parts.district,
          detail: parts.detail,
          zip: zip === '000000' ? '' : zip,
        },
        buyerMessage: cleanExcelText(c.buyerMessage),
        sellerMemo: cleanExcelText(c.sellerMemo),
        postFen,
        paidFen,
        createdAt,
        paidAt,
        modifiedAt: paidAt ?? createdAt,
      },
    },
  };
}

function parseItemRow(rec: CsvRecord<TaobaoItemColumn>): { orderNo: string; line: ItemLine | null; problems: string[] } {
  const c = rec.cells;
  const problems: string[] = [];
  const orderNo = readOrderNo(c.orderNo, '宝贝明细中订单编号为空', problems);
  const priceFen = readMoney(itemLabel('price'), c.price, true, problems);
  const qtyText = cleanExcelText(c.qty);
  const qty = /^\d+$/.test(qtyText) ? Number(qtyText) : 0;
  if (!qtyText) problems.push(`${itemLabel('qty')}为空`);
  else if (qty <= 0) problems.push(`${itemLabel('qty')} "${qtyText}" 不是正整数`);
  const skuCode = cleanExcelText(c.skuCode);
  if (!skuCode) problems.push('宝贝明细中商家编码为空');
  if (problems.length > 0 || priceFen === null) return { orderNo, line: null, problems };
  return {
    orderNo,
    problems,
    line: {
      row: rec.row,
      raw: rec.raw,
      subOrderNo: cleanExcelText(c.subOrderNo).replace(/\s/g, ''),
      skuCode,
      title: cleanExcelText(c.title),
      spec: cleanExcelText(c.spec),
      qty,
      priceFen,
    },
  };
}

function buildPlatformOrder(head: OrderHead, items: ItemLine[], fileName: string | undefined): ImportedPlatformOrder {
  const weights = items.map((l) => l.priceFen * l.qty);
  const goodsFen = weights.reduce((s, w) => s + w, 0);
  const { paidFen, postFen } = head.draft;
  const goodsPaidFen = paidFen > 0 ? paidFen - postFen : (head.goodsPayableFen ?? goodsFen);
  const amounts = goodsPaidFen >= 0 ? allocateLineAmounts(weights, goodsPaidFen) : weights;
  const lines: OrderLineDraft[] = items.map((l, i) => ({
    oid: l.subOrderNo || `${head.orderNo}-${i + 1}`,
    skuCode: l.skuCode,
    title: l.title,
    spec: l.spec,
    qty: l.qty,
    priceFen: l.priceFen,
    amountFen: amounts[i] ?? 0,
    isGift: false,
  }));
  const raw = JSON.stringify({ report: 'taobao-order-export', fileName, order: head.raw, items: items.map((l) => l.raw) });
  return { draft: { ...head.draft, goodsFen, lines }, raw };
}

type TableRead<K extends string> = { table: CsvTable<K> } | { row: number; reason: string };

async function readTable<K extends string>(
  chunks: AsyncIterable<string>,
  columns: Readonly<Record<K, readonly string[]>>,
  required: readonly K[],
  what: string,
): Promise<TableRead<K> & { looksLikeItems?: boolean }> {
  let table: CsvTable<K>;
  try {
    table = await openCsvTable(chunks, columns);
  } catch (err) {
    if (err instanceof CsvReadError) return { row: err.row, reason: `${what}：${err.message}` };
    throw err;
  }
  const missing = required.filter((k) => !table.present.has(k));
  if (missing.length === 0) return { table };
  // Sellers swap the two uploads often enough to say so instead of listing missing columns.
  const asItems = findColumns(table.header, TAOBAO_ITEM_COLUMNS);
  return {
    row: 1,
    reason: `${what}缺少必需的列：${missing.map((k) => columnLabel(columns, k)).join('、')}`,
    looksLikeItems: REQUIRED_ITEM_COLUMNS.every((k) => asItems.has(k)),
  };
}

/** Runs `each` over every row; a file that turns out to be broken CSV part-way is one error, as if unreadable from the start. */
async function eachRow<K extends string>(table: CsvTable<K>, what: string, each: (rec: CsvRecord<K>) => void): Promise<{ row: number; reason: string } | null> {
  try {
    for await (const rec of table.rows) each(rec);
    return null;
  } catch (err) {
    if (err instanceof CsvReadError) return { row: err.row, reason: `${what}：${err.message}` };
    throw err;
  }
}

export interface TaobaoOrderExportSources {
  orders: AsyncIterable<string>;
  items?: AsyncIterable<string>;
  shopCode: string;
  fileName?: string;
}

/**
 * Parses report text as it is decoded, in one pass over each file: order rows become order heads in a map, item
 * rows are appended to their order's lines, and only then are the orders assembled. Rows that fail are reported and
 * never stop the rows that pass. Every step touches each row a fixed number of times, so time grows with the file.
 */
export async function parseTaobaoOrderExportChunks(input: TaobaoOrderExportSources): Promise<TaobaoOrderExportResult> {
  const shopCode = input.shopCode.trim();
  if (!shopCode) throw new RangeError('shopCode is required');
  const errors: OrderExportError[] = [];
  const report = (file: OrderExportFile, row: number, reason: string, orderNo?: string): void => {
    errors.push(orderNo ? { file, row, orderNo, reason } : { file, row, reason });
  };
  const stats: OrderExportStats = { orderRows: 0, itemRows: 0, imported: 0, rejected: 0 };
  if (input.fileName !== undefined) stats.fileName = input.fileName;
  const unreadable = (file: OrderExportFile, read: { row: number; reason: string }): TaobaoOrderExportResult => {
    report(file, read.row, read.reason);
    return { drafts: [], platformOrders: [], errors, stats };
  };

  const ordersRead = await readTable(input.orders, TAOBAO_ORDER_COLUMNS, REQUIRED_ORDER_COLUMNS, '订单报表');
  if (!('table' in ordersRead)) {
    const hint = ordersRead.looksLikeItems ? '（这个文件看起来是宝贝报表，请放到宝贝明细处）' : '';
    return unreadable('orders', { row: ordersRead.row, reason: ordersRead.reason + hint });
  }

  const firstRowOf = new Map<string, number>();
  const heads: OrderHead[] = [];
  const orderProblem = await eachRow(ordersRead.table, '订单报表', (rec) => {
    stats.orderRows += 1;
    const { orderNo, head, problems } = parseOrderRow(rec, shopCode);
    if (orderNo) {
      const first = firstRowOf.get(orderNo);
      if (first !== undefined) {
        report('orders', rec.row, `订单编号重复（与第 ${first} 行相同）`, orderNo);
        return;
      }
      firstRowOf.set(orderNo, rec.row);
    }
    for (const p of problems) report('orders', rec.row, p, orderNo || undefined);
    if (head) heads.push(head);
  });
  if (orderProblem) {
    errors.length = 0;
    stats.orderRows = 0;
    return unreadable('orders', orderProblem);
  }

  let itemsProblem: string | null = null;
  // Lines are appended in place: copying an order's list for every row made a many-line order quadratic.
  const linesOf = new Map<string, ItemLine[]>();
  const badItemRowsOf = new Map<string, number[]>();
  const append = <T>(map: Map<string, T[]>, key: string, value: T): void => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  if (input.items === undefined) {
    itemsProblem = '缺少宝贝明细文件（宝贝报表），无法确定商品的商家编码，订单未导入';
  } else {
    const itemsRead = await readTable(input.items, TAOBAO_ITEM_COLUMNS, REQUIRED_ITEM_COLUMNS, '宝贝报表');
    const itemErrorsFrom = errors.length;
    const broken = !('table' in itemsRead)
      ? itemsRead
      : await eachRow(itemsRead.table, '宝贝报表', (rec) => {
          stats.itemRows += 1;
          const { orderNo, line, problems } = parseItemRow(rec);
          for (const p of problems) report('items', rec.row, p, orderNo || undefined);
          if (!orderNo) return;
          if (!firstRowOf.has(orderNo)) {
            report('items', rec.row, `订单报表中没有订单编号 ${orderNo}`, orderNo);
            return;
          }
          if (line) append(linesOf, orderNo, line);
          else append(badItemRowsOf, orderNo, rec.row);
        });
    if (broken) {
      errors.length = itemErrorsFrom;
      stats.itemRows = 0;
      report('items', broken.row, broken.reason);
      itemsProblem = `宝贝报表有误（见宝贝报表第 ${broken.row} 行），订单未导入`;
    }
  }

  const platformOrders: ImportedPlatformOrder[] = [];
  for (const [i, head] of heads.entries()) {
    // Assembling 40,000 orders takes a second; the web app keeps answering in between.
    if (i % 500 === 499) await nextTurn();
    const fail = (reason: string): void => report('orders', head.row, reason, head.orderNo);
    const lines = linesOf.get(head.orderNo) ?? [];
    const badRows = badItemRowsOf.get(head.orderNo);
    const qty = lines.reduce((s, l) => s + l.qty, 0);
    if (itemsProblem) fail(itemsProblem);
    else if (badRows) fail(`宝贝明细第 ${badRows.join('、')} 行有误，整单未导入`);
    else if (lines.length === 0) fail('宝贝明细中没有这个订单的商品，订单未导入');
    else if (head.totalQty !== null && head.totalQty !== qty) {
      fail(`宝贝明细的购买数量合计 ${qty} 与宝贝总数量 ${head.totalQty} 不符，整单未导入`);
    } else platformOrders.push(buildPlatformOrder(head, lines, input.fileName));
  }

  stats.imported = platformOrders.length;
  stats.rejected = stats.orderRows - platformOrders.length;
  const fileOrder: Record<OrderExportFile, number> = { orders: 0, items: 1 };
  errors.sort((a, b) => fileOrder[a.file] - fileOrder[b.file] || a.row - b.row);
  return { drafts: platformOrders.map((p) => p.draft), platformOrders, errors, stats };
}

async function* whole(text: string): AsyncGenerator<string> {
  yield text;
}

/** Parses already decoded report text (tests and tools); the same rules as an upload. */
export function parseTaobaoOrderExportText(input: TaobaoOrderExportTextInput): Promise<TaobaoOrderExportResult> {
  const sources: TaobaoOrderExportSources = { orders: whole(input.orders), shopCode: input.shopCode };
  if (input.items !== undefined) sources.items = whole(input.items);
  if (input.fileName !== undefined) sources.fileName = input.fileName;
  return parseTaobaoOrderExportChunks(sources);
}

/** Decodes both reports (GBK or UTF-8) as they are read and imports them; see the module comment for the rules. */
export async function parseTaobaoOrderExport(input: TaobaoOrderExportInput): Promise<TaobaoOrderExportResult> {
  const orders = await decodeCsvSource(input.orders);
  const items = input.items ? await decodeCsvSource(input.items) : undefined;
  const sources: TaobaoOrderExportSources = { orders: orders.chunks, shopCode: input.shopCode };
  if (items) sources.items = items.chunks;
  if (input.fileName !== undefined) sources.fileName = input.fileName;
  const result = await parseTaobaoOrderExportChunks(sources);
  result.stats.ordersEncoding = orders.encoding;
  if (items) result.stats.itemsEncoding = items.encoding;
  return result;
}
