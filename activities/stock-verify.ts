/**
 * Checks the stock books the way an auditor would: every level equals the sum of its ledger, what is
 * reserved is exactly what open orders hold, each order's ledger matches where the order stands, nothing
 * is negative where the warehouse does not allow it, and no idempotency key moved stock twice.
 * Read-only; run it on a quiet system (orders reach the read model a moment after their stock moves).
 */
import type { EntityManager } from '@mikro-orm/knex';
import type { Db } from '../db/orm';
import { componentsOf } from '../domain/auto-review';
import type { OrderStatus } from '../domain/order-status';
import { loadSkuFacts } from './order';
import { verifyTransfers } from './stock-verify-transfers';

export type StockCheck = 'level_vs_ledger' | 'reserved_vs_open_orders' | 'order_ledger' | 'negative' | 'key_twice' | 'transfer_ledger';

export interface StockBreak {
  check: StockCheck;
  skuCode?: string;
  warehouseCode?: string;
  orderId?: string;
  idempotencyKey?: string;
  /** What the books should say and what they say, for the figure named in `message`. */
  expected?: number;
  actual?: number;
  message: string;
}

export interface StockFigures {
  levels: number;
  ledgerRows: number;
  onHand: number;
  reserved: number;
  /** Approved and not yet shipped or cancelled: these hold stock. */
  openOrders: number;
  shippedOrders: number;
  /** Transfers on the books and the units they have in transit; present once there is any transfer. */
  transfers?: number;
  inTransit?: number;
}

export interface StockVerification {
  ok: boolean;
  figures: StockFigures;
  breaks: StockBreak[];
}

/** Approved orders that hold a reservation until they ship or are cancelled. */
const HOLDING: readonly OrderStatus[] = ['waybill_pending', 'ready_to_print', 'printed'];
/** Orders whose stock has left the shelf. */
const SHIPPED: readonly OrderStatus[] = ['shipped', 'done'];

interface Pair {
  onHand: number;
  reserved: number;
}

/** Stock is kept per SKU, warehouse and quality (良品 good / 次品 defective); orders only ever move good stock. */
const place = (skuCode: string, warehouseCode: string, quality = 'good') => `${skuCode}\u0000${warehouseCode}\u0000${quality}`;
const unplace = (key: string) => key.split('\u0000') as [string, string, string];
/** Where a figure is, as staff read it: the quality is named only for defective stock. */
const where = (key: string) => {
  const [skuCode, warehouseCode, quality] = unplace(key);
  return { skuCode, warehouseCode, at: `${skuCode} @ ${warehouseCode}${quality === 'good' ? '' : ` (${quality})`}` };
};

