/**
 * Bench (f): 库存查询 at 2,000 SKUs × 3 warehouses with 1,000,000 ledger rows behind the levels — p95 of the page
 * (filter, sort, page, render through the real app), p95 of a SKU's ledger page, and the time and peak memory of a
 * full XLSX export streamed the way the export route writes it.
 */
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import { guanjiaClientOptions } from '../../api/temporal/temporal-security';
import { createApp } from '../../api/app';
import { createSession, SESSION_COOKIE } from '../../api/auth/sessions';
import { loadConfig } from '../../api/config';
import { writeStockXlsx } from '../../api/stock/stock-export';
import { stockQuery } from '../../api/stock/stock-query';
import { User } from '../../db/entities';
import { seedDemoData } from '../../db/seeders/demo-data';
import { createTestDb } from '../../test/helpers/test-db';
import { median, percentile } from './stats';

type Db = Awaited<ReturnType<typeof createTestDb>>['db'];
const WAREHOUSES = ['MAIN', 'RET', 'OOA'];
const KINDS = ['reserve', 'release', 'deduct', 'return_in', 'stock_in', 'adjust'] as const;

/** SKUs, their levels in every warehouse, and ledger rows whose sums are the levels (an opening row, then movements). */
async function fill(db: Db, skus: number, ledgerRows: number): Promise<void> {
  const conn = db.em().getConnection();
  const now = new Date();
  for (let start = 0; start < skus; start += 500) {
    const rows: unknown[] = [];
    const marks: string[] = [];
    for (let i = start; i < Math.min(skus, start + 500); i++) {
      marks.push('(?, ?, ?, ?, ?, ?, ?, ?, ?)');
      rows.push(1, `BENCH-${String(i).padStart(5, '0')}`, `69${String(10_000_000_000 + i)}`, `压测商品 ${i}`, `规格 ${i % 7}`, 100, 1000, 2000, false);
    }
    await conn.execute(`INSERT INTO sku (product_id, code, barcode, name, spec, weight_grams, cost_fen, price_fen, is_bundle) VALUES ${marks.join(', ')}`, rows, 'run');
  }
  const places = skus * WAREHOUSES.length;
  const perPlace = Math.max(1, Math.floor(ledgerRows / places));
  const level = new Map<number, { onHand: number; reserved: number }>();
  let written = 0;
  const batch: unknown[] = [];
  const marks: string[] = [];
  const flush = async () => {
    if (!marks.length) return;
    await conn.execute(`INSERT INTO stock_ledger (idempotency_key, kind, sku_code, warehouse_code, quality, on_hand_delta, reserved_delta, on_hand_after, reserved_after, ref_type, ref_id, actor, note, at) VALUES ${marks.join(', ')}`, batch, 'run');
    batch.length = 0;
    marks.length = 0;
  };
  for (let p = 0; p < places && written < ledgerRows; p++) {
    const sku = `BENCH-${String(p % skus).padStart(5, '0')}`;
    const wh = WAREHOUSES[Math.floor(p / skus)]!;
    const l = { onHand: 0, reserved: 0 };
    const n = p === places - 1 ? ledgerRows - written : perPlace;
    for (let k = 0; k < n; k++) {
      const kind = k === 0 ? 'opening' : KINDS[k % KINDS.length]!;
      const [dOn, dRes] = kind === 'opening' ? [500, 0] : kind === 'reserve' ? [0, 1] : kind === 'release' ? [0, -1] : kind === 'deduct' ? [-1, 0] : kind === 'adjust' ? [-1, 0] : [1, 0];
      // A release or deduct only follows a reservation it can undo, so nothing goes negative.
      const [on, res] = dRes < 0 && l.reserved === 0 ? [0, 0] : [dOn, dRes];
      l.onHand += on;
      l.reserved += res;
      marks.push('(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
      batch.push(`bench:${p}:${k}`, kind, sku, wh, 'good', on, res, l.onHand, l.reserved, kind === 'opening' ? 'opening' : 'order', kind === 'opening' ? wh : `order:bench:${p}:${k}`, 'bench', '', now);
      written++;
      if (marks.length >= 1000) await flush();
    }
    level.set(p, l);
  }
  await flush();
  for (let start = 0; start < places; start += 500) {
    const rows: unknown[] = [];
    const m: string[] = [];
    for (let p = start; p < Math.min(places, start + 500); p++) {
      const l = level.get(p) ?? { onHand: 0, reserved: 0 };
      m.push('(?, ?, ?, ?, ?, ?)');
      rows.push(`BENCH-${String(p % skus).padStart(5, '0')}`, WAREHOUSES[Math.floor(p / skus)]!, 'good', l.onHand, l.reserved, now);
    }
    await conn.execute(`INSERT INTO stock_level (sku_code, warehouse_code, quality, on_hand, reserved, updated_at) VALUES ${m.join(', ')}`, rows, 'run');
  }
}

export async function benchStockQuery(options: { skus: number; ledgerRows: number; requests: number }): Promise<Record<string, number>> {
  const testDb = await createTestDb();
  try {
    const db = testDb.db;
    await seedDemoData(db, { shopCode: 'bench', sandboxUrl: 'http://127.0.0.1:9/router/rest', appKey: 'k', appSecret: 's', sessionKey: 'bench-session', pullIntervalSeconds: 60, hashPassword: async (p) => p });
    const t0 = Date.now();
    await fill(db, options.skus, options.ledgerRows);
    const fillSeconds = (Date.now() - t0) / 1000;
    const em = db.em();
    const user = await em.findOneOrFail(User, { username: 'cangku' });
    const { cookieValue } = await createSession(em, user, 12, { ip: '127.0.0.1', userAgent: 'bench' });
    const temporal = new Client({ connection: Connection.lazy({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' }), ...guanjiaClientOptions() });
    const app = createApp({ db, temporal, config: loadConfig({}).app });
    const headers = { cookie: `${SESSION_COOKIE}=${cookieValue}` };
    const sku = (i: number) => `BENCH-${String((i * 37) % options.skus).padStart(5, '0')}`;
    const pages = [
      (i: number) => `/stock/levels?page=${1 + (i % 100)}`,
      (i: number) => `/stock/levels?q=${encodeURIComponent(`压测商品 ${i * 13}`)}`,
      (i: number) => `/stock/levels?warehouse=${WAREHOUSES[i % 3]}&sort=available&dir=desc&size=200&page=${1 + (i % 10)}`,
      (i: number) => `/stock/levels?show=all&sort=onHand&size=100&page=${1 + (i % 60)}`,
      (i: number) => `/stock/levels?q=${sku(i)}`,
    ];
    const timed = async (urls: Array<(i: number) => string>): Promise<number[]> => {
      for (let i = 0; i < 10; i++) await app.request(urls[i % urls.length]!(i), { headers });
      const times: number[] = [];
      for (let i = 0; i < options.requests; i++) {
        const url = urls[i % urls.length]!(i);
        const t = process.hrtime.bigint();
        const res = await app.request(url, { headers });
        await res.text();
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
        if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
      }
      return times;
    };
    const pageTimes = await timed(pages);
    const ledgerTimes = await timed([(i) => `/stock/ledger?sku=${sku(i)}`, (i) => `/stock/ledger?sku=${sku(i)}&warehouse=MAIN&page=2`]);

    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 20);
    let bytes = 0;
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { bytes += chunk.length; done(); } });
    const tx = Date.now();
    const rows = await writeStockXlsx(em.fork(), stockQuery.parse({ show: 'all' }), 'zh-CN', sink);
    const xlsxSeconds = (Date.now() - tx) / 1000;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    return {
      skus: options.skus, warehouses: WAREHOUSES.length, ledgerRows: options.ledgerRows, fillSeconds: Number(fillSeconds.toFixed(1)), requests: options.requests,
      pageMedianMs: Number(median(pageTimes).toFixed(1)), pageP95Ms: Number(percentile(pageTimes, 95).toFixed(1)),
      ledgerMedianMs: Number(median(ledgerTimes).toFixed(1)), ledgerP95Ms: Number(percentile(ledgerTimes, 95).toFixed(1)),
      xlsxRows: rows, xlsxSeconds: Number(xlsxSeconds.toFixed(2)), xlsxBytes: bytes,
      xlsxPeakRssMb: Number((peakRss / 1048576).toFixed(1)), xlsxRssGrowthMb: Number(((peakRss - rssBefore) / 1048576).toFixed(1)),
    };
  } finally {
    await testDb.drop();
  }
}

if (require.main === module) {
  const skus = Number(process.env.BENCH_STOCK_SKUS ?? 2000);
  const ledgerRows = Number(process.env.BENCH_LEDGER_ROWS ?? 1_000_000);
  benchStockQuery({ skus, ledgerRows, requests: 200 }).then((r) => console.log(r), (e: unknown) => { console.error(e); process.exit(1); });
}
