/**
 * After-sales in the drill. Buyers, on the sandbox platform: ask a refund before shipment on some orders (the whole
 * order while it waits for review, one or all sub-orders once its parcel is printed), ask to return goods on some
 * finished ones, and send the return parcel once the seller agreed. Staff, through /api/v1 (and a Temporal Update
 * where the API has no route): the after-sales clerk agrees and approves, the warehouse pulls an intercepted parcel
 * off the line, scans the return in and checks it, finance confirms the refunds in batches. Seeded like the rest.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { shopPullScheduleId } from '../../api/shop-pull-schedules';
import type { Actor } from '../../domain/roles';
import type { SeededRandom } from '../../integrations/sandbox/seeded-random';
import { confirmPulledUpdate } from '../../workflows/after-sale-messages';
import { errorMessage, type DrillDesk } from './drill-desk';
import type { DrillStack } from './drill-stack';
import { isInterceptedParcel, type ApiOrder } from './drill-staff';

/** What the drill reads of a case (GET /api/v1/after-sales/cases). */
export interface ApiCase {
  caseNo: string;
  type: string;
  stage: string;
  version: number;
  orderId: string;
  platformOrderNo: string;
  platformRefundId: string;
  returnWaybillNo: string;
  alert: string;
}

/** A refund a buyer asked on the platform. */
export interface BuyerRefund {
  refundId: string;
  tid: string;
  orderId: string;
  kind: 'before_shipment' | 'return';
  parcelSent: boolean;
}

export interface DrillAfterSales {
  /** The buyers' turn: new refunds on the orders they pick (returns only while `returns`), parcels for agreed returns. */
  buyers(orders: readonly ApiOrder[], options: { returns: boolean }): Promise<void>;
  /** Every case of the drill's shop; null while the web process cannot answer. */
  readCases(): Promise<ApiCase[] | null>;
  /** Starts the next decision for each case (and intercepted parcel) that needs one and has none under way. */
  work(orders: readonly ApiOrder[], cases: readonly ApiCase[]): void;
  /** Every refund asked has its case and every case is done or closed. */
  ended(cases: readonly ApiCase[]): boolean;
  readonly refunds: readonly BuyerRefund[];
  /** Orders whose buyer asked a refund before shipment: they end cancelled or, with what is left, done. */
  readonly refundedBeforeShipment: ReadonlySet<string>;
  /** Refunds the buyer could not ask (the platform refused: the trade moved on meanwhile), counted by reason. */
  readonly buyerRefused: Record<string, number>;
}

/** Shares of orders whose buyer asks: before review, once printed, after the order is done (a return). */
const SHARES = { review: 0.05, printed: 0.08, done: 0.12 };
const LANE = 'after-sales';
const MAX_PARALLEL = 3;
const FINANCE_BATCH = 50;
/** The buyer's side is polled, not pushed: how often the drill looks at the refunds it asked. */
const BUYER_EVERY_MS = 3_000;
const ENDED = new Set(['done', 'closed']);
const WAREHOUSE: Actor = { username: 'cangku', displayName: '仓库 大刘', roles: ['warehouse'] };

