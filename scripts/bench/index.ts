/**
 * `npm run bench`: intake throughput vs a bare workflow, Temporal actions per order, PDF ms per label, the 订单审核
 * list's p95 at 20,000 orders, the parse of a 20 MB order export, and 库存查询 at 2,000 SKUs × 3 warehouses over
 * 1,000,000 ledger rows (page p95, full XLSX export time and peak memory). BENCH_TRADES, BENCH_RUNS and
 * BENCH_ONLY=a,b,c,d,e,f tune it.
 */
import { benchCsvImport } from './csv-import';
import { benchIntake } from './intake';
import { benchPrintLabels } from './print-labels';
import { benchReviewList } from './review-list';
import { benchStockQuery } from './stock-query';
import { startTemporalDevServer } from '../temporal-dev-server';
import { useTestKeys } from '../../test/helpers/test-keys';

async function main(): Promise<void> {
  const only = new Set((process.env.BENCH_ONLY ?? 'a,b,c,d,e,f').split(','));
  const trades = Number(process.env.BENCH_TRADES ?? 2000);
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const results: Record<string, unknown> = { trades, runs, database: process.env.DATABASE_URL ? 'mysql' : 'sqlite', at: new Date().toISOString() };
  const temporal = await startTemporalDevServer();
  process.env.TEMPORAL_ADDRESS = temporal.address;
  process.env.WORKER_LOG_LEVEL ??= 'ERROR';
  // Benchmarks measure with the codec on, as production runs; their data is generated, so the fixed test keys do.
  useTestKeys();
  try {
    if (only.has('a') || only.has('b')) {
      console.log(`(a)+(b) intake of ${trades} trades × ${runs} runs, then actions per order`);
      Object.assign(results, await benchIntake({ trades, runs: only.has('a') ? runs : 0 }));
    }
    if (only.has('c')) {
      console.log('(c) 200 labels into one PDF');
      Object.assign(results, { printLabels: await benchPrintLabels({ labels: 200, runs: 5 }) });
    }
    if (only.has('d')) {
      console.log('(d) 订单审核 list at 20,000 orders');
      Object.assign(results, { reviewList: await benchReviewList({ orders: 20_000, requests: 200 }) });
    }
    if (only.has('e')) {
      console.log('(e) 20 MB order export parsed as the import page reads it');
      Object.assign(results, { csvImport: await benchCsvImport({ mb: 20, runs: 3 }) });
    }
    if (only.has('f')) {
      console.log('(f) 库存查询 at 2,000 SKUs × 3 warehouses with 1,000,000 ledger rows');
      Object.assign(results, { stockQuery: await benchStockQuery({ skus: 2_000, ledgerRows: 1_000_000, requests: 200 }) });
    }
  } finally {
    await temporal.stop();
  }
  console.log(JSON.stringify(results, null, 2));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