export async function verifyStock(db: Db): Promise<StockVerification> {
  const em = db.em();
  const breaks: StockBreak[] = [];

  const levels = await rows<{ sku_code: string; warehouse_code: string; quality: string; on_hand: unknown; reserved: unknown }>(
    em, 'SELECT sku_code, warehouse_code, quality, on_hand, reserved FROM stock_level');
  const ledger = await rows<{ sku_code: string; warehouse_code: string; quality: string; on_hand: unknown; reserved: unknown; n: unknown }>(
    em, 'SELECT sku_code, warehouse_code, quality, SUM(on_hand_delta) AS on_hand, SUM(reserved_delta) AS reserved, COUNT(*) AS n FROM stock_ledger GROUP BY sku_code, warehouse_code, quality');
  const warehouses = await rows<{ code: string; allow_negative: unknown }>(em, 'SELECT code, allow_negative FROM warehouse');
  const allowNegative = new Map(warehouses.map((w) => [w.code, Boolean(Number(w.allow_negative))]));

  // 1. Each level equals the sum of its ledger, in both figures; a level without rows or rows without a level count too.
  const level = new Map<string, Pair>(levels.map((l) => [place(l.sku_code, l.warehouse_code, l.quality), { onHand: Number(l.on_hand), reserved: Number(l.reserved) }]));
  const booked = new Map<string, Pair>(ledger.map((l) => [place(l.sku_code, l.warehouse_code, l.quality), { onHand: Number(l.on_hand), reserved: Number(l.reserved) }]));
  for (const d of differences(booked, level)) {
    breaks.push({ check: 'level_vs_ledger', skuCode: d.skuCode, warehouseCode: d.warehouseCode, expected: d.expected, actual: d.actual,
      message: `${d.at}: ${d.figure} is ${d.actual}, its ledger sums to ${d.expected}` });
  }

  // 2. Nothing negative where the warehouse does not allow it; a negative reservation is wrong anywhere.
  for (const [key, have] of level) {
    const { skuCode, warehouseCode, at } = where(key);
    const mayGoNegative = allowNegative.get(warehouseCode) ?? false;
    const negatives: Array<[string, number]> = [['reserved', have.reserved]];
    if (!mayGoNegative) negatives.push(['onHand', have.onHand], ['available', have.onHand - have.reserved]);
    for (const [figure, value] of negatives) {
      if (value < 0) breaks.push({ check: 'negative', skuCode, warehouseCode, actual: value, message: `${at}: ${figure} is ${value}` });
    }
  }

  // 3. What each order holds, from its lines as reserve computed it (bundles as components).
  const statuses = [...HOLDING, ...SHIPPED];
  const marks = statuses.map(() => '?').join(', ');
  const orders = await rows<{ id: string; status: OrderStatus; warehouse_code: string }>(
    em, `SELECT id, status, warehouse_code FROM orders WHERE status IN (${marks})`, statuses);
  const lines = await rows<{ order_id: string; sku_code: string; qty: unknown }>(
    em, `SELECT l.order_id, l.sku_code, l.qty FROM order_line l JOIN orders o ON o.id = l.order_id WHERE o.status IN (${marks})`, statuses);
  const skus = await loadSkuFacts(db, lines.map((l) => l.sku_code));
  const linesOf = new Map<string, Array<{ skuCode: string; qty: number }>>();
  for (const l of lines) {
    const list = linesOf.get(l.order_id) ?? [];
    list.push({ skuCode: l.sku_code, qty: Number(l.qty) });
    linesOf.set(l.order_id, list);
  }
  /** orderId → place → what its ledger should net to. */
  const expected = new Map<string, Map<string, Pair>>();
  const heldByOpenOrders = new Map<string, number>();
  for (const o of orders) {
    const holding = HOLDING.includes(o.status);
    const want = new Map<string, Pair>();
    for (const [skuCode, qty] of Object.entries(componentsOf(linesOf.get(o.id) ?? [], skus))) {
      const key = place(skuCode, o.warehouse_code);
      want.set(key, holding ? { onHand: 0, reserved: qty } : { onHand: -qty, reserved: 0 });
      if (holding) heldByOpenOrders.set(key, (heldByOpenOrders.get(key) ?? 0) + qty);
    }
    expected.set(o.id, want);
  }

  // 4. Reserved equals what open orders hold, per SKU and warehouse.
  for (const key of new Set([...level.keys(), ...heldByOpenOrders.keys()])) {
    const { skuCode, warehouseCode, at } = where(key);
    const reserved = level.get(key)?.reserved ?? 0;
    const held = heldByOpenOrders.get(key) ?? 0;
    if (reserved !== held) {
      breaks.push({ check: 'reserved_vs_open_orders', skuCode, warehouseCode, expected: held, actual: reserved,
        message: `${at}: reserved is ${reserved}, open orders hold ${held}` });
    }
  }

  // 5. Each order's own ledger nets to where it stands: reserved while open, deducted once shipped, nothing otherwise.
  const orderLedger = await rows<{ ref_id: string; sku_code: string; warehouse_code: string; quality: string; on_hand: unknown; reserved: unknown }>(
    em, "SELECT ref_id, sku_code, warehouse_code, quality, SUM(on_hand_delta) AS on_hand, SUM(reserved_delta) AS reserved FROM stock_ledger WHERE ref_type = 'order' GROUP BY ref_id, sku_code, warehouse_code, quality");
  const actualByOrder = new Map<string, Map<string, Pair>>();
  for (const r of orderLedger) {
    const m = actualByOrder.get(r.ref_id) ?? new Map<string, Pair>();
    m.set(place(r.sku_code, r.warehouse_code, r.quality), { onHand: Number(r.on_hand), reserved: Number(r.reserved) });
    actualByOrder.set(r.ref_id, m);
  }
  for (const orderId of new Set([...expected.keys(), ...actualByOrder.keys()])) {
    for (const d of differences(expected.get(orderId) ?? new Map(), actualByOrder.get(orderId) ?? new Map())) {
      breaks.push({ check: 'order_ledger', orderId, skuCode: d.skuCode, warehouseCode: d.warehouseCode, expected: d.expected, actual: d.actual,
        message: `${orderId} ${d.at}: its ledger nets ${d.figure} ${d.actual}, the order's state says ${d.expected}` });
    }
  }

  // 6. No idempotency key applied twice: the unique index forbids it, this catches a database that lost the index.
  const twice = await rows<{ idempotency_key: string; sku_code: string; warehouse_code: string; n: unknown }>(
    em, 'SELECT idempotency_key, sku_code, warehouse_code, COUNT(*) AS n FROM stock_ledger GROUP BY idempotency_key, sku_code, warehouse_code, quality HAVING COUNT(*) > 1');
  for (const t of twice) {
    breaks.push({ check: 'key_twice', idempotencyKey: t.idempotency_key, skuCode: t.sku_code, warehouseCode: t.warehouse_code, actual: Number(t.n),
      message: `key ${t.idempotency_key} moved ${t.sku_code} @ ${t.warehouse_code} ${Number(t.n)} times` });
  }
  const mixed = await rows<{ idempotency_key: string }>(
    em, 'SELECT idempotency_key FROM stock_ledger GROUP BY idempotency_key HAVING COUNT(DISTINCT kind) > 1');
  for (const t of mixed) {
    breaks.push({ check: 'key_twice', idempotencyKey: t.idempotency_key, message: `key ${t.idempotency_key} was used for movements of different kinds` });
  }

  // 7. Each transfer's ledger nets to where it stands; its in-transit stock is what left the source and has not arrived.
  const transfers = await verifyTransfers(em);
  for (const b of transfers.breaks) {
    breaks.push({ check: 'transfer_ledger', skuCode: b.skuCode, warehouseCode: b.warehouseCode, expected: b.expected, actual: b.actual, message: b.message });
  }

  const figures: StockFigures = {
    levels: levels.length,
    ledgerRows: ledger.reduce((n, l) => n + Number(l.n), 0),
    onHand: [...level.values()].reduce((n, l) => n + l.onHand, 0),
    reserved: [...level.values()].reduce((n, l) => n + l.reserved, 0),
    openOrders: orders.filter((o) => HOLDING.includes(o.status)).length,
    shippedOrders: orders.filter((o) => SHIPPED.includes(o.status)).length,
    ...(transfers.transfers ? { transfers: transfers.transfers, inTransit: transfers.inTransit } : {}),
  };
  return { ok: breaks.length === 0, figures, breaks };
}

/** Each figure that differs between what should be and what is, per SKU and warehouse; a missing place counts as zero. */
function differences(expected: ReadonlyMap<string, Pair>, actual: ReadonlyMap<string, Pair>) {
  const out: Array<{ skuCode: string; warehouseCode: string; at: string; figure: keyof Pair; expected: number; actual: number }> = [];
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const { skuCode, warehouseCode, at } = where(key);
    const want = expected.get(key) ?? { onHand: 0, reserved: 0 };
    const got = actual.get(key) ?? { onHand: 0, reserved: 0 };
    for (const figure of ['onHand', 'reserved'] as const) {
      if (want[figure] !== got[figure]) out.push({ skuCode, warehouseCode, at, figure, expected: want[figure], actual: got[figure] });
    }
  }
  return out;
}

async function rows<T>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  return em.getConnection().execute<T[]>(sql, params, 'all');
}
