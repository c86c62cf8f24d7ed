/** Stock activities: reserve, release and deduct an order's items, each movement once per idempotency key. */
import type { EntityManager } from '@mikro-orm/knex';
import { StockLedgerEntry, Warehouse, type StockMovementKind } from '../db/entities';
import type { Db } from '../db/orm';
import type { ReturnStockLine, StockQuality } from '../domain/after-sale';
import { componentsOf } from '../domain/auto-review';
import { loadSkuFacts } from './order';

export interface StockMoveInput {
  /** Workflow id + step, e.g. order:tb:123:reserve:1; a retried activity finds its ledger rows and returns. */
  key: string;
  orderId: string;
  warehouseCode: string;
  lines: Array<{ skuCode: string; qty: number }>;
  actor: string;
}

export interface Shortage {
  skuCode: string;
  needed: number;
  available: number;
}

export interface ReserveStockResult {
  ok: boolean;
  shortages: Shortage[];
}

class ShortStock extends Error {
  constructor(readonly shortages: Shortage[]) {
    super('short');
  }
}

export function createStockActivities({ db }: { db: Db }) {
  async function move(input: StockMoveInput, kind: StockMovementKind): Promise<ReserveStockResult> {
    const skus = await loadSkuFacts(db, input.lines.map((l) => l.skuCode));
    const need = componentsOf(input.lines, skus);
    const em0 = db.em();
    const warehouse = await em0.findOne(Warehouse, { code: input.warehouseCode });
    const allowNegative = warehouse?.allowNegative ?? false;
    try {
      await em0.transactional(async (em) => {
        if (await em.count(StockLedgerEntry, { idempotencyKey: input.key }, {})) return;
        const shortages: Shortage[] = [];
        const now = new Date();
        const rows: Array<Partial<StockLedgerEntry>> = [];
        for (const [skuCode, qty] of Object.entries(need).sort(([a], [b]) => a.localeCompare(b))) {
          await ensureLevel(em, skuCode, input.warehouseCode, 'good', now);
          const [onHandDelta, reservedDelta] = kind === 'reserve' ? [0, qty] : kind === 'release' ? [0, -qty] : [-qty, -qty];
          const guard = kind === 'reserve' && !allowNegative ? ' AND on_hand - reserved >= ?' : '';
          const params: unknown[] = [onHandDelta, reservedDelta, now, skuCode, input.warehouseCode];
          if (guard) params.push(qty);
          const res = await exec(
            em,
            `UPDATE stock_level SET on_hand = on_hand + ?, reserved = reserved + ?, updated_at = ? WHERE sku_code = ? AND warehouse_code = ? AND quality = 'good'${guard}`,
            params,
          );
          // A refused reservation names what is really available now, not what this transaction's snapshot saw.
          const level = res.affectedRows ? await readLevel(em, skuCode, input.warehouseCode, 'good') : await readLatestLevel(em, skuCode, input.warehouseCode, 'good');
          if (res.affectedRows === 0) {
            shortages.push({ skuCode, needed: qty, available: level.onHand - level.reserved });
            continue;
          }
          rows.push({
            idempotencyKey: input.key, kind, skuCode, warehouseCode: input.warehouseCode, onHandDelta, reservedDelta,
            onHandAfter: level.onHand, reservedAfter: level.reserved, refType: 'order', refId: input.orderId,
            actor: input.actor, note: '', at: now,
          });
        }
        if (shortages.length) throw new ShortStock(shortages);
        if (rows.length) await em.insertMany(StockLedgerEntry, rows);
      });
    } catch (err) {
      if (err instanceof ShortStock) return { ok: false, shortages: err.shortages };
      throw err;
    }
    return { ok: true, shortages: [] };
  }

  return {
    /** Reserves the order's items (bundles as components); short stock reserves nothing and names what is short. */
    reserveStock: (input: StockMoveInput) => move(input, 'reserve'),
    /** Gives a reservation back (send back, cancel, refund before shipment). */
    releaseStock: async (input: StockMoveInput): Promise<void> => void (await move(input, 'release')),
    /** Takes shipped items off the shelf: on hand and reserved both go down. */
    deductStock: async (input: StockMoveInput): Promise<void> => void (await move(input, 'deduct')),

    /**
     * 退货入库: puts QC'd return units on hand (bundles as components), good ones as sellable stock and defective ones as
     * defective stock, once per key: a retried or replayed stock-in finds its ledger rows and moves nothing again.
     */
    async stockInReturn(input: { key: string; caseNo: string; lines: ReturnStockLine[]; actor: string }): Promise<void> {
      const skus = await loadSkuFacts(db, input.lines.map((l) => l.skuCode));
      const moves = new Map<string, { skuCode: string; warehouseCode: string; quality: StockQuality; qty: number }>();
      for (const line of input.lines) {
        for (const [skuCode, qty] of Object.entries(componentsOf([{ skuCode: line.skuCode, qty: line.qty }], skus))) {
          const k = `${skuCode}\u0000${line.warehouseCode}\u0000${line.quality}`;
          const m = moves.get(k) ?? { skuCode, warehouseCode: line.warehouseCode, quality: line.quality, qty: 0 };
          m.qty += qty;
          moves.set(k, m);
        }
      }
      await db.em().transactional(async (em) => {
        if (await em.count(StockLedgerEntry, { idempotencyKey: input.key }, {})) return;
        const now = new Date();
        const rows: Array<Partial<StockLedgerEntry>> = [];
        for (const m of [...moves.values()].sort((a, b) => a.skuCode.localeCompare(b.skuCode) || a.warehouseCode.localeCompare(b.warehouseCode))) {
          await ensureLevel(em, m.skuCode, m.warehouseCode, m.quality, now);
          await exec(em, 'UPDATE stock_level SET on_hand = on_hand + ?, updated_at = ? WHERE sku_code = ? AND warehouse_code = ? AND quality = ?',
            [m.qty, now, m.skuCode, m.warehouseCode, m.quality]);
          const level = await readLevel(em, m.skuCode, m.warehouseCode, m.quality);
          rows.push({
            idempotencyKey: input.key, kind: 'return_in', skuCode: m.skuCode, warehouseCode: m.warehouseCode, quality: m.quality,
            onHandDelta: m.qty, reservedDelta: 0, onHandAfter: level.onHand, reservedAfter: level.reserved, refType: 'case',
            refId: input.caseNo, actor: input.actor, note: m.quality === 'defective' ? '退货次品' : '退货良品', at: now,
          });
        }
        if (rows.length) await em.insertMany(StockLedgerEntry, rows);
      });
    },
  };
}

