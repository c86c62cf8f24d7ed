/**
 * `npm run drill`: the fault drill. On a stack of its own it places N orders on the sandbox platform and
 * has staff work them through the JSON API (intake by pull, approval, print, scan and ship, shipment sync)
 * while buyers ask refunds before shipment and return goods after it, and after-sales and finance work the
 * cases (drill-after-sales.ts), and while it kill -9s the worker, the web process and the Temporal server and
 * switches platform faults on and off. Then it checks that nothing was lost or done twice (see drill-checks.ts),
 * prints the figures, and exits 0 only if everything holds. Seeded: `--seed` runs the same trades and trouble again.
 */
import { rmSync } from 'node:fs';
import { createSeededRandom } from '../../integrations/sandbox/seeded-random';
import { shopPullScheduleId } from '../../api/shop-pull-schedules';
import { ensureTemporalKeyFiles } from '../../api/temporal/temporal-security';
import { median } from '../bench/stats';
import { connectTemporal } from '../supervisor';
import { createDrillAfterSales, type ApiCase } from './drill-after-sales';
import { startChaos, type ChaosReport } from './drill-chaos';
import { checkDrill } from './drill-checks';
import { createDrillDesk } from './drill-desk';
import { DrillUsageError, parseDrillOptions, type DrillOptions } from './drill-options';
import { startDrillStack, type DrillStack } from './drill-stack';
import { createDrillStaff, type ApiOrder } from './drill-staff';
import { createDrillTransfers } from './drill-transfers';

