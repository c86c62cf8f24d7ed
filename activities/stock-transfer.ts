/**
 * Stock transfer activities: write a transfer's read model and audit, and move its stock out of the source, into the
 * destination, or back into the source, each once per key through the ledger.
 */
import { StockTransfer, StockTransferLine } from '../db/entities';
import type { Db } from '../db/orm';
import type { StockQuality } from '../domain/after-sale';
import type { AuditEntry } from '../domain/order-snapshot';
import { IN_TRANSIT_STAGES, type TransferSnapshot } from '../domain/stock-transfer';
import { fitText } from '../domain/text-limits';
import { writeAuditRows } from './audit-rows';
import { ensureLevel } from './stock';
import { moveOnHandOnce, type OnHandMoveResult } from './stock-movements';

export interface SaveTransferInput {
  snapshot: TransferSnapshot;
  audit: AuditEntry[];
}

export interface TransferMoveInput {
  /** transfer:<no>:out | :in | :back — one ledger key per step. */
  key: string;
  transferNo: string;
  warehouseCode: string;
  quality: StockQuality;
  lines: Array<{ skuCode: string; qty: number }>;
  actor: string;
}

export function createStockTransferActivities({ db }: { db: Db }) {
  const move = (input: TransferMoveInput, kind: 'transfer_out' | 'transfer_in' | 'transfer_back', sign: 1 | -1, note: string): Promise<OnHandMoveResult> =>
    moveOnHandOnce(db, {
      key: input.key, kind, warehouseCode: input.warehouseCode, quality: input.quality,
      lines: input.lines.map((l) => ({ skuCode: l.skuCode, delta: sign * l.qty })), refType: 'transfer', refId: input.transferNo,
      actor: input.actor, note,
    });

  return {
    /**
     * Writes the transfer row, its lines' received quantities and its audit rows in one transaction; the row changes only
     * when the stored version is older, so a late retry of an older write never overwrites a newer state.
     */
    async saveTransfer({ snapshot: s, audit }: SaveTransferInput): Promise<void> {
      await db.em().fork().transactional(async (em) => {
        const row = {
          workflowId: s.workflowId, stage: s.stage, version: s.version, fromWarehouseCode: s.fromWarehouseCode, toWarehouseCode: s.toWarehouseCode,
          quality: s.quality, costBasis: s.costBasis, memo: fitText(s.memo, 255), itemCount: s.lines.reduce((n, l) => n + l.qty, 0),
          snapshot: s, alert: fitText(s.alert, 255), createdBy: s.createdBy, updatedAt: new Date(),
          outboundAt: s.outbound ? new Date(s.outbound.at) : null, inboundAt: s.inbound ? new Date(s.inbound.at) : null,
          doneAt: s.doneAt ? new Date(s.doneAt) : null,
        };
        let won = (await em.nativeUpdate(StockTransfer, { transferNo: s.transferNo, version: { $lt: s.version } }, row)) === 1;
        // The page wrote the row first; a transfer whose row is missing (started from a script) gets it now.
        if (!won && !(await em.count(StockTransfer, { transferNo: s.transferNo }))) {
          await em.insert(StockTransfer, { ...row, transferNo: s.transferNo, createdAt: new Date(s.createdAt) });
          won = true;
        }
        if (won) {
          const have = new Set((await em.find(StockTransferLine, { transferNo: s.transferNo }, { fields: ['skuCode'] })).map((l) => l.skuCode));
          for (const l of s.lines) {
            if (have.has(l.skuCode)) await em.nativeUpdate(StockTransferLine, { transferNo: s.transferNo, skuCode: l.skuCode }, { receivedQty: l.receivedQty });
            else await em.insert(StockTransferLine, { transferNo: s.transferNo, skuCode: l.skuCode, qty: l.qty, costFen: l.costFen, receivedQty: l.receivedQty });
          }
        }
        // 库存查询 lists levels: goods in transit to a warehouse that never held the SKU need a (zero) level to show on.
        if (won && IN_TRANSIT_STAGES.includes(s.stage)) {
          for (const l of s.lines) await ensureLevel(em, l.skuCode, s.toWarehouseCode, s.quality, new Date());
        }
        await writeAuditRows(em, 'transfer', s.transferNo, audit);
      });
    },

    /** 出库: the goods leave the source; short stock moves nothing and names what is short. */
    shipTransfer: (input: TransferMoveInput) => move(input, 'transfer_out', -1, '调拨出库'),
    /** 入库: the counted goods arrive at the destination. */
    receiveTransfer: async (input: TransferMoveInput): Promise<void> => void (await move(input, 'transfer_in', 1, '调拨入库')),
    /** 冲销出库: what left the source goes back to it, so a reversed transfer leaves both warehouses as they were. */
    returnTransfer: async (input: TransferMoveInput): Promise<void> => void (await move(input, 'transfer_back', 1, '冲销调拨出库')),
  };
}
