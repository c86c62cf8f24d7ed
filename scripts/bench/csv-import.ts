/**
 * Bench (e): parsing a 20 MB Taobao order export (订单报表 + 宝贝报表) as the import page does, streamed from the
 * uploaded files: wall time, and the longest the event loop was held (what another request to the web app would
 * wait); plus one order of 30,000 item rows, which took time growing with the square of its lines before.
 * Run alone with `npx tsx scripts/bench/csv-import.ts [MB] [runs]`.
 */
import { itemReport, itemRow, orderReport, orderRow, type ReportRow } from '../../integrations/csv/fixtures/taobao-report';
import { parseTaobaoOrderExport } from '../../integrations/csv/parse-taobao-order-export';
import { median } from './stats';

export interface BenchCsvImportResult {
  megabytes: number;
  orders: number;
  runs: number;
  parseMs: number[];
  medianParseMs: number;
  /** Longest gap between two ticks of a 5 ms timer while parsing. */
  maxStallMs: number;
  oneOrderLines: number;
  oneOrderParseMs: number;
}

/** A seller-centre export of about `mb` MB: one to three lines per order, a buyer message on every fifth. */
function exportOf(mb: number): { orders: Blob; items: Blob; count: number } {
  const orders: ReportRow[] = [];
  const items: ReportRow[] = [];
  let bytes = 0;
  for (let n = 1; bytes < mb * 1024 * 1024; n += 1) {
    const no = String(3900000000000000000n + BigInt(n));
    const lines = 1 + (n % 3);
    orders.push(orderRow({ 订单编号: `="${no}"`, 买家会员名: `tb_买家${n}`, 宝贝总数量: String(lines), 买家留言: n % 5 ? '' : '请尽快发货，谢谢！包装好一点' }));
    for (let i = 0; i < lines; i += 1) items.push(itemRow({ 订单编号: `="${no}"`, 商家编码: `SKU-${i}`, 价格: '19.67' }));
    bytes += 300 + lines * 100;
  }
  const blob = (text: string) => new Blob([`\uFEFF${text}`], { type: 'text/csv' });
  return { orders: blob(orderReport(orders)), items: blob(itemReport(items)), count: orders.length };
}

async function timed(run: () => Promise<unknown>): Promise<{ ms: number; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 5);
  const t0 = performance.now();
  await run();
  const ms = performance.now() - t0;
  clearInterval(tick);
  stallMs = Math.max(stallMs, performance.now() - last);
  return { ms: Math.round(ms), stallMs: Math.round(stallMs) };
}

export async function benchCsvImport({ mb = 20, runs = 3 } = {}): Promise<BenchCsvImportResult> {
  const files = exportOf(mb);
  const parseMs: number[] = [];
  let maxStallMs = 0;
  for (let r = 0; r < runs; r += 1) {
    const t = await timed(async () => {
      const result = await parseTaobaoOrderExport({ orders: files.orders, items: files.items, shopCode: 'bench' });
      if (result.platformOrders.length !== files.count) throw new Error(`parsed ${result.platformOrders.length} of ${files.count} orders`);
    });
    parseMs.push(t.ms);
    maxStallMs = Math.max(maxStallMs, t.stallMs);
  }
  const oneOrderLines = 30_000;
  const wholesale = {
    orders: new Blob([orderReport([orderRow({ 宝贝总数量: String(oneOrderLines) })])]),
    items: new Blob([itemReport(Array.from({ length: oneOrderLines }, (_, i) => itemRow({ 商家编码: `SKU-${i}` })))]),
  };
  const one = await timed(() => parseTaobaoOrderExport({ ...wholesale, shopCode: 'bench' }));
  return {
    megabytes: Number(((files.orders.size + files.items.size) / 1024 / 1024).toFixed(1)),
    orders: files.count,
    runs,
    parseMs,
    medianParseMs: median(parseMs),
    maxStallMs,
    oneOrderLines,
    oneOrderParseMs: one.ms,
  };
}

if (require.main === module) {
  const [mb, runs] = process.argv.slice(2).map(Number);
  benchCsvImport({ mb: mb || undefined, runs: runs || undefined })
    .then((r) => console.log(JSON.stringify(r, null, 2)))
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
