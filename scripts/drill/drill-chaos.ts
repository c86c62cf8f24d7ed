/**
 * The drill's trouble, on a seeded schedule: kill -9 of the worker, the web process and the Temporal
 * server at random moments (each restarted by the supervisor), and sandbox fault windows (error rate,
 * latency past the client's timeout, outages, answers lost: shipments, waybill numbers, agreed returns and refunds)
 * switched on and off until the drill says stop.
 */
import type { SandboxFaults } from '../../integrations/sandbox/sandbox-faults';
import { createSeededRandom, type SeededRandom } from '../../integrations/sandbox/seeded-random';
import { KILLABLE, type DrillStack, type Killable } from './drill-stack';

/** The TOP client gives up after 15 s: a slower answer is a timeout, and the call may still take effect. */
const PAST_CLIENT_TIMEOUT_MS = 16_000;

const FAULTS: ReadonlyArray<{ kind: string; faults: Partial<SandboxFaults> }> = [
  { kind: 'error rate 30%', faults: { errorRate: 0.3 } },
  { kind: 'latency past the client timeout', faults: { latencyMs: PAST_CLIENT_TIMEOUT_MS } },
  { kind: 'outage (503)', faults: { outage: true } },
  { kind: 'outage (connection reset)', faults: { outage: 'reset' } },
  {
    kind: 'answers lost 50%',
    faults: {
      answerLostRate: 0.5,
      methods: ['taobao.logistics.offline.send', 'cainiao.waybill.ii.get', 'cainiao.waybill.ii.cancel', 'taobao.rp.returngoods.agree', 'taobao.rp.refunds.agree'],
    },
  },
];

export interface ChaosReport {
  kills: Record<Killable, number>;
  /** How long each killed process took to serve again, ms. */
  downMs: number[];
  faults: Record<string, number>;
  /** Kills that could not be done (the process was already down), with the reason. */
  problems: string[];
}

export interface Chaos {
  /** Whether a sandbox fault window is open now (the staff leave "retry now" alone while it is). */
  faultsOn(): boolean;
  killsDone(): boolean;
  /** Ends the fault windows (clearing the faults) and waits for a kill in progress to recover. */
  stop(): Promise<ChaosReport>;
}

export function startChaos(options: { stack: DrillStack; seed: string; kills: number; say(message: string): void }): Chaos {
  const { stack, say } = options;
  const killRng = createSeededRandom(`${options.seed}:kills`);
  const faultRng = createSeededRandom(`${options.seed}:faults`);
  const report: ChaosReport = { kills: { worker: 0, web: 0, temporal: 0 }, downMs: [], faults: {}, problems: [] };
  let stopped = false;
  let faultOpen = false;
  let killsDone = options.kills === 0;
  let wake: () => void = () => undefined;
  const stopSignal = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const pause = (ms: number) => Promise.race([new Promise<void>((r) => setTimeout(r, ms)), stopSignal]);

  const killLoop = (async () => {
    for (const target of killOrder(killRng, options.kills)) {
      await pause(killRng.int(4_000, 15_000));
      if (stopped) break;
      try {
        const downMs = await stack.kill(target);
        report.kills[target] += 1;
        report.downMs.push(downMs);
        say(`kill -9 ${target} (#${report.kills[target]}): serving again after ${(downMs / 1000).toFixed(1)}s`);
      } catch (err) {
        report.problems.push(`kill ${target}: ${(err as Error).message}`);
        say(`could not kill ${target}: ${(err as Error).message}`);
      }
    }
    killsDone = true;
  })();

  const faultLoop = (async () => {
    while (!stopped) {
      await pause(faultRng.int(4_000, 10_000));
      if (stopped) break;
      const { kind, faults } = faultRng.pick(FAULTS);
      const windowMs = faultRng.int(6_000, 15_000);
      try {
        await stack.sandbox.setFaults(faults);
        faultOpen = true;
        report.faults[kind] = (report.faults[kind] ?? 0) + 1;
        say(`sandbox fault on for ${(windowMs / 1000).toFixed(0)}s: ${kind}`);
        await pause(windowMs);
      } finally {
        await clearFaults();
      }
    }
  })();

  async function clearFaults(): Promise<void> {
    // The sandbox is never killed, but a clear must not be lost to one slow answer either.
    for (let attempt = 1; ; attempt++) {
      try {
        await stack.sandbox.clearFaults();
        faultOpen = false;
        return;
      } catch (err) {
        if (attempt >= 10) throw err;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  }

  return {
    faultsOn: () => faultOpen,
    killsDone: () => killsDone,
    async stop() {
      stopped = true;
      wake();
      await Promise.all([killLoop, faultLoop]);
      await clearFaults();
      return report;
    },
  };
}

/** Every process is killed at least once when there are kills enough; the rest are a seeded mix, in seeded order. */
function killOrder(rng: SeededRandom, kills: number): Killable[] {
  const order: Killable[] = [];
  for (let i = 0; i < kills; i++) order.push(i < KILLABLE.length ? KILLABLE[i]! : rng.pick(KILLABLE));
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
