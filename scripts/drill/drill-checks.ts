/**
 * What the drill proves once the trouble is over: every order it placed reached an end state or waits
 * visibly with a reason; the stock books balance; the platform holds exactly one shipment per shipped
 * order and no tracking number twice; every refund a buyer asked has its case, the platform paid each refund
 * at most once and exactly once for a case done through it, no case stands in a step of its own without saying
 * why, and a case put its goods back in stock once; every transfer ended as its plan says (done, cancelled, reversed), a
 * reversed one left both warehouses as they were and none moved stock twice; and no workflow failed, timed out or was
 * terminated.
 */
import type { Client } from '@temporalio/client';
import { verifyStock } from '../../activities/stock-verify';
import { StockLedgerEntry, StockTransfer } from '../../db/entities';
import { initORM } from '../../db/orm';
import { orderWorkflowId } from '../../domain/order-draft';
import { IN_TRANSIT_STAGES } from '../../domain/stock-transfer';
import { formatStockVerification } from '../stock-verify';
import type { DrillStack } from './drill-stack';
import type { ApiCase, BuyerRefund } from './drill-after-sales';
import type { ApiOrder } from './drill-staff';
import { PLANNED_END, type TransferPlan } from './drill-transfers';

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
  cases: readonly ApiCase[];
  buyerRefunds: readonly BuyerRefund[];
  refundedBeforeShipment: ReadonlySet<string>;
  transfers: ReadonlyArray<{ transferNo: string; plan: TransferPlan }>;
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
  // A refund asked before shipment cancels the order, or leaves what was not refunded to ship.
  const wrongEnd = placed.filter((o) => ended.includes(o) && !input.refundedBeforeShipment.has(o.id) && input.closedByBuyer.has(o.id) !== (o.status === 'cancelled'));
  if (wrongEnd.length) failures.push(`${wrongEnd.length} order(s) ended otherwise than the buyer left them (closed → cancelled, else done): ${list(wrongEnd.map((o) => `${o.platformOrderNo} ${o.status}`))}`);

  // 2. The stock books, and a case's goods back in stock once: one idempotency key per case, whatever was retried.
  const db = await initORM({ settings: stack.database, migrate: false });
  const stockInKeys = new Map<string, Set<string>>();
  let transferRows: StockTransfer[] = [];
  let transferLedger: StockLedgerEntry[] = [];
  try {
    const stock = await verifyStock(db);
    lines.push(...formatStockVerification(stock).split('\n').map((l) => `stock: ${l.trimStart()}`));
    if (!stock.ok) failures.push(`stock books: ${stock.breaks.length} break(s)`);
    for (const row of await db.em().find(StockLedgerEntry, { refType: 'case' }, { fields: ['refId', 'idempotencyKey'] })) {
      stockInKeys.set(row.refId, (stockInKeys.get(row.refId) ?? new Set()).add(row.idempotencyKey));
    }
    const nos = input.transfers.map((x) => x.transferNo);
    if (nos.length) {
      transferRows = await db.em().find(StockTransfer, { transferNo: { $in: nos } });
      transferLedger = await db.em().find(StockLedgerEntry, { refType: 'transfer', refId: { $in: nos } });
    }
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

  // 4. After-sales: every refund asked has its case; the platform paid each refund once at most, and once for every
  // case done through it; no case stands in a step of its own without a reason; goods came back into stock once.
  const cases = input.cases;
  const payments = await stack.sandbox.refundPayments();
  const paid = new Map<string, number>();
  for (const p of payments) paid.set(p.refund_id, (paid.get(p.refund_id) ?? 0) + 1);
  const caseOf = new Map(cases.filter((c) => c.platformRefundId).map((c) => [c.platformRefundId, c]));
  const noCase = input.buyerRefunds.filter((r) => !caseOf.has(r.refundId));
  const paidTwice = [...paid].filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`);
  const doneUnpaid = cases.filter((c) => c.stage === 'done' && c.platformRefundId && paid.get(c.platformRefundId) !== 1);
  const closedPaid = cases.filter((c) => c.stage === 'closed' && c.platformRefundId && paid.has(c.platformRefundId));
  const open = cases.filter((c) => c.stage !== 'done' && c.stage !== 'closed');
  // Steps the case takes on its own (holding the order, refunding on the platform, the replacement on its way): one that
  // stands there at the end must say why; the other open steps wait for a person and show in that person's queue.
  const ownSteps = new Set(['intercepting', 'awaiting_platform_refund', 'awaiting_replacement']);
  const stuck = open.filter((c) => ownSteps.has(c.stage) && !c.alert);
  const stockedTwice = [...stockInKeys].filter(([, keys]) => keys.size > 1).map(([caseNo, keys]) => `${caseNo} (${[...keys].join(', ')})`);
  const returnsDone = cases.filter((c) => c.type === 'return' && c.stage === 'done');
  const notStocked = returnsDone.filter((c) => !stockInKeys.has(c.caseNo));
  const byStage: Record<string, number> = {};
  for (const c of cases) byStage[c.stage] = (byStage[c.stage] ?? 0) + 1;
  const asked = (kind: BuyerRefund['kind']) => input.buyerRefunds.filter((r) => r.kind === kind).length;
  lines.push(
    `after-sales: buyers asked ${input.buyerRefunds.length} refund(s) (before shipment ${asked('before_shipment')}, returns ${asked('return')}) on ${new Set(input.buyerRefunds.map((r) => r.orderId)).size} order(s); ` +
      `cases ${cases.length} (${Object.entries(byStage).sort().map(([st, n]) => `${st} ${n}`).join(', ') || 'none'}); platform payments ${payments.length} for ${paid.size} refund(s); cases put back in stock ${stockInKeys.size}`,
  );
  if (open.length) lines.push(`  cases still open: ${list(open.map((c) => `${c.caseNo} ${c.stage}${c.alert ? `: ${c.alert}` : ''}`))}`);
  if (noCase.length) failures.push(`${noCase.length} refund(s) the buyer asked never opened a case: ${list(noCase.map((r) => `${r.refundId} (${r.tid})`))}`);
  if (paidTwice.length) failures.push(`refunds paid more than once on the platform: ${list(paidTwice)}`);
  if (doneUnpaid.length) failures.push(`cases done through the platform whose refund it did not pay exactly once: ${list(doneUnpaid.map((c) => `${c.caseNo} (${c.platformRefundId} ×${paid.get(c.platformRefundId) ?? 0})`))}`);
  if (closedPaid.length) failures.push(`closed cases whose refund the platform paid: ${list(closedPaid.map((c) => `${c.caseNo} (${c.platformRefundId})`))}`);
  if (stuck.length) failures.push(`${stuck.length} case(s) stand in a step of their own without a reason: ${list(stuck.map((c) => `${c.caseNo} ${c.stage}`))}`);
  if (stockedTwice.length) failures.push(`cases that put goods back in stock more than once: ${list(stockedTwice)}`);
  if (notStocked.length) failures.push(`returns done whose goods never came back into stock: ${list(notStocked.map((c) => c.caseNo))}`);

  // 5. Transfers: each ended as its plan says; what each moved, read from its ledger rows against its lines.
  const transferProblems = checkTransfers(input.transfers, transferRows, transferLedger);
  const ends: Record<string, number> = {};
  for (const r of transferRows) ends[r.stage] = (ends[r.stage] ?? 0) + 1;
  const short = transferRows.filter((r) => r.stage === 'done' && r.snapshot?.lines.some((l) => l.receivedQty !== l.qty)).length;
  lines.push(`transfers: ${input.transfers.length} created; ended ${Object.entries(ends).sort().map(([st, n]) => `${st} ${n}`).join(', ') || 'none'} (received short and approved ${short}); ledger rows ${transferLedger.length}`);
  if (transferProblems.length) failures.push(`transfers: ${list(transferProblems)}`);

  // 6. No workflow ended badly.
  const byStatus: Record<string, number> = {};
  const bad: string[] = [];
  for await (const wf of input.client.workflow.list()) {
    const status = wf.status.name;
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    if (FAILED_STATUSES.has(status)) bad.push(`${wf.workflowId} (${wf.type}) ${status}`);
  }
  lines.push(`workflows: ${Object.entries(byStatus).sort().map(([s, n]) => `${s.toLowerCase()} ${n}`).join(', ')}`);
  if (bad.length) failures.push(`${bad.length} workflow(s) failed, timed out or were terminated: ${list(bad)}`);

  return { lost: missing.length + silent.length + noCase.length, ended: ended.length, waitingVisibly: waiting.length, lines, failures };
}

/**
 * Each transfer against its plan and its ledger rows: the end its plan names; one idempotency key per step (out, in,
 * back), so nothing moved twice; a cancelled one moved nothing; a done one took its lines out of the source and put what
 * was counted into the destination (a difference approved by someone other than the counter); a reversed one nets to
 * zero in both warehouses.
 */
export function checkTransfers(planned: ReadonlyArray<{ transferNo: string; plan: TransferPlan }>, rows: readonly StockTransfer[], ledger: readonly StockLedgerEntry[]): string[] {
  const problems: string[] = [];
  const rowOf = new Map(rows.map((r) => [r.transferNo, r]));
  const ledgerOf = new Map<string, StockLedgerEntry[]>();
  for (const e of ledger) ledgerOf.set(e.refId, [...(ledgerOf.get(e.refId) ?? []), e]);
  for (const { transferNo: no, plan } of planned) {
    const row = rowOf.get(no);
    const s = row?.snapshot;
    if (!row || !s) {
      problems.push(`${no} is not in the database`);
      continue;
    }
    if (row.stage !== PLANNED_END[plan]) problems.push(`${no} (${plan}) ended ${row.stage}, not ${PLANNED_END[plan]}`);
    const entries = ledgerOf.get(no) ?? [];
    for (const kind of ['transfer_out', 'transfer_in', 'transfer_back'] as const) {
      const rowsOfKind = entries.filter((e) => e.kind === kind);
      const keys = new Set(rowsOfKind.map((e) => e.idempotencyKey));
      if (keys.size > 1) problems.push(`${no} booked ${kind} under ${keys.size} keys: ${[...keys].join(', ')}`);
      const perSku = new Set(rowsOfKind.map((e) => `${e.warehouseCode}/${e.skuCode}`));
      if (perSku.size !== rowsOfKind.length) problems.push(`${no} booked ${kind} twice for one SKU`);
    }
    const net = new Map<string, number>();
    for (const e of entries) net.set(`${e.warehouseCode}/${e.skuCode}`, (net.get(`${e.warehouseCode}/${e.skuCode}`) ?? 0) + e.onHandDelta);
    const expected = new Map<string, number>();
    // Still on the way (a transfer that did not end as planned): out of the source, nothing in yet.
    if (IN_TRANSIT_STAGES.includes(row.stage)) for (const l of s.lines) expected.set(`${s.fromWarehouseCode}/${l.skuCode}`, -l.qty);
    if (row.stage === 'done') {
      for (const l of s.lines) {
        expected.set(`${s.fromWarehouseCode}/${l.skuCode}`, -l.qty);
        if (l.receivedQty) expected.set(`${s.toWarehouseCode}/${l.skuCode}`, l.receivedQty);
      }
      if (s.lines.some((l) => l.receivedQty !== l.qty) && (!s.difference || s.difference.by === s.inbound?.by)) problems.push(`${no} booked a difference without a second person's approval`);
    }
    // Cancelled and reversed transfers leave every warehouse as it was.
    const keys = new Set([...net.keys(), ...expected.keys()]);
    const off = [...keys].filter((k) => (net.get(k) ?? 0) !== (expected.get(k) ?? 0));
    if (off.length) problems.push(`${no} ${row.stage} moved ${off.map((k) => `${k} ${net.get(k) ?? 0} (expected ${expected.get(k) ?? 0})`).join(', ')}`);
  }
  return problems;
}