/** Trades are placed in waves, so intake runs while the trouble does. */
const WAVE = 50;
const WAVE_GAP_MS = 8_000;
/** Share of orders whose buyer closes the trade after approval: their waybill numbers must go back to Cainiao. */
const CLOSE_SHARE = 0.04;
/** After the trouble stops, how long the staff get to finish what the faults left waiting. */
const SETTLE_MS = 180_000;
const PASS_MS = 1_000;
const PROGRESS_EVERY_MS = 20_000;

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s`;
const say = (message: string) => console.log(`[drill ${elapsed()}] ${message}`);

async function run(options: DrillOptions): Promise<boolean> {
  // The drill's worker and web children encrypt payloads and sign actors with the project's key files, as npm start's do.
  ensureTemporalKeyFiles();
  say(`seed ${options.seed}: ${options.orders} orders, ${options.kills} kills, timeout ${options.timeoutSeconds}s (re-run: npm run drill -- --orders ${options.orders} --kills ${options.kills} --seed ${options.seed})`);
  const stack = await startDrillStack({ seed: options.seed, say });
  let passed = false;
  try {
    passed = await drill(stack, options);
  } finally {
    await stack.stop();
    if (passed && !options.keep) {
      rmSync(stack.dir, { recursive: true, force: true });
    } else {
      say(`kept ${stack.dir} (databases, sandbox snapshot, logs/)`);
    }
  }
  return passed;
}

async function drill(stack: DrillStack, options: DrillOptions): Promise<boolean> {
  const deadline = started + options.timeoutSeconds * 1000;
  const client = await connectTemporal(stack.temporalAddress, stack.namespace);
  const desk = createDrillDesk(stack);
  const staff = createDrillStaff({ stack, desk, rng: createSeededRandom(`${options.seed}:staff`), closeShare: CLOSE_SHARE, refunded: (id) => afterSales.refundedBeforeShipment.has(id) });
  const afterSales = createDrillAfterSales({ stack, desk, rng: createSeededRandom(`${options.seed}:after-sales`), client, leaveAlone: (id) => staff.closing(id) });
  // The warehouse moves stock between warehouses through the same trouble: about one transfer per 20 orders, and at least
  // one of each plan (cancelled, received in full, received short, reversed).
  const transfers = createDrillTransfers({ stack, desk, rng: createSeededRandom(`${options.seed}:transfers`), count: Math.max(6, Math.round(options.orders / 20)) });
  const placedTids: string[] = [];
  let lastWaveAt = 0;
  let orders: ApiOrder[] = [];
  let cases: ApiCase[] = [];
  const ordersEnded = () => placedTids.length === options.orders && orders.length >= options.orders && orders.every((o) => o.status === 'done' || o.status === 'cancelled');
  const ended = () => ordersEnded() && afterSales.ended(cases) && transfers.ended();

  async function placeWave(): Promise<void> {
    const count = Math.min(WAVE, options.orders - placedTids.length);
    const now = Date.now();
    // Modified a little in the past: a pull reads up to a few seconds before now.
    const trades = await stack.sandbox.generate(count, { from: new Date(now - 40_000), to: new Date(now - 15_000) });
    placedTids.push(...trades.map((t) => t.tid));
    lastWaveAt = now;
    say(`placed ${trades.length} trades (${placedTids.length}/${options.orders})`);
    // Pull at once rather than at the next scheduled minute; the schedule covers it if Temporal is down now.
    await client.schedule.getHandle(shopPullScheduleId(stack.shopCode)).trigger().catch(() => undefined);
  }

  async function pass(faultsOn: boolean): Promise<void> {
    if (placedTids.length < options.orders && Date.now() - lastWaveAt >= WAVE_GAP_MS) await placeWave().catch((err: unknown) => say(`could not place trades: ${(err as Error).message}`));
    const read = await staff.readOrders();
    if (read) {
      orders = read;
      // Buyers first: one who asks now is seen by the scan desk's refund check in this very pass. New returns stop once
      // every order has ended, so the drill winds down.
      await afterSales.buyers(orders, { returns: !ordersEnded() });
      staff.work(orders, { faultsOn });
      const readCases = await afterSales.readCases();
      if (readCases) {
        cases = readCases;
        afterSales.work(orders, cases);
      }
    }
    await transfers.pass();
    await new Promise((r) => setTimeout(r, PASS_MS));
  }

  const chaos = startChaos({ stack, seed: options.seed, kills: options.kills, say });
  let chaosReport: ChaosReport;
  let lastProgressAt = Date.now();
  try {
    while (Date.now() < deadline && !(ended() && chaos.killsDone())) {
      await pass(chaos.faultsOn());
      if (Date.now() - lastProgressAt >= PROGRESS_EVERY_MS) {
        lastProgressAt = Date.now();
        say(`${statusLine(orders)}; cases: ${statusLine(cases.map((c) => ({ status: c.stage })))}`);
      }
    }
  } finally {
    chaosReport = await chaos.stop();
  }
  say(`trouble over (${statusLine(orders)}); settling`);
  const settleUntil = Math.min(deadline, Date.now() + SETTLE_MS);
  while (Date.now() < settleUntil && !ended()) await pass(false);
  await staff.settle();
  orders = (await staff.readOrders()) ?? orders;
  cases = (await afterSales.readCases()) ?? cases;
  say(`settled: ${statusLine(orders)}; cases: ${statusLine(cases.map((c) => ({ status: c.stage })))}`);

  // What had not finished when time ran out is listed by the checks; running out of time fails the drill by itself.
  const timedOut = Date.now() >= deadline;
  const findings = await checkDrill({
    stack, client, placedTids, orders, closedByBuyer: staff.closedByBuyer,
    cases, buyerRefunds: afterSales.refunds, refundedBeforeShipment: afterSales.refundedBeforeShipment, transfers: transfers.planned(),
  });
  await client.connection.close();
  const staffReport = staff.report();
  const wallSeconds = (Date.now() - started) / 1000;
  const killTotal = Object.values(chaosReport.kills).reduce((a, b) => a + b, 0);
  const faultTotal = Object.values(chaosReport.faults).reduce((a, b) => a + b, 0);
  const unplanned = Object.entries(stack.unplannedExits());
  const out = [
    '',
    `== fault drill, seed ${options.seed} ==`,
    `orders ${options.orders}; kills ${killTotal} (worker ${chaosReport.kills.worker}, web ${chaosReport.kills.web}, temporal ${chaosReport.kills.temporal}); ` +
      `median back in ${chaosReport.downMs.length ? (median(chaosReport.downMs) / 1000).toFixed(1) : '-'}s; faults switched ${faultTotal} (${Object.entries(chaosReport.faults).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}); wall time ${Math.floor(wallSeconds / 60)}m${Math.round(wallSeconds % 60)}s`,
    ...(unplanned.length ? [`processes that exited on their own (restarted): ${unplanned.map(([n, c]) => `${n} ${c}`).join(', ')}`] : []),
    ...chaosReport.problems.map((p) => `chaos problem: ${p}`),
    ...findings.lines,
    `transfer desk: plans ${Object.entries(transfers.summary().plans).sort().map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}; stages seen last ${Object.entries(transfers.summary().stages).sort().map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`,
    ...Object.entries(afterSales.buyerRefused).map(([reason, n]) => `  buyer could not ask ${n}×: ${reason}`),
    `staff: ${staffReport.requests} requests, ${staffReport.resentSameAction} sent again with the same action id; decisions ${Object.entries(staffReport.decisions).map(([k, n]) => `${k} ${n}`).join(', ')}`,
    ...Object.entries(staffReport.refusals).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([reason, n]) => `  refused ${n}×: ${reason}`),
    `lost = ${findings.lost}`,
    ...(timedOut ? [`FAIL: the drill ran out of time (${options.timeoutSeconds}s)`] : []),
    ...findings.failures.map((f) => `FAIL: ${f}`),
  ];
  const passed = !timedOut && findings.failures.length === 0 && findings.lost === 0 && chaosReport.problems.length === 0;
  out.push(passed ? 'PASS: nothing lost, nothing done twice, no workflow failed' : 'DRILL FAILED');
  console.log(out.join('\n'));
  return passed;
}

function statusLine(items: ReadonlyArray<{ status: string }>): string {
  const counts: Record<string, number> = {};
  for (const o of items) counts[o.status] = (counts[o.status] ?? 0) + 1;
  return Object.entries(counts).map(([s, n]) => `${s} ${n}`).join(', ') || 'none yet';
}


let options: DrillOptions;
try {
  options = parseDrillOptions(process.argv.slice(2));
} catch (err) {
  console.error(err instanceof DrillUsageError ? err.message : err);
  process.exit(2);
}
run(options).then(
  (passed) => process.exit(passed ? 0 : 1),
  (err: unknown) => {
    console.error(`[drill] could not run: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    process.exit(1);
  },
);
