/**
 * The stock ledger of one SKU (all warehouses, or one), newest first: every movement with its kind, the document it
 * came from and the balance after it, as the activity that moved it recorded in the same transaction.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { z } from 'zod';
import { StockLedgerEntry } from '../../db/entities';
import { PAGE_SIZES, pagerFor, type Pager } from '../orders/order-list-query';

export const ledgerQuery = z.object({
  sku: z.string().trim().min(1, 'stock.skuRequired').max(60),
  warehouse: z.string().trim().max(40).default(''),
  quality: z.enum(['', 'good', 'defective']).default(''),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  size: z.coerce.number().int().refine((n) => (PAGE_SIZES as readonly number[]).includes(n), 'error.badPageSize').default(50),
});
export type LedgerQuery = z.output<typeof ledgerQuery>;

export interface LedgerRow {
  id: number;
  at: Date;
  kind: string;
  skuCode: string;
  warehouseCode: string;
  quality: string;
  onHandDelta: number;
  reservedDelta: number;
  onHandAfter: number;
  reservedAfter: number;
  refType: string;
  refId: string;
  /** Where the source document is shown, or '' for an opening balance. */
  refHref: string;
  actor: string;
  note: string;
}

/** The page of the document behind a movement. */
export function documentHref(refType: string, refId: string): string {
  switch (refType) {
    case 'order':
      return `/orders/${encodeURIComponent(refId)}`;
    case 'case':
      return `/after-sales/cases/${encodeURIComponent(refId)}`;
    case 'transfer':
      return `/stock/transfers/${encodeURIComponent(refId)}`;
    default:
      return '';
  }
}

export async function findLedgerPage(em: EntityManager, q: LedgerQuery): Promise<{ rows: LedgerRow[]; pager: Pager }> {
  const where = { skuCode: q.sku, ...(q.warehouse ? { warehouseCode: q.warehouse } : {}), ...(q.quality ? { quality: q.quality } : {}) };
  const total = await em.count(StockLedgerEntry, where);
  const pager = pagerFor(q.page, q.size, total);
  const rows = await em.find(StockLedgerEntry, where, { orderBy: { id: 'desc' }, limit: q.size, offset: (pager.page - 1) * q.size });
  return {
    pager,
    rows: rows.map((r) => ({
      id: r.id, at: r.at, kind: r.kind, skuCode: r.skuCode, warehouseCode: r.warehouseCode, quality: r.quality, onHandDelta: r.onHandDelta,
      reservedDelta: r.reservedDelta, onHandAfter: r.onHandAfter, reservedAfter: r.reservedAfter, refType: r.refType, refId: r.refId,
      refHref: documentHref(r.refType, r.refId), actor: r.actor, note: r.note,
    })),
  };
}
