/** Drives stock transfers in tests the way the pages do: create through the page's action, decide through Updates with action ids. */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { StockLevel, StockTransfer } from '../../db/entities';
import type { Actor } from '../../domain/roles';
import type { TransferSnapshot, TransferStage } from '../../domain/stock-transfer';
import { createTransfer, type CreateTransferInput } from '../../api/stock/create-transfer';
import {
  cancelTransferUpdate,
  differenceUpdate,
  inboundUpdate,
  outboundUpdate,
  reverseTransferUpdate,
  transferStateQuery,
  type TransferDecisionResult,
} from '../../workflows/stock-transfer-messages';
import { actors, eventually, type Stack } from './stack';

export const transferActors = {
  warehouse: actors.warehouse,
  /** A second warehouse clerk: a counted difference needs someone other than the counter. */
  warehouse2: { username: 'cangku2', displayName: '仓库 小张', roles: ['warehouse'] } as Actor,
  admin: actors.admin,
  customerService: actors.customerService,
};

export function transferDriver(stack: Pick<Stack, 'db' | 'client' | 'taskQueue'>) {
  const handle = (transferNo: string): WorkflowHandle => stack.client.workflow.getHandle(`transfer:${transferNo}`);
  const version = async (transferNo: string) => (await handle(transferNo).query(transferStateQuery)).version;
  const send = async <A>(transferNo: string, update: typeof outboundUpdate | typeof inboundUpdate | typeof differenceUpdate | typeof cancelTransferUpdate | typeof reverseTransferUpdate, args: A, updateId: string = randomUUID()): Promise<TransferDecisionResult> =>
    handle(transferNo).executeUpdate(update as typeof outboundUpdate, { args: [args as never], updateId });

  return {
    handle,
    version,
    async create(lines: Array<{ code: string; qty: number }>, over: Partial<CreateTransferInput> = {}, taskQueue = stack.taskQueue): Promise<string> {
      const r = await createTransfer({ db: stack.db, temporal: stack.client, taskQueue }, transferActors.warehouse, {
        actionId: randomUUID(), fromWarehouseCode: 'MAIN', toWarehouseCode: 'RET', quality: 'good', costBasis: 'same_price', memo: '补货到退货仓', lines, ...over,
      });
      if (!r.ok) throw new Error(r.message);
      return r.transferNo;
    },
    async outbound(transferNo: string, actor = transferActors.warehouse, updateId?: string) {
      return send(transferNo, outboundUpdate, { actor, expectedVersion: await version(transferNo) }, updateId);
    },
    async inbound(transferNo: string, received: Array<{ skuCode: string; qty: number }>, actor = transferActors.warehouse) {
      return send(transferNo, inboundUpdate, { actor, expectedVersion: await version(transferNo), received });
    },
    async difference(transferNo: string, decision: 'approve' | 'reject', actor = transferActors.warehouse2, reason?: string) {
      return send(transferNo, differenceUpdate, { actor, expectedVersion: await version(transferNo), decision, reason });
    },
    async cancel(transferNo: string, reason: string, actor = transferActors.warehouse) {
      return send(transferNo, cancelTransferUpdate, { actor, expectedVersion: await version(transferNo), reason });
    },
    async reverse(transferNo: string, decision: 'request' | 'approve' | 'reject', actor: Actor, reason?: string) {
      return send(transferNo, reverseTransferUpdate, { actor, expectedVersion: await version(transferNo), decision, reason });
    },
    /** Waits until the read model shows the stage (the workflow writes it before it answers, but a test may look first). */
    async waitForStage(transferNo: string, stage: TransferStage): Promise<TransferSnapshot> {
      return eventually(async () => {
        const row = await stack.db.em().fork().findOne(StockTransfer, { transferNo });
        return row?.stage === stage && row.snapshot ? row.snapshot : null;
      }, `transfer ${transferNo} to reach ${stage}`);
    },
    async onHand(skuCode: string, warehouseCode: string): Promise<number> {
      return (await stack.db.em().fork().findOne(StockLevel, { skuCode, warehouseCode, quality: 'good' }))?.onHand ?? 0;
    },
  };
}
