import { StockLedgerEntry, StockTransfer } from '../../db/entities';
import type { TransferSnapshot } from '../../domain/stock-transfer';
import { checkTransfers } from './drill-checks';

/** A transfer of 3 × A from MAIN to RET as the read model holds it once it reached `stage`. */
function transfer(no: string, stage: TransferSnapshot['stage'], receivedQty: number | null = null, difference: TransferSnapshot['difference'] = null): StockTransfer {
  const row = new StockTransfer();
  Object.assign(row, { transferNo: no, stage });
  row.snapshot = {
    transferNo: no, stage, fromWarehouseCode: 'MAIN', toWarehouseCode: 'RET', inbound: receivedQty === null ? null : { by: 'cangku', at: '' }, difference,
    lines: [{ skuCode: 'A', title: '', spec: '', qty: 3, costFen: 0, receivedQty }],
  } as unknown as TransferSnapshot;
  return row;
}

let id = 0;
function entry(no: string, kind: StockLedgerEntry['kind'], warehouseCode: string, onHandDelta: number, key = `transfer:${no}:${kind}`): StockLedgerEntry {
  const e = new StockLedgerEntry();
  Object.assign(e, { id: ++id, idempotencyKey: key, kind, skuCode: 'A', warehouseCode, onHandDelta, refType: 'transfer', refId: no });
  return e;
}

describe("the drill's transfer checks", () => {
  it('pass transfers that ended as planned and moved what their stage says', () => {
    const rows = [transfer('T1', 'done', 3), transfer('T2', 'done', 2, { by: 'admin', at: '' }), transfer('T3', 'reversed'), transfer('T4', 'cancelled')];
    const ledger = [
      entry('T1', 'transfer_out', 'MAIN', -3), entry('T1', 'transfer_in', 'RET', 3),
      entry('T2', 'transfer_out', 'MAIN', -3), entry('T2', 'transfer_in', 'RET', 2),
      entry('T3', 'transfer_out', 'MAIN', -3), entry('T3', 'transfer_back', 'MAIN', 3),
    ];
    const plans = [{ transferNo: 'T1', plan: 'full' as const }, { transferNo: 'T2', plan: 'short' as const }, { transferNo: 'T3', plan: 'reverse' as const }, { transferNo: 'T4', plan: 'cancel' as const }];
    expect(checkTransfers(plans, rows, ledger)).toEqual([]);
  });

  it('name a transfer that ended otherwise than planned, one booked twice, a reverse that did not restore the source, and a difference the counter approved', () => {
    const rows = [transfer('T1', 'in_transit'), transfer('T2', 'done', 3), transfer('T3', 'reversed'), transfer('T4', 'done', 2, { by: 'cangku', at: '' })];
    const ledger = [
      entry('T1', 'transfer_out', 'MAIN', -3),
      entry('T2', 'transfer_out', 'MAIN', -3), entry('T2', 'transfer_in', 'RET', 3), entry('T2', 'transfer_in', 'RET', 3, 'transfer:T2:in:again'),
      entry('T3', 'transfer_out', 'MAIN', -3),
      entry('T4', 'transfer_out', 'MAIN', -3), entry('T4', 'transfer_in', 'RET', 2),
    ];
    const plans = [{ transferNo: 'T1', plan: 'full' as const }, { transferNo: 'T2', plan: 'full' as const }, { transferNo: 'T3', plan: 'reverse' as const }, { transferNo: 'T4', plan: 'short' as const }, { transferNo: 'T5', plan: 'cancel' as const }];
    const problems = checkTransfers(plans, rows, ledger);
    expect(problems).toEqual([
      'T1 (full) ended in_transit, not done',
      'T2 booked transfer_in under 2 keys: transfer:T2:transfer_in, transfer:T2:in:again',
      'T2 booked transfer_in twice for one SKU',
      'T2 done moved RET/A 6 (expected 3)',
      'T3 reversed moved MAIN/A -3 (expected 0)',
      'T4 booked a difference without a second person\'s approval',
      'T5 is not in the database',
    ]);
  });
});
