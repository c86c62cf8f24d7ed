/** The drill's command line: `npm run drill -- --orders 60 --kills 4 --seed a1b2c3`; a bad value is refused with the reason. */
import { randomBytes } from 'node:crypto';

export interface DrillOptions {
  /** Orders placed on the sandbox platform and driven to the end. */
  orders: number;
  /** kill -9s of the worker, the web process and the Temporal server, in a seeded random mix. */
  kills: number;
  /** Same seed, same trades, same kill and fault schedule: a failing run can be run again. */
  seed: string;
  /** The whole drill gives up (and fails) after this long. */
  timeoutSeconds: number;
  /** Keep the temp dir (databases, logs) even when the drill passes. */
  keep: boolean;
}

export class DrillUsageError extends Error {
  override name = 'DrillUsageError';
}

export const DRILL_USAGE = 'usage: npm run drill -- [--orders N (default 300)] [--kills K (default N/30, at least 3)] [--seed S] [--timeout SECONDS] [--keep]';

export function parseDrillOptions(argv: readonly string[]): DrillOptions {
  const values = new Map<string, string>();
  let keep = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--keep') {
      keep = true;
      continue;
    }
    const match = /^--(orders|kills|seed|timeout)(?:=(.*))?$/.exec(arg);
    if (!match) throw new DrillUsageError(`unknown argument "${arg}"\n${DRILL_USAGE}`);
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === '') throw new DrillUsageError(`--${match[1]} needs a value\n${DRILL_USAGE}`);
    values.set(match[1]!, value);
  }
  const whole = (name: string, fallback: number, min: number, max: number): number => {
    const raw = values.get(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new DrillUsageError(`--${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
    return Number(raw);
  };
  const orders = whole('orders', 300, 1, 5_000);
  const kills = whole('kills', Math.max(3, Math.round(orders / 30)), 0, 200);
  const seed = values.get('seed') ?? randomBytes(3).toString('hex');
  if (!/^[\w-]{1,40}$/.test(seed)) throw new DrillUsageError(`--seed must be letters, digits, - or _ (at most 40), not "${seed}"`);
  // Room for the worker to bundle its workflows after each kill, plus a couple of seconds per order on two cores.
  const timeoutSeconds = whole('timeout', 300 + orders * 3 + kills * 30, 30, 24 * 3600);
  return { orders, kills, seed, timeoutSeconds, keep };
}
