/**
 * What the drill proves once the trouble is over: every order it placed reached an end state or waits
 * visibly with a reason; the stock books balance; the platform holds exactly one shipment per shipped
 * order and no tracking number twice; and no workflow failed, timed out or was terminated.
 */
import type { Client } from '@temporalio/client';
import { verifyStock } from '../../activities/stock-verify';
import { initORM } from '../../db/orm';
import { orderWorkflowId } from '../../domain/order-draft';
import { formatStockVerification } from '../stock-verify';
import type { DrillStack } from './drill-stack';
import type { ApiOrder } from './drill-staff';

export interface DrillFindings {
  /** Placed orders that never reached Guanjia, or stand still without saying why. */
  lost: number;
  ended: number;
  waitingVisibly: number;
  /** Lines for the report. */
  lines: string[];
  /** Why the drill fails; empty when it passes. */
  failures: string[];
}

const SHIPPED = new Set(['shipped', 'done']);
const FAILED_STATUSES = new Set(['FAILED', 'TERMINATED', 'TIMED_OUT', 'CANCELLED']);
const SHOWN = 10;

export async function checkDrill(input: {
  stack: DrillStack;
  client: Client;
  placedTids: readonly string[];
  orders: readonly ApiOrder[];
  closedByBuyer: ReadonlySet<string>;
}): Promise<DrillFindings> {
  const { stack, orders } = input;
  const lines: string[] = [];
  const failures: string[] = [];
  const byId = new Map(orders.map((o) => [o.id, o]));
  const list = (items: string[]) => items.slice(0, SHOWN).join('; ') + (items.length > SHOWN ? `; … ${items.length - SHOWN} more` : '');

  // 1. Every order placed is in Guanjia, and either finished or says why it waits.
  const missing = input.placedTids.filter((tid) => !byId.has(orderWorkflowId(stack.shopCode, tid)));
  const placed = input.placedTids.map((tid) => byId.get(orderWorkflowId(stack.shopCode, tid))).filter((o): o is ApiOrder => !!o);
  const ended = placed.filter((o) => o.status === 'done' || o.status === 'cancelled');
  const waiting = placed.filter((o) => !ended.includes(o) && (o.alert || o.sync.lastError));
  const silent = placed.filter((o) => !ended.includes(o) && !waiting.includes(o));
  const count = (status: string) => placed.filter((o) => o.status === status).length;
  lines.push(`orders: placed ${input.placedTids.length}, in Guanjia ${placed.length}, done ${count('done')}, cancelled ${count('cancelled')} (buyer closed ${input.closedByBuyer.size}), waiting visibly ${waiting.length}, lost ${missing.length + silent.length}`);
  if (waiting.length) lines.push(`  waiting with a reason: ${list(waiting.map((o) => `${o.platformOrderNo} ${o.status}: ${o.alert || o.sync.lastError}`))}`);
  if (missing.length) failures.push(`${missing.length} placed trade(s) never became orders: ${list(missing)}`);
  if (silent.length) failures.push(`${silent.length} order(s) stand still without a reason: ${list(silent.map((o) => `${o.platformOrderNo} ${o.status}`))}`);
  const wrongEnd = placed.filter((o) => input.closedByBuyer.has(o.id) !== (o.status === 'cancelled') && ended.includes(o));
  if (wrongEnd.length) failures.push(`${wrongEnd.length} order(s) ended otherwise than the buyer left them (closed → cancelled, else done): ${list(wrongEnd.map((o) => `${o.platformOrderNo} ${o.status}`))}`);

  // 2. The stock books.
  const db = await initORM({ settings: stack.database, migrate: false });
  try {
    const stock = await verifyStock(db);
    lines.push(...formatStockVerification(stock).split('\n').map((l) => `stock: ${l.trimStart()}`));
    if (!stock.ok) failures.push(`stock books: ${stock.breaks.length} break(s)`);
  } finally {
    await db.close();
  }

  // 3. The platform's side: one shipment per shipped order with its number, no number twice.
  const [shipments, waybills] = await Promise.all([stack.sandbox.shipments(), stack.sandbox.waybills()]);
  const shipmentsOf = new Map<string, typeof shipments>();
  for (const s of shipments) shipmentsOf.set(s.tid, [...(shipmentsOf.get(s.tid) ?? []), s]);
  const shipmentProblems: string[] = [];
  for (const o of placed) {
    const got = shipmentsOf.get(o.platformOrderNo) ?? [];
    if (o.status === 'done' && (got.length !== 1 || got[0]!.outSid !== o.waybillNo)) {
      shipmentProblems.push(`${o.platformOrderNo} done with ${got.length} shipment(s) ${got.map((s) => s.outSid).join(',')} for ${o.waybillNo}`);
    } else if (o.status === 'shipped' && (got.length > 1 || (got[0] && got[0].outSid !== o.waybillNo))) {
      shipmentProblems.push(`${o.platformOrderNo} shipped with shipment(s) ${got.map((s) => s.outSid).join(',')} for ${o.waybillNo}`);
    } else if (!SHIPPED.has(o.status) && got.length) {
      shipmentProblems.push(`${o.platformOrderNo} ${o.status} but the platform has shipment(s) ${got.map((s) => s.outSid).join(',')}`);
    }
  }
  const twice = (values: string[]) => [...new Set(values.filter((v, i) => v && values.indexOf(v) !== i))];
  const outSidTwice = twice(shipments.map((s) => s.outSid));
  const issuedTwice = twice(waybills.map((w) => `${w.cpCode} ${w.waybillCode}`));
  const orderNumberTwice = twice(placed.map((o) => o.waybillNo));
  const used = new Set(placed.map((o) => o.waybillNo));
  const unused = waybills.filter((w) => !w.cancelled && !used.has(w.waybillCode));
  const notReturned = placed.filter((o) => o.status === 'cancelled' && waybills.some((w) => w.waybillCode === o.waybillNo && !w.cancelled));
  const shippedCount = placed.filter((o) => SHIPPED.has(o.status)).length;
  lines.push(`platform: shipments ${shipments.length} for ${shippedCount} shipped order(s); e-waybill numbers taken ${waybills.length} (cancelled ${waybills.filter((w) => w.cancelled).length}, unused ${unused.length}); answers lost by the sandbox ${await stack.sandbox.answersLost()}`);
  if (shipmentProblems.length) failures.push(`shipments that do not match their orders: ${list(shipmentProblems)}`);
  if (outSidTwice.length) failures.push(`tracking numbers shipped twice on the platform: ${list(outSidTwice)}`);
  if (issuedTwice.length) failures.push(`e-waybill numbers issued twice: ${list(issuedTwice)}`);
  if (orderNumberTwice.length) failures.push(`tracking numbers on two orders: ${list(orderNumberTwice)}`);
  if (unused.length) failures.push(`e-waybill numbers taken but on no order and never cancelled (a parcel got a second number): ${list(unused.map((w) => `${w.waybillCode} (${w.tradeOrderList.join(',')}, object ${w.objectId})`))}`);
  if (notReturned.length) failures.push(`cancelled orders whose e-waybill number was not cancelled with Cainiao: ${list(notReturned.map((o) => `${o.platformOrderNo} ${o.waybillNo}`))}`);

  // 4. No workflow ended badly.
  const byStatus: Record<string, number> = {};
  const bad: string[] = [];
  for await (const wf of input.client.workflow.list()) {
    const status = wf.status.name;
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    if (FAILED_STATUSES.has(status)) bad.push(`${wf.workflowId} (${wf.type}) ${status}`);
  }
  lines.push(`workflows: ${Object.entries(byStatus).sort().map(([s, n]) => `${s.toLowerCase()} ${n}`).join(', ')}`);
  if (bad.length) failures.push(`${bad.length} workflow(s) failed, timed out or were terminated: ${list(bad)}`);

  return { lost: missing.length + silent.length, ended: ended.length, waitingVisibly: waiting.length, lines, failures };
}
