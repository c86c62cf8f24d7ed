/** Stock activities: reserve, release and deduct an order's items, each movement once per idempotency key. */
import type { EntityManager } from '@mikro-orm/knex';
import { StockLedgerEntry, Warehouse, type StockMovementKind } from '../db/entities';
import type { Db } from '../db/orm';
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
          await ensureLevel(em, skuCode, input.warehouseCode, now);
          const [onHandDelta, reservedDelta] = kind === 'reserve' ? [0, qty] : kind === 'release' ? [0, -qty] : [-qty, -qty];
          const guard = kind === 'reserve' && !allowNegative ? ' AND on_hand - reserved >= ?' : '';
          const params: unknown[] = [onHandDelta, reservedDelta, now, skuCode, input.warehouseCode];
          if (guard) params.push(qty);
          const res = await exec(
            em,
            `UPDATE stock_level SET on_hand = on_hand + ?, reserved = reserved + ?, updated_at = ? WHERE sku_code = ? AND warehouse_code = ?${guard}`,
            params,
          );
          const level = await readLevel(em, skuCode, input.warehouseCode);
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
  };
}

async function exec(em: EntityManager, sql: string, params: unknown[]): Promise<{ affectedRows: number }> {
  const res = (await em.getConnection().execute(sql, params, 'run', em.getTransactionContext())) as { affectedRows?: number; changes?: number };
  return { affectedRows: res.affectedRows ?? res.changes ?? 0 };
}

async function ensureLevel(em: EntityManager, skuCode: string, warehouseCode: string, now: Date): Promise<void> {
  const rows = await em.getConnection().execute<Array<{ n: number }>>(
    'SELECT COUNT(*) AS n FROM stock_level WHERE sku_code = ? AND warehouse_code = ?', [skuCode, warehouseCode], 'all', em.getTransactionContext());
  if (Number(rows[0]?.n ?? 0) > 0) return;
  await em.getConnection().execute(
    'INSERT INTO stock_level (sku_code, warehouse_code, on_hand, reserved, updated_at) VALUES (?, ?, 0, 0, ?)',
    [skuCode, warehouseCode, now], 'run', em.getTransactionContext());
}

async function readLevel(em: EntityManager, skuCode: string, warehouseCode: string): Promise<{ onHand: number; reserved: number }> {
  const rows = await em.getConnection().execute<Array<{ on_hand: number; reserved: number }>>(
    'SELECT on_hand, reserved FROM stock_level WHERE sku_code = ? AND warehouse_code = ?', [skuCode, warehouseCode], 'all', em.getTransactionContext());
  return { onHand: Number(rows[0]?.on_hand ?? 0), reserved: Number(rows[0]?.reserved ?? 0) };
}
