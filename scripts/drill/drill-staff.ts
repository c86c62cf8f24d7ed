/**
 * The drill's staff: a reviewer and a warehouse clerk working the orders through the JSON API the way people
 * would. Each pass reads the orders and sends the next decision for each: approve, reserve a tracking number,
 * print, scan and ship, "retry now" on a failing sync. A decision whose answer did not come (connection
 * refused, 5xx, timeout) is sent again with the same action id, so it is applied once; a refusal (the
 * platform cannot be reached at the scan desk, a stale version) is a new decision, tried again later.
 */
import { randomUUID } from 'node:crypto';
import type { SeededRandom } from '../../integrations/sandbox/seeded-random';
import type { DrillStack } from './drill-stack';

/** What the drill reads of an order (GET /api/v1/orders). */
export interface ApiOrder {
  id: string;
  version: number;
  status: string;
  platformOrderNo: string;
  courierCode: string;
  waybillNo: string;
  alert: string;
  sync: { status: string; attempts: number; lastError: string; nextAt: string | null };
}

export interface StaffReport {
  requests: number;
  /** Decisions sent again with the same action id after no answer came. */
  resentSameAction: number;
  decisions: Record<string, number>;
  /** The workflow's reasons for a refusal, counted. */
  refusals: Record<string, number>;
  closedByBuyer: number;
}

export interface DrillStaff {
  /** Reads every order of the drill's shop; null while the web process cannot answer. */
  readOrders(): Promise<ApiOrder[] | null>;
  /** Starts the next decision for each order that needs one and has none under way. */
  work(orders: readonly ApiOrder[], options: { faultsOn: boolean }): void;
  /** Waits for the decisions under way. */
  settle(): Promise<void>;
  readonly closedByBuyer: ReadonlySet<string>;
  report(): StaffReport;
}

type Answer = { status: number; body: Record<string, unknown> };

const END = new Set(['done', 'cancelled']);
const MAX_PARALLEL = 6;
const APPROVE_BATCH = 100;
const PRINT_BATCH = 50;
/** How long a decision's answer may keep failing (a process restarting) before the staff leave it for the next pass. */
const RESEND_FOR_MS = 240_000;
const REQUEST_TIMEOUT_MS = 60_000;

