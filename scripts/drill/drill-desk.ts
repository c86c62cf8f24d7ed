/**
 * What every desk of the drill's staff shares: calls to /api/v1 with a person's token, a decision sent again with
 * the same body (so the same action id) until an answer comes that is not "unknown outcome", the work under way per
 * order or case (one decision at a time each), and the report of requests, decisions and refusals.
 */
import type { DrillStack } from './drill-stack';

export type Answer = { status: number; body: Record<string, unknown> };

export interface StaffReport {
  requests: number;
  /** Decisions sent again with the same action id after no answer came. */
  resentSameAction: number;
  decisions: Record<string, number>;
  /** The workflow's reasons for a refusal, counted. */
  refusals: Record<string, number>;
  closedByBuyer: number;
}

export interface DrillDesk {
  readonly report: StaffReport;
  /** One call; null when no answer came (connection refused, timeout). */
  request(token: string, method: string, path: string, body?: unknown): Promise<Answer | null>;
  /** Sends a decision until an answer comes that is not "unknown outcome" (or the desk gives up on it). */
  decide(token: string, method: string, path: string, body?: unknown): Promise<Answer | null>;
  /** Whether nothing is under way for this key (an order id, a case) and no refusal asked to wait. */
  isFree(key: string, now: number): boolean;
  /** Runs a job of a desk (its lane) for these keys; they are busy until it ends. */
  launch(lane: string, keys: readonly string[], job: () => Promise<void>): void;
  /** Jobs under way in a lane, or in all. */
  running(lane?: string): number;
  refused(key: string, message: unknown, laterMs?: number): void;
  /** Leaves this key alone for a while. */
  later(key: string, ms: number): void;
  decided(kind: string, keys: readonly string[]): void;
  /** Waits for the jobs under way. */
  settle(): Promise<void>;
}

/** How long a decision's answer may keep failing (a process restarting) before the staff leave it for the next pass. */
const RESEND_FOR_MS = 240_000;
const REQUEST_TIMEOUT_MS = 60_000;

export function createDrillDesk(stack: Pick<DrillStack, 'webUrl'>): DrillDesk {
  const report: StaffReport = { requests: 0, resentSameAction: 0, decisions: {}, refusals: {}, closedByBuyer: 0 };
  const busy = new Set<string>();
  const notBefore = new Map<string, number>();
  const running = new Map<Promise<void>, string>();

  const count = (reason: string) => {
    report.refusals[reason] = (report.refusals[reason] ?? 0) + 1;
  };

  const desk: DrillDesk = {
    report,
    async request(token, method, path, body) {
      report.requests += 1;
      try {
        const res = await fetch(`${stack.webUrl}/api/v1${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const text = await res.text();
        let parsed: Record<string, unknown> = {};
        try {
          parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        } catch {
          parsed = { text };
        }
        return { status: res.status, body: parsed };
      } catch {
        return null;
      }
    },
    async decide(token, method, path, body) {
      const giveUpAt = Date.now() + RESEND_FOR_MS;
      for (let attempt = 1; ; attempt++) {
        const answer = await desk.request(token, method, path, body);
        if (answer && answer.status < 500) return answer;
        if (Date.now() > giveUpAt) return answer;
        report.resentSameAction += 1;
        await new Promise((r) => setTimeout(r, Math.min(5_000, 500 * attempt)));
      }
    },
    isFree: (key, now) => !busy.has(key) && (notBefore.get(key) ?? 0) <= now,
    launch(lane, keys, job) {
      for (const k of keys) busy.add(k);
      const p = job()
        .catch((err: unknown) => count(`drill error: ${(err as Error).message}`.slice(0, 80)))
        .finally(() => {
          for (const k of keys) busy.delete(k);
          running.delete(p);
        });
      running.set(p, lane);
    },
    running: (lane) => (lane ? [...running.values()].filter((l) => l === lane).length : running.size),
    refused(key, message, laterMs = 5_000) {
      count(String(message ?? '').replace(/[\d]{6,}/g, '…').slice(0, 60) || '(no reason given)');
      notBefore.set(key, Date.now() + laterMs);
    },
    later(key, ms) {
      notBefore.set(key, Date.now() + ms);
    },
    decided(kind, keys) {
      report.decisions[kind] = (report.decisions[kind] ?? 0) + 1;
      // The read model follows a moment after the workflow answers; do not decide again on a stale row.
      for (const k of keys) notBefore.set(k, Date.now() + 2_000);
    },
    async settle() {
      while (running.size) await Promise.allSettled([...running.keys()]);
    },
  };
  return desk;
}

/** The reason an answer gives for a refusal. */
export function errorMessage(answer: Answer): string {
  const error = answer.body.error as { message?: string; code?: string } | undefined;
  return String(answer.body.message ?? error?.message ?? `HTTP ${answer.status}`);
}
