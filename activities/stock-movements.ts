/**
 * Moves on-hand stock of one warehouse and quality once per idempotency key, writing one ledger row per SKU: a retried
 * or replayed attempt finds its rows and moves nothing, and a decrease never takes available stock below zero unless
 * the warehouse allows it (then nothing at all moves and the shortages are named).
 */
import { StockLedgerEntry, Warehouse, type StockMovementKind } from '../db/entities';
import type { Db } from '../db/orm';
import type { StockQuality } from '../domain/after-sale';
import { ensureLevel, exec, readLatestLevel, readLevel, type Shortage } from './stock';

export interface OnHandMove {
  /** Document + step, e.g. transfer:DB20261127-0001:out; the unique ledger key makes the move happen once. */
  key: string;
  kind: StockMovementKind;
  warehouseCode: string;
  quality: StockQuality;
  /** Signed change of on hand per SKU; zero lines are skipped. */
  lines: Array<{ skuCode: string; delta: number }>;
  refType: string;
  refId: string;
  actor: string;
  note: string;
}

export interface OnHandMoveResult {
  ok: boolean;
  /** True when the key had already moved this stock (a retry or replay). */
  already: boolean;
  shortages: Shortage[];
}

class Short extends Error {
  constructor(readonly shortages: Shortage[]) {
    super('short');
  }
}

export async function moveOnHandOnce(db: Db, move: OnHandMove): Promise<OnHandMoveResult> {
  const em0 = db.em().fork();
  const warehouse = await em0.findOne(Warehouse, { code: move.warehouseCode });
  if (!warehouse) throw new Error(`仓库 ${move.warehouseCode} 不存在`);
  const lines = move.lines.filter((l) => l.delta !== 0).sort((a, b) => a.skuCode.localeCompare(b.skuCode));
  try {
    return await em0.transactional(async (em) => {
      if (await em.count(StockLedgerEntry, { idempotencyKey: move.key }, {})) return { ok: true, already: true, shortages: [] };
      const now = new Date();
      const rows: Array<Partial<StockLedgerEntry>> = [];
      const shortages: Shortage[] = [];
      for (const l of lines) {
        await ensureLevel(em, l.skuCode, move.warehouseCode, move.quality, now);
        // Reserved units are promised to orders: a decrease may take only what is available.
        const guard = l.delta < 0 && !warehouse.allowNegative ? ' AND on_hand - reserved >= ?' : '';
        const params: unknown[] = [l.delta, now, l.skuCode, move.warehouseCode, move.quality];
        if (guard) params.push(-l.delta);
        const res = await exec(em, `UPDATE stock_level SET on_hand = on_hand + ?, updated_at = ? WHERE sku_code = ? AND warehouse_code = ? AND quality = ?${guard}`, params);
        const level = res.affectedRows ? await readLevel(em, l.skuCode, move.warehouseCode, move.quality) : await readLatestLevel(em, l.skuCode, move.warehouseCode, move.quality);
        if (res.affectedRows === 0) {
          shortages.push({ skuCode: l.skuCode, needed: -l.delta, available: level.onHand - level.reserved });
          continue;
        }
        rows.push({
          idempotencyKey: move.key, kind: move.kind, skuCode: l.skuCode, warehouseCode: move.warehouseCode, quality: move.quality,
          onHandDelta: l.delta, reservedDelta: 0, onHandAfter: level.onHand, reservedAfter: level.reserved, refType: move.refType,
          refId: move.refId, actor: move.actor, note: move.note.slice(0, 255), at: now,
        });
      }
      if (shortages.length) throw new Short(shortages);
      if (rows.length) await em.insertMany(StockLedgerEntry, rows);
      return { ok: true, already: false, shortages: [] };
    });
  } catch (err) {
    if (err instanceof Short) return { ok: false, already: false, shortages: err.shortages };
    // Two attempts of one step racing: the unique ledger key let one commit and rolled the other back whole.
    if (await db.em().fork().count(StockLedgerEntry, { idempotencyKey: move.key })) return { ok: true, already: true, shortages: [] };
    throw err;
  }
}