export function createDrillStaff(options: { stack: DrillStack; rng: SeededRandom; closeShare: number }): DrillStaff {
  const { stack, rng } = options;
  const report: StaffReport = { requests: 0, resentSameAction: 0, decisions: {}, refusals: {}, closedByBuyer: 0 };
  const busy = new Set<string>();
  const notBefore = new Map<string, number>();
  const closedByBuyer = new Set<string>();
  const closeDecided = new Map<string, boolean>();
  const running = new Set<Promise<void>>();
  let printing = false;

  async function request(token: string, method: string, path: string, body?: unknown): Promise<Answer | null> {
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
  }

  /** Sends a decision until an answer comes that is not "unknown outcome": the same body, so the same action id. */
  async function decide(token: string, method: string, path: string, body?: unknown): Promise<Answer | null> {
    const giveUpAt = Date.now() + RESEND_FOR_MS;
    for (let attempt = 1; ; attempt++) {
      const answer = await request(token, method, path, body);
      if (answer && answer.status < 500) return answer;
      if (Date.now() > giveUpAt) return answer;
      report.resentSameAction += 1;
      await new Promise((r) => setTimeout(r, Math.min(5_000, 500 * attempt)));
    }
  }

  function refused(orderId: string, message: unknown, laterMs = 5_000): void {
    const reason = String(message ?? '').replace(/[\d]{6,}/g, '…').slice(0, 60) || '(no reason given)';
    report.refusals[reason] = (report.refusals[reason] ?? 0) + 1;
    notBefore.set(orderId, Date.now() + laterMs);
  }

  function decided(kind: string, orderIds: readonly string[]): void {
    report.decisions[kind] = (report.decisions[kind] ?? 0) + 1;
    // The read model follows a moment after the workflow answers; do not decide again on a stale row.
    for (const id of orderIds) notBefore.set(id, Date.now() + 2_000);
  }

  function launch(orderIds: readonly string[], job: () => Promise<void>): void {
    for (const id of orderIds) busy.add(id);
    const p = job()
      .catch((err: unknown) => {
        report.refusals[`drill error: ${(err as Error).message}`.slice(0, 80)] = (report.refusals[`drill error: ${(err as Error).message}`.slice(0, 80)] ?? 0) + 1;
      })
      .finally(() => {
        for (const id of orderIds) busy.delete(id);
        running.delete(p);
      });
    running.add(p);
  }

  const enc = encodeURIComponent;

  function approveBatch(orders: ApiOrder[]): void {
    launch(orders.map((o) => o.id), async () => {
      const body = { actionId: randomUUID(), orders: orders.map((o) => ({ id: o.id, expectedVersion: o.version })) };
      const answer = await decide(stack.tokens.reviewer, 'POST', '/review/approve', body);
      if (!answer) return;
      if (answer.status !== 200) return orders.forEach((o) => refused(o.id, errorMessage(answer)));
      decided('approve (batch)', orders.map((o) => o.id));
      for (const r of (answer.body.results ?? []) as Array<{ orderId: string; ok: boolean; message: string }>) if (!r.ok) refused(r.orderId, r.message);
    });
  }

  function single(kind: string, token: string, order: ApiOrder, path: string, body: unknown): void {
    launch([order.id], async () => {
      const answer = await decide(token, 'POST', path, body);
      if (!answer) return;
      if (answer.status >= 200 && answer.status < 300) decided(kind, [order.id]);
      else refused(order.id, errorMessage(answer));
    });
  }

  function print(orders: ApiOrder[]): void {
    printing = true;
    launch(orders.map((o) => o.id), async () => {
      try {
        const answer = await decide(stack.tokens.warehouse, 'POST', '/print-batches', { actionId: randomUUID(), orderIds: orders.map((o) => o.id), kinds: ['waybill'], sort: 'time' });
        if (!answer) return;
        // 200: this action id had printed the batch already (its first answer was lost), nothing printed twice.
        if (answer.status === 201 || answer.status === 200) decided(answer.status === 201 ? 'print batch' : 'print batch answered again', orders.map((o) => o.id));
        else orders.forEach((o) => refused(o.id, errorMessage(answer)));
      } finally {
        printing = false;
      }
    });
  }

  function ship(order: ApiOrder): void {
    launch([order.id], async () => {
      const looked = await decide(stack.tokens.warehouse, 'GET', `/waybills/${enc(order.waybillNo)}`);
      if (!looked) return;
      if (looked.status !== 200) return refused(order.id, errorMessage(looked));
      if (looked.body.refusal) return refused(order.id, looked.body.refusal);
      const scanLines = (looked.body.scanLines ?? []) as Array<{ barcode: string; qty: number }>;
      const scannedBarcodes = scanLines.flatMap((l) => Array.from({ length: l.qty }, () => l.barcode));
      const body = { actionId: randomUUID(), scannedBarcodes, weightGrams: 800 + rng.int(0, 400), postageFen: 600 };
      const answer = await decide(stack.tokens.warehouse, 'POST', `/orders/${enc(order.id)}/ship`, body);
      if (!answer) return;
      if (answer.status === 200) decided('ship', [order.id]);
      else refused(order.id, errorMessage(answer), 8_000);
    });
  }

  /** A buyer closing the trade after approval: the order must end cancelled, its number returned, nothing shipped. */
  function maybeCloseOnPlatform(order: ApiOrder): boolean {
    if (closedByBuyer.has(order.id)) return true;
    if (!closeDecided.has(order.id)) closeDecided.set(order.id, rng.chance(options.closeShare));
    if (!closeDecided.get(order.id)) return false;
    launch([order.id], async () => {
      await stack.sandbox.closeTrade(order.platformOrderNo);
      closedByBuyer.add(order.id);
      report.closedByBuyer += 1;
    });
    return true;
  }

  return {
    closedByBuyer,
    async readOrders() {
      const all: ApiOrder[] = [];
      for (let page = 1; ; page++) {
        const answer = await request(stack.tokens.warehouse, 'GET', `/orders?shop=${stack.shopCode}&size=200&sort=created&dir=asc&page=${page}`);
        if (!answer || answer.status !== 200) return null;
        all.push(...((answer.body.orders ?? []) as ApiOrder[]));
        if (page >= Number(answer.body.pages ?? 1)) return all;
      }
    },
    work(orders, { faultsOn }) {
      const now = Date.now();
      const free = orders.filter((o) => !END.has(o.status) && !busy.has(o.id) && (notBefore.get(o.id) ?? 0) <= now);
      const toApprove = free.filter((o) => o.status === 'review');
      for (let i = 0; i < toApprove.length && running.size < MAX_PARALLEL; i += APPROVE_BATCH) approveBatch(toApprove.slice(i, i + APPROVE_BATCH));
      const toPrint: ApiOrder[] = [];
      for (const o of free) {
        if (running.size >= MAX_PARALLEL) break;
        if (o.status === 'out_of_area') {
          // 超区: EMS delivers everywhere; the order leaves the 超区 parking warehouse for the main one.
          single('approve out-of-area', stack.tokens.reviewer, o, `/orders/${enc(o.id)}/approve`, { actionId: randomUUID(), expectedVersion: o.version, courierCode: 'EMS', warehouseCode: 'MAIN' });
        } else if (o.status === 'waybill_pending') {
          single('reserve waybill', stack.tokens.warehouse, o, `/orders/${enc(o.id)}/reserve-waybill`, { actionId: randomUUID() });
        } else if (o.status === 'ready_to_print') {
          if (!maybeCloseOnPlatform(o)) toPrint.push(o);
        } else if (o.status === 'printed') {
          if (!closedByBuyer.has(o.id)) ship(o);
        } else if (o.status === 'shipped' && o.sync.status === 'failing' && !faultsOn) {
          const nextAt = o.sync.nextAt ? Date.parse(o.sync.nextAt) : 0;
          // 立即重试 only when the automatic attempt is far off: a person would not press it for one due in seconds.
          if (nextAt - now > 15_000) {
            launch([o.id], async () => {
              const answer = await decide(stack.tokens.warehouse, 'POST', `/orders/${enc(o.id)}/sync/retry`);
              if (answer?.status === 202) decided('sync retry now', [o.id]);
              else if (answer) refused(o.id, errorMessage(answer));
              notBefore.set(o.id, Date.now() + 30_000);
            });
          }
        }
      }
      if (toPrint.length && !printing && running.size < MAX_PARALLEL) print(toPrint.slice(0, PRINT_BATCH));
    },
    async settle() {
      while (running.size) await Promise.allSettled([...running]);
    },
    report: () => report,
  };
}

function errorMessage(answer: Answer): string {
  const error = answer.body.error as { message?: string; code?: string } | undefined;
  return String(answer.body.message ?? error?.message ?? `HTTP ${answer.status}`);
}
