/**
 * The drill's staff: a reviewer and a warehouse clerk working the orders through the JSON API the way people
 * would. Each pass reads the orders and sends the next decision for each: approve, reserve a tracking number,
 * print, scan and ship, "retry now" on a failing sync. A decision whose answer did not come (connection
 * refused, 5xx, timeout) is sent again with the same action id, so it is applied once; a refusal (the
 * platform cannot be reached at the scan desk, a stale version) is a new decision, tried again later.
 */
import { randomUUID } from 'node:crypto';
import type { SeededRandom } from '../../integrations/sandbox/seeded-random';
import { errorMessage, type DrillDesk, type StaffReport } from './drill-desk';
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

export interface DrillStaff {
  /** Reads every order of the drill's shop; null while the web process cannot answer. */
  readOrders(): Promise<ApiOrder[] | null>;
  /** Starts the next decision for each order that needs one and has none under way. */
  work(orders: readonly ApiOrder[], options: { faultsOn: boolean }): void;
  /** Waits for the decisions under way. */
  settle(): Promise<void>;
  readonly closedByBuyer: ReadonlySet<string>;
  /** Whether the buyer of this order closes (or closed) the trade. */
  closing(orderId: string): boolean;
  report(): StaffReport;
}

const END = new Set(['done', 'cancelled']);
const LANE = 'orders';
const MAX_PARALLEL = 6;
const APPROVE_BATCH = 100;
const PRINT_BATCH = 50;

/** A printed parcel held for a refund asked before shipment: the after-sales desk has it pulled, the scan desk leaves it. */
export function isInterceptedParcel(o: ApiOrder): boolean {
  return o.status === 'printed' && o.alert.startsWith('售后拦截');
}