export function createDrillAfterSales(options: { stack: DrillStack; desk: DrillDesk; rng: SeededRandom; client: Client; leaveAlone: (orderId: string) => boolean }): DrillAfterSales {
  const { stack, desk, rng, client } = options;
  const refunds: BuyerRefund[] = [];
  const refundedBeforeShipment = new Set<string>();
  const buyerRefused: Record<string, number> = {};
  /** `<order id> <status>`: each order is considered once per status a buyer may ask in. */
  const considered = new Set<string>();
  let financeBusy = false;
  let lastBuyerAt = 0;
  const enc = encodeURIComponent;
  const caseKey = (caseNo: string) => `case:${caseNo}`;

  /** The next pull at once, not at the schedule's next tick; the tick covers it while Temporal is down. */
  const pullNow = () => client.schedule.getHandle(shopPullScheduleId(stack.shopCode)).trigger().catch(() => undefined);

  async function ask(order: ApiOrder, kind: BuyerRefund['kind'], whole: boolean): Promise<boolean> {
    try {
      const trade = await stack.sandbox.trade(order.platformOrderNo);
      const oids = whole ? undefined : [String(trade.orders.order[0]!.oid)];
      const asked = await stack.sandbox.askRefund(order.platformOrderNo, { ...(oids ? { oids } : {}), ...(kind === 'return' ? { hasGoodReturn: true, reason: '质量问题' } : { reason: '不想要了' }) });
      for (const r of asked) refunds.push({ refundId: String(r.refund_id), tid: order.platformOrderNo, orderId: order.id, kind, parcelSent: false });
      if (kind === 'before_shipment') refundedBeforeShipment.add(order.id);
      return asked.length > 0;
    } catch (err) {
      const reason = (err as Error).message.replace(/\d{6,}/g, '…').slice(0, 80);
      buyerRefused[reason] = (buyerRefused[reason] ?? 0) + 1;
      return false;
    }
  }

  const job = (keys: readonly string[], run: () => Promise<void>) => desk.launch(LANE, keys, run);

  /** A case decision through /api/v1: done, or refused with the workflow's reason and tried again later. */
  function decide(kind: string, token: string, c: ApiCase, path: string, body: Record<string, unknown>): void {
    job([caseKey(c.caseNo)], async () => {
      const answer = await desk.decide(token, 'POST', `/after-sales/cases/${enc(c.caseNo)}${path}`, { actionId: randomUUID(), expectedVersion: c.version, ...body });
      if (!answer) return;
      if (answer.status === 200 && answer.body.ok !== false) desk.decided(kind, [caseKey(c.caseNo)]);
      else desk.refused(caseKey(c.caseNo), errorMessage(answer));
    });
  }

  /** A decision taken on the case page: the case read first (its lines, its version now), then the decision sent. */
  function decideOnPage(kind: string, token: string, c: ApiCase, path: string, decision: (detail: Record<string, unknown>) => Record<string, unknown>): void {
    job([caseKey(c.caseNo)], async () => {
      const detail = await desk.decide(token, 'GET', `/after-sales/cases/${enc(c.caseNo)}`);
      if (!detail || detail.status !== 200) return desk.refused(caseKey(c.caseNo), detail ? errorMessage(detail) : 'no answer');
      const body = { actionId: randomUUID(), expectedVersion: Number(detail.body.version), ...decision(detail.body) };
      const answer = await desk.decide(token, 'POST', `/after-sales/cases/${enc(c.caseNo)}${path}`, body);
      if (!answer) return;
      if (answer.status === 200 && answer.body.ok !== false) desk.decided(kind, [caseKey(c.caseNo)]);
      else desk.refused(caseKey(c.caseNo), errorMessage(answer));
    });
  }

  /** 质检: each line back whole; now and then one unit of the first line damaged, which goes to the returns warehouse as defective. */
  function qc(c: ApiCase): void {
    const damaged = rng.chance(0.3);
    decideOnPage('qc', stack.tokens.warehouse, c, '/qc', (detail) => ({
      lines: ((detail.lines ?? []) as Array<{ oid: string; qty: number }>).map((l, i) => {
        const defective = damaged && i === 0 ? 1 : 0;
        return { oid: l.oid, good: l.qty - defective, defective, missing: 0, wrong: 0, note: defective ? '外包装破损' : '' };
      }),
    }));
  }

  /** 审批: the whole of what was paid for the case's lines back, as the approval page proposes it. */
  function approve(c: ApiCase): void {
    decideOnPage('approve', stack.tokens.afterSales, c, '/approve', (detail) => ({
      decision: 'approve',
      refundFen: ((detail.lines ?? []) as Array<{ paidFen: number }>).reduce((n, l) => n + l.paidFen, 0),
    }));
  }

  /** 退货入库: the returns desk scans the parcel's tracking number and the case it belongs to takes it in. */
  function scanIn(c: ApiCase): void {
    job([caseKey(c.caseNo)], async () => {
      const answer = await desk.decide(stack.tokens.warehouse, 'POST', '/after-sales/returns/scan', { actionId: randomUUID(), waybillNo: c.returnWaybillNo, company: '顺丰速运' });
      if (!answer) return;
      const result = String(answer.body.result ?? '');
      if (answer.status === 200 && (result === 'received' || result === 'already')) desk.decided('receive (scan)', [caseKey(c.caseNo)]);
      else desk.refused(caseKey(c.caseNo), `scan ${result}: ${errorMessage(answer)}`);
    });
  }

  function confirmRefunds(cases: ApiCase[]): void {
    financeBusy = true;
    const keys = cases.map((c) => caseKey(c.caseNo));
    job(keys, async () => {
      try {
        const body = { actionId: randomUUID(), cases: cases.map((c) => ({ caseNo: c.caseNo, expectedVersion: c.version })), decision: 'confirm', account: '', reference: '' };
        const answer = await desk.decide(stack.tokens.finance, 'POST', '/finance/refunds/confirm', body);
        if (!answer) return;
        if (answer.status !== 200) return keys.forEach((k) => desk.refused(k, errorMessage(answer)));
        desk.decided('finance confirm (batch)', keys);
        for (const r of (answer.body.results ?? []) as Array<{ caseNo: string; ok: boolean; message: string }>) if (!r.ok) desk.refused(caseKey(r.caseNo), r.message);
      } finally {
        financeBusy = false;
      }
    });
  }

  /** No route in /api/v1 takes the pull yet: the warehouse's Update goes to the order's workflow, once per order version. */
  function confirmPulled(o: ApiOrder): void {
    job([o.id], async () => {
      try {
        const r = await client.workflow.getHandle(o.id).executeUpdate(confirmPulledUpdate, { args: [{ actor: WAREHOUSE, expectedVersion: o.version }], updateId: `drill-pulled-${o.id}-${o.version}` });
        if (r.ok) desk.decided('confirm pulled (Update)', [o.id]);
        else desk.refused(o.id, r.message);
      } catch (err) {
        desk.refused(o.id, err instanceof WorkflowUpdateFailedError ? (err.cause?.message ?? err.message) : `Temporal: ${(err as Error).message}`);
      }
    });
  }

  return {
    refunds,
    refundedBeforeShipment,
    buyerRefused,
    async buyers(orders, { returns }) {
      const now = Date.now();
      if (now - lastBuyerAt < BUYER_EVERY_MS) return;
      lastBuyerAt = now;
      let acted = false;
      for (const o of orders) {
        const status = o.status === 'review' || o.status === 'printed' || (o.status === 'done' && returns) ? o.status : '';
        // A parcel being scanned right now is left alone: the buyer asks before or after, never in between.
        if (!status || considered.has(`${o.id} ${status}`) || options.leaveAlone(o.id) || !desk.isFree(o.id, now) || refunds.some((r) => r.orderId === o.id)) continue;
        considered.add(`${o.id} ${status}`);
        if (!rng.chance(SHARES[status as keyof typeof SHARES])) continue;
        if (status === 'done') acted = (await ask(o, 'return', false)) || acted;
        else if (!isInterceptedParcel(o)) acted = (await ask(o, 'before_shipment', status === 'review' || rng.chance(0.5))) || acted;
      }
      for (const r of refunds.filter((x) => x.kind === 'return' && !x.parcelSent)) {
        const onPlatform = (await stack.sandbox.refunds(r.tid).catch(() => [])).find((x) => String(x.refund_id) === r.refundId);
        if (onPlatform?.status !== 'WAIT_BUYER_RETURN_GOODS') {
          // Closed or paid without the goods: nothing to send.
          if (onPlatform && onPlatform.status !== 'WAIT_SELLER_AGREE') r.parcelSent = true;
          continue;
        }
        try {
          await stack.sandbox.sendReturnParcel(r.refundId, { companyName: '顺丰速运', sid: `SF${r.refundId}` });
          r.parcelSent = true;
          acted = true;
        } catch (err) {
          const reason = (err as Error).message.replace(/\d{6,}/g, '…').slice(0, 80);
          buyerRefused[reason] = (buyerRefused[reason] ?? 0) + 1;
        }
      }
      if (acted) await pullNow();
    },
    async readCases() {
      const all: ApiCase[] = [];
      for (let page = 1; ; page++) {
        const answer = await desk.request(stack.tokens.afterSales, 'GET', `/after-sales/cases?stage=all&shop=${stack.shopCode}&size=200&sort=created&dir=asc&page=${page}`);
        if (!answer || answer.status !== 200) return null;
        all.push(...((answer.body.cases ?? []) as ApiCase[]));
        if (page >= Number(answer.body.pages ?? 1)) return all;
      }
    },
    work(orders, cases) {
      const now = Date.now();
      const room = () => desk.running(LANE) < MAX_PARALLEL;
      for (const o of orders) if (room() && isInterceptedParcel(o) && desk.isFree(o.id, now)) confirmPulled(o);
      const free = cases.filter((c) => !ENDED.has(c.stage) && desk.isFree(caseKey(c.caseNo), now));
      const toConfirm = free.filter((c) => c.stage === 'awaiting_finance');
      if (toConfirm.length && !financeBusy && room()) confirmRefunds(toConfirm.slice(0, FINANCE_BATCH));
      for (const c of free) {
        if (!room()) break;
        if (c.stage === 'registered') decide('agree', stack.tokens.afterSales, c, '/agree', { decision: 'agree' });
        else if (c.stage === 'awaiting_parcel' && c.returnWaybillNo) scanIn(c);
        else if (c.stage === 'awaiting_qc') qc(c);
        else if (c.stage === 'awaiting_approval') approve(c);
      }
    },
    ended(cases) {
      return refunds.every((r) => cases.some((c) => c.platformRefundId === r.refundId)) && cases.every((c) => ENDED.has(c.stage));
    },
  };
}
