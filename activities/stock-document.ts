/**
 * 入库单/出库单 and 盘点 activities: write their read models and audit, move a document's stock once per key through the
 * ledger, find the orders a stock-in should wake, and work out a count sheet's variance against the books as they stood
 * when the count began, so movements made while counting are neither lost nor counted twice.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { StockDocument, Stocktake } from '../db/entities';
import type { Db } from '../db/orm';
import { ordersCoveredByStock } from '../db/orders-waiting-for-stock';
import type { StockQuality } from '../domain/after-sale';
import type { AuditEntry } from '../domain/order-snapshot';
import { STOCK_DOC_REASON_LABELS, type StockDocDirection, type StockDocSnapshot, type StocktakeLine, type StocktakeSnapshot } from '../domain/stock-document';
import { fitText } from '../domain/text-limits';
import { writeAuditRows } from './audit-rows';
import { moveOnHandOnce, type OnHandMoveResult } from './stock-movements';

export interface ApplyStockDocInput {
  key: string;
  docNo: string;
  direction: StockDocDirection;
  reason: string;
  warehouseCode: string;
  quality: StockQuality;
  lines: Array<{ skuCode: string; qty: number }>;
  actor: string;
}

async function sumLedger(em: EntityManager, warehouseCode: string, quality: StockQuality, skuCodes: string[], idFrom: number, idTo: number | null): Promise<Map<string, number>> {
  if (!skuCodes.length) return new Map();
  const marks = skuCodes.map(() => '?').join(', ');
  const params: unknown[] = [warehouseCode, quality, ...skuCodes, idFrom];
  let sql = `SELECT sku_code, SUM(on_hand_delta) AS n FROM stock_ledger WHERE warehouse_code = ? AND quality = ? AND sku_code IN (${marks}) AND id > ?`;
  if (idTo !== null) {
    sql += ' AND id <= ?';
    params.push(idTo);
  }
  const rows = await em.getConnection().execute<Array<{ sku_code: string; n: unknown }>>(`${sql} GROUP BY sku_code`, params, 'all');
  return new Map(rows.map((r) => [r.sku_code, Number(r.n)]));
}

export function createStockDocumentActivities({ db }: { db: Db }) {
  return {
    /** Writes a document's row and audit; a late retry of an older version never overwrites a newer one. */
    async saveStockDocument({ snapshot: s, audit }: { snapshot: StockDocSnapshot; audit: AuditEntry[] }): Promise<void> {
      await db.em().fork().transactional(async (em) => {
        const row = {
          workflowId: s.workflowId, direction: s.direction, reason: s.reason, stage: s.stage, version: s.version, warehouseCode: s.warehouseCode,
          quality: s.quality, memo: fitText(s.memo, 255), itemCount: s.lines.reduce((n, l) => n + l.qty, 0), snapshot: s, createdBy: s.createdBy,
          updatedAt: new Date(), approvedAt: s.approvedAt ? new Date(s.approvedAt) : null,
        };
        const won = (await em.nativeUpdate(StockDocument, { docNo: s.docNo, version: { $lt: s.version } }, row)) === 1;
        if (!won && !(await em.count(StockDocument, { docNo: s.docNo }))) await em.insert(StockDocument, { ...row, docNo: s.docNo, createdAt: new Date(s.createdAt) });
        await writeAuditRows(em, 'stockdoc', s.docNo, audit);
      });
    },

    /** 入库 puts the lines on hand, 出库 takes them off (never below zero unless the warehouse allows it), once per key. */
    applyStockDocument: (input: ApplyStockDocInput): Promise<OnHandMoveResult> =>
      moveOnHandOnce(db, {
        // An opening balance (期初) entered as a stock-in is booked as one, like the seeded ones.
        key: input.key, kind: input.direction === 'out' ? 'stock_out' : input.reason === 'opening' ? 'opening' : 'stock_in', warehouseCode: input.warehouseCode, quality: input.quality,
        lines: input.lines.map((l) => ({ skuCode: l.skuCode, delta: input.direction === 'in' ? l.qty : -l.qty })), refType: 'stockdoc', refId: input.docNo,
        actor: input.actor, note: STOCK_DOC_REASON_LABELS[input.reason] ?? input.reason,
      }),

    /**
     * The orders held for short stock (缺货) that want these SKUs and whose whole need the stock available now covers,
     * handed out oldest paid first; the rest keep waiting for the next stock-in.
     */
    async ordersWaitingFor(input: { skuCodes: string[]; warehouseCode: string }): Promise<string[]> {
      return (await ordersCoveredByStock(db.em().fork(), input.skuCodes, input.warehouseCode)).map((o) => o.id);
    },

    async saveStocktake({ snapshot: s, audit }: { snapshot: StocktakeSnapshot; audit: AuditEntry[] }): Promise<void> {
      await db.em().fork().transactional(async (em) => {
        const row = {
          workflowId: s.workflowId, stage: s.stage, version: s.version, warehouseCode: s.warehouseCode, quality: s.quality, snapshot: s,
          createdBy: s.createdBy, updatedAt: new Date(), approvedAt: s.approvedAt ? new Date(s.approvedAt) : null,
        };
        const won = (await em.nativeUpdate(Stocktake, { stocktakeNo: s.stocktakeNo, version: { $lt: s.version } }, row)) === 1;
        if (!won && !(await em.count(Stocktake, { stocktakeNo: s.stocktakeNo }))) await em.insert(Stocktake, { ...row, stocktakeNo: s.stocktakeNo, createdAt: new Date(s.createdAt) });
        await writeAuditRows(em, 'stocktake', s.stocktakeNo, audit);
      });
    },

    /** The last ledger row now: movements after it happen while the count is under way. */
    async ledgerWatermark(): Promise<number> {
      const [row] = await db.em().getConnection().execute<Array<{ n: unknown }>>('SELECT MAX(id) AS n FROM stock_ledger', [], 'all');
      return Number(row?.n ?? 0);
    },

    /**
     * Each counted SKU against the books when the count began (its ledger up to the watermark) and what moved since:
     * the variance (counted − book at start) is the adjustment, applied on top of whatever moved while counting.
     */
    async stocktakeVariance(input: { warehouseCode: string; quality: StockQuality; watermark: number; counts: Array<{ skuCode: string; counted: number }> }): Promise<StocktakeLine[]> {
      const em = db.em().fork();
      const codes = input.counts.map((c) => c.skuCode);
      const atStart = await sumLedger(em, input.warehouseCode, input.quality, codes, 0, input.watermark);
      const since = await sumLedger(em, input.warehouseCode, input.quality, codes, input.watermark, null);
      return input.counts.map((c) => {
        const book = atStart.get(c.skuCode) ?? 0;
        return { skuCode: c.skuCode, counted: c.counted, bookAtStart: book, movedSince: since.get(c.skuCode) ?? 0, variance: c.counted - book };
      });
    },

    /** 盘点调整: each variance booked once per key as an 'adjust' row; a loss that would leave reserved units uncovered moves nothing. */
    applyStocktake: (input: { key: string; stocktakeNo: string; warehouseCode: string; quality: StockQuality; lines: Array<{ skuCode: string; delta: number }>; actor: string }): Promise<OnHandMoveResult> =>
      moveOnHandOnce(db, {
        key: input.key, kind: 'adjust', warehouseCode: input.warehouseCode, quality: input.quality, lines: input.lines, refType: 'stocktake',
        refId: input.stocktakeNo, actor: input.actor, note: '盘点调整',
      }),
  };
}