export async function exec(em: EntityManager, sql: string, params: unknown[]): Promise<{ affectedRows: number }> {
  const res = (await em.getConnection().execute(sql, params, 'run', em.getTransactionContext())) as { affectedRows?: number; changes?: number };
  return { affectedRows: res.affectedRows ?? res.changes ?? 0 };
}

export async function ensureLevel(em: EntityManager, skuCode: string, warehouseCode: string, quality: StockQuality, now: Date): Promise<void> {
  const rows = await em.getConnection().execute<Array<{ n: number }>>(
    'SELECT COUNT(*) AS n FROM stock_level WHERE sku_code = ? AND warehouse_code = ? AND quality = ?', [skuCode, warehouseCode, quality], 'all', em.getTransactionContext());
  if (Number(rows[0]?.n ?? 0) > 0) return;
  await em.getConnection().execute(
    'INSERT INTO stock_level (sku_code, warehouse_code, quality, on_hand, reserved, updated_at) VALUES (?, ?, ?, 0, 0, ?)',
    [skuCode, warehouseCode, quality, now], 'run', em.getTransactionContext());
}

export async function readLevel(em: EntityManager, skuCode: string, warehouseCode: string, quality: StockQuality): Promise<{ onHand: number; reserved: number }> {
  const rows = await em.getConnection().execute<Array<{ on_hand: number; reserved: number }>>(
    'SELECT on_hand, reserved FROM stock_level WHERE sku_code = ? AND warehouse_code = ? AND quality = ?', [skuCode, warehouseCode, quality], 'all', em.getTransactionContext());
  return { onHand: Number(rows[0]?.on_hand ?? 0), reserved: Number(rows[0]?.reserved ?? 0) };
}

/** The level as committed now: on MySQL a locking read, since a plain one sees the transaction's older snapshot. */
export async function readLatestLevel(em: EntityManager, skuCode: string, warehouseCode: string, quality: StockQuality): Promise<{ onHand: number; reserved: number }> {
  const mysql = /mysql|maria/i.test(em.getPlatform().constructor.name);
  const rows = await em.getConnection().execute<Array<{ on_hand: number; reserved: number }>>(
    `SELECT on_hand, reserved FROM stock_level WHERE sku_code = ? AND warehouse_code = ? AND quality = ?${mysql ? ' FOR UPDATE' : ''}`,
    [skuCode, warehouseCode, quality], 'all', em.getTransactionContext());
  return { onHand: Number(rows[0]?.on_hand ?? 0), reserved: Number(rows[0]?.reserved ?? 0) };
}
