/**
 * Benchmark of 单据打印: renders a batch of waybill labels into one PDF with a warm Chromium and reports the
 * median time per label (target ≤ 40 ms). Run alone with `npx tsx scripts/bench/print-labels.ts [labels] [runs]`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPrintActivities } from '../../activities/print';
import { createPrintRenderer } from '../../activities/print-renderer';
import { Order, OrderLine } from '../../db/entities';
import { initORM, type Db } from '../../db/orm';
import { seedDemoData } from '../../db/seeders/demo-data';
import { SYSTEM_ACTOR } from '../../domain/roles';
import { median } from './stats';

export interface BenchPrintLabelsOptions {
  labels?: number;
  runs?: number;
}

export interface BenchPrintLabelsResult {
  labels: number;
  runs: number;
  /** Wall time of each measured run of renderPrintBatch (load, HTML, PDF, store), in ms. */
  totalsMs: number[];
  medianTotalMs: number;
  medianMsPerLabel: number;
  pdfBytes: number;
}

const CITIES = [
  ['浙江省', '杭州市', '西湖区'], ['广东省', '深圳市', '南山区'], ['北京市', '北京市', '朝阳区'],
  ['四川省', '成都市', '武侯区'], ['江苏省', '苏州市', '工业园区'], ['湖北省', '武汉市', '洪山区'],
] as const;

async function seed(db: Db, labels: number): Promise<string[]> {
  // The demo's shop and couriers (ZTO prints on 100×180), so the bench prints what the demo prints.
  await seedDemoData(db, { shopCode: 'bench', sandboxUrl: 'http://127.0.0.1:9/router/rest', appKey: 'k', appSecret: 's', sessionKey: 'bench-session', pullIntervalSeconds: 60, hashPassword: async (p) => p });
  const em = db.em();
  const ids: string[] = [];
  for (let i = 0; i < labels; i += 1) {
    const [province, city, district] = CITIES[i % CITIES.length]!;
    const id = `order:bench:${100000 + i}`;
    ids.push(id);
    em.persist(Object.assign(new Order(), {
      id, status: 'ready_to_print', shopCode: 'bench', platformOrderNo: String(3_890_000_000 + i),
      receiverName: `收件人${i}`, receiverMobile: `138${String(i).padStart(8, '0')}`,
      province, city, district, address: `文三路 ${i} 号 ${i % 30} 栋 ${i % 17}01 室`,
      courierCode: 'ZTO', waybillNo: String(78_310_000_000_000 + i), paidAt: new Date(Date.UTC(2026, 10, 26, 0, 0, i)),
      buyerMessage: '', sellerMemo: '',
    }));
    for (let n = 1; n <= 1 + (i % 3); n += 1) {
      em.persist(Object.assign(new OrderLine(), {
        orderId: id, lineNo: n, skuCode: `SKU-${n}${i % 50}`, barcode: `6900000${i}${n}`, title: `货品 ${n}`, qty: n, priceFen: 1990,
      }));
    }
  }
  await em.flush();
  return ids;
}


/** Measures labels per batch with the renderer warmed by one unmeasured batch, as a long-running print worker has it. */
export async function benchPrintLabels({ labels = 200, runs = 5 }: BenchPrintLabelsOptions = {}): Promise<BenchPrintLabelsResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gj-bench-print-'));
  const db = await initORM({ settings: { dialect: 'sqlite', url: path.join(dir, 'bench.sqlite') } });
  const renderer = createPrintRenderer();
  try {
    const orderIds = await seed(db, labels);
    const { renderPrintBatch } = createPrintActivities({ db, renderer });
    const run = async (batchId: string): Promise<number> => {
      const started = performance.now();
      await renderPrintBatch({ batchId, orderIds, kinds: ['waybill'], actor: SYSTEM_ACTOR, sort: 'province', reprintOrderIds: [] });
      return performance.now() - started;
    };
    await run('warm-up');
    const totalsMs: number[] = [];
    for (let r = 0; r < runs; r += 1) totalsMs.push(Math.round(await run(`run-${r}`)));
    const stored = await db.em().getConnection().execute<Array<{ bytes: number }>>(
      "select length(pdf) as bytes from print_batch where id = 'run-0'",
    );
    const medianTotalMs = median(totalsMs);
    return {
      labels, runs, totalsMs, medianTotalMs,
      medianMsPerLabel: Math.round((medianTotalMs / labels) * 10) / 10,
      pdfBytes: Number(stored[0]?.bytes ?? 0),
    };
  } finally {
    await renderer.close();
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const [labels, runs] = process.argv.slice(2).map(Number);
  benchPrintLabels({ labels: labels || undefined, runs: runs || undefined })
    .then((r) => {
      console.log(`print-labels: ${r.labels} labels × ${r.runs} runs, median ${r.medianTotalMs} ms per batch, ${r.medianMsPerLabel} ms per label (target ≤ 40), PDF ${(r.pdfBytes / 1024).toFixed(0)} KB`);
      console.log(`runs (ms): ${r.totalsMs.join(', ')}`);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
