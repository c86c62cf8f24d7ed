/**
 * The transfer half of the stock check: each transfer's ledger nets to where the transfer stands — nothing before
 * 出库审核 or after a cancel, its shipped quantities out of the source once it left, what was counted into the destination
 * once done, and all of it back into the source once reversed. What left and has not arrived is the transfer's in-transit
 * stock; it lives on the transfer (its lines in IN_TRANSIT_STAGES), not in a level row, so it is checked here, per transfer.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { IN_TRANSIT_STAGES, type TransferStage } from '../domain/stock-transfer';

export interface TransferBreak {
  transferNo: string;
  skuCode: string;
  warehouseCode: string;
  kind: 'transfer_out' | 'transfer_in' | 'transfer_back';
  expected: number;
  actual: number;
  message: string;
}

const LEFT_SOURCE: readonly TransferStage[] = [...IN_TRANSIT_STAGES, 'done', 'reversed'];

export async function verifyTransfers(em: EntityManager): Promise<{ transfers: number; inTransit: number; breaks: TransferBreak[] }> {
  const conn = em.getConnection();
  // A database from before transfers existed has no transfer tables, and so no transfers to check.
  const [tables] = await conn.execute<Array<{ n: unknown }>>(
    conn.getPlatform().constructor.name.includes('Sqlite')
      ? "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'stock_transfer'"
      : "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'stock_transfer'", [], 'all');
  if (!Number(tables?.n)) return { transfers: 0, inTransit: 0, breaks: [] };
  const lines = await conn.execute<Array<{ transfer_no: string; stage: TransferStage; from_warehouse_code: string; to_warehouse_code: string; sku_code: string; qty: unknown; received_qty: unknown }>>(
    'SELECT t.transfer_no, t.stage, t.from_warehouse_code, t.to_warehouse_code, l.sku_code, l.qty, l.received_qty FROM stock_transfer t JOIN stock_transfer_line l ON l.transfer_no = t.transfer_no', [], 'all');
  const ledger = await conn.execute<Array<{ ref_id: string; kind: TransferBreak['kind']; sku_code: string; warehouse_code: string; on_hand: unknown }>>(
    "SELECT ref_id, kind, sku_code, warehouse_code, SUM(on_hand_delta) AS on_hand FROM stock_ledger WHERE ref_type = 'transfer' GROUP BY ref_id, kind, sku_code, warehouse_code", [], 'all');

  const place = (no: string, kind: string, sku: string, wh: string) => `${no}\u0000${kind}\u0000${sku}\u0000${wh}`;
  const expected = new Map<string, number>();
  let inTransit = 0;
  for (const l of lines) {
    const qty = Number(l.qty);
    if (LEFT_SOURCE.includes(l.stage)) expected.set(place(l.transfer_no, 'transfer_out', l.sku_code, l.from_warehouse_code), -qty);
    if (l.stage === 'done' && Number(l.received_qty ?? 0) !== 0) expected.set(place(l.transfer_no, 'transfer_in', l.sku_code, l.to_warehouse_code), Number(l.received_qty));
    if (l.stage === 'reversed') expected.set(place(l.transfer_no, 'transfer_back', l.sku_code, l.from_warehouse_code), qty);
    if (IN_TRANSIT_STAGES.includes(l.stage)) inTransit += qty;
  }
  const actual = new Map(ledger.map((r) => [place(r.ref_id, r.kind, r.sku_code, r.warehouse_code), Number(r.on_hand)]));
  const breaks: TransferBreak[] = [];
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const want = expected.get(key) ?? 0;
    const got = actual.get(key) ?? 0;
    if (want === got) continue;
    const [transferNo = '', kind = 'transfer_out', skuCode = '', warehouseCode = ''] = key.split('\u0000');
    breaks.push({ transferNo, kind: kind as TransferBreak['kind'], skuCode, warehouseCode, expected: want, actual: got,
      message: `调拨单 ${transferNo} ${skuCode} @ ${warehouseCode}: its ${kind} rows net ${got}, the transfer's stage says ${want}` });
  }
  return { transfers: new Set(lines.map((l) => l.transfer_no)).size, inTransit, breaks };
}