/** `refunded`: orders whose buyer asked a refund; their buyer does not also close the trade. */
export function createDrillStaff(options: { stack: DrillStack; desk: DrillDesk; rng: SeededRandom; closeShare: number; refunded(orderId: string): boolean }): DrillStaff {
  const { stack, desk, rng } = options;
  const closedByBuyer = new Set<string>();
  const closeDecided = new Map<string, boolean>();
  let printing = false;

  const enc = encodeURIComponent;

  function approveBatch(orders: ApiOrder[]): void {
    desk.launch(LANE, orders.map((o) => o.id), async () => {
      const body = { actionId: randomUUID(), orders: orders.map((o) => ({ id: o.id, expectedVersion: o.version })) };
      const answer = await desk.decide(stack.tokens.reviewer, 'POST', '/review/approve', body);
      if (!answer) return;
      if (answer.status !== 200) return orders.forEach((o) => desk.refused(o.id, errorMessage(answer)));
      desk.decided('approve (batch)', orders.map((o) => o.id));
      for (const r of (answer.body.results ?? []) as Array<{ orderId: string; ok: boolean; message: string }>) if (!r.ok) desk.refused(r.orderId, r.message);
    });
  }

  function single(kind: string, token: string, order: ApiOrder, path: string, body: unknown): void {
    desk.launch(LANE, [order.id], async () => {
      const answer = await desk.decide(token, 'POST', path, body);
      if (!answer) return;
      if (answer.status >= 200 && answer.status < 300) desk.decided(kind, [order.id]);
      else desk.refused(order.id, errorMessage(answer));
    });
  }

  function print(orders: ApiOrder[]): void {
    printing = true;
    desk.launch(LANE, orders.map((o) => o.id), async () => {
      try {
        const answer = await desk.decide(stack.tokens.warehouse, 'POST', '/print-batches', { actionId: randomUUID(), orderIds: orders.map((o) => o.id), kinds: ['waybill'], sort: 'time' });
        if (!answer) return;
        // 200: this action id had printed the batch already (its first answer was lost), nothing printed twice.
        if (answer.status === 201 || answer.status === 200) desk.decided(answer.status === 201 ? 'print batch' : 'print batch answered again', orders.map((o) => o.id));
        else orders.forEach((o) => desk.refused(o.id, errorMessage(answer)));
      } finally {
        printing = false;
      }
    });
  }

  function ship(order: ApiOrder): void {
    desk.launch(LANE, [order.id], async () => {
      const looked = await desk.decide(stack.tokens.warehouse, 'GET', `/waybills/${enc(order.waybillNo)}`);
      if (!looked) return;
      if (looked.status !== 200) return desk.refused(order.id, errorMessage(looked));
      if (looked.body.refusal) return desk.refused(order.id, looked.body.refusal);
      const scanLines = (looked.body.scanLines ?? []) as Array<{ barcode: string; qty: number }>;
      const scannedBarcodes = scanLines.flatMap((l) => Array.from({ length: l.qty }, () => l.barcode));
      const body = { actionId: randomUUID(), scannedBarcodes, weightGrams: 800 + rng.int(0, 400), postageFen: 600 };
      const answer = await desk.decide(stack.tokens.warehouse, 'POST', `/orders/${enc(order.id)}/ship`, body);
      if (!answer) return;
      if (answer.status === 200) desk.decided('ship', [order.id]);
      else desk.refused(order.id, errorMessage(answer), 8_000);
    });
  }

  /** A buyer closing the trade after approval: the order must end cancelled, its number returned, nothing shipped. */
  function maybeCloseOnPlatform(order: ApiOrder): boolean {
    if (closedByBuyer.has(order.id)) return true;
    if (!closeDecided.has(order.id)) closeDecided.set(order.id, !options.refunded(order.id) && rng.chance(options.closeShare));
    if (!closeDecided.get(order.id)) return false;
    desk.launch(LANE, [order.id], async () => {
      await stack.sandbox.closeTrade(order.platformOrderNo);
      closedByBuyer.add(order.id);
      desk.report.closedByBuyer += 1;
    });
    return true;
  }

  return {
    closedByBuyer,
    closing: (orderId) => closeDecided.get(orderId) === true,
    async readOrders() {
      const all: ApiOrder[] = [];
      for (let page = 1; ; page++) {
        const answer = await desk.request(stack.tokens.warehouse, 'GET', `/orders?shop=${stack.shopCode}&size=200&sort=created&dir=asc&page=${page}`);
        if (!answer || answer.status !== 200) return null;
        all.push(...((answer.body.orders ?? []) as ApiOrder[]));
        if (page >= Number(answer.body.pages ?? 1)) return all;
      }
    },
    work(orders, { faultsOn }) {
      const now = Date.now();
      const free = orders.filter((o) => !END.has(o.status) && desk.isFree(o.id, now));
      const toApprove = free.filter((o) => o.status === 'review');
      for (let i = 0; i < toApprove.length && desk.running(LANE) < MAX_PARALLEL; i += APPROVE_BATCH) approveBatch(toApprove.slice(i, i + APPROVE_BATCH));
      const toPrint: ApiOrder[] = [];
      for (const o of free) {
        if (desk.running(LANE) >= MAX_PARALLEL) break;
        if (o.status === 'out_of_area') {
          // 超区: EMS delivers everywhere; the order leaves the 超区 parking warehouse for the main one.
          single('approve out-of-area', stack.tokens.reviewer, o, `/orders/${enc(o.id)}/approve`, { actionId: randomUUID(), expectedVersion: o.version, courierCode: 'EMS', warehouseCode: 'MAIN' });
        } else if (o.status === 'waybill_pending') {
          single('reserve waybill', stack.tokens.warehouse, o, `/orders/${enc(o.id)}/reserve-waybill`, { actionId: randomUUID() });
        } else if (o.status === 'ready_to_print') {
          if (!maybeCloseOnPlatform(o)) toPrint.push(o);
        } else if (o.status === 'printed') {
          if (!closedByBuyer.has(o.id) && !isInterceptedParcel(o)) ship(o);
        } else if (o.status === 'shipped' && o.sync.status === 'failing' && !faultsOn) {
          const nextAt = o.sync.nextAt ? Date.parse(o.sync.nextAt) : 0;
          // 立即重试 only when the automatic attempt is far off: a person would not press it for one due in seconds.
          if (nextAt - now > 15_000) {
            desk.launch(LANE, [o.id], async () => {
              const answer = await desk.decide(stack.tokens.warehouse, 'POST', `/orders/${enc(o.id)}/sync/retry`);
              if (answer?.status === 202) desk.decided('sync retry now', [o.id]);
              else if (answer) desk.refused(o.id, errorMessage(answer));
              desk.later(o.id, 30_000);
            });
          }
        }
      }
      if (toPrint.length && !printing && desk.running(LANE) < MAX_PARALLEL) print(toPrint.slice(0, PRINT_BATCH));
    },
    settle: () => desk.settle(),
    report: () => desk.report,
  };
}
