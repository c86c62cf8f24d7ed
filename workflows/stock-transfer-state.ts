/** Pure helpers of the stock transfer workflow: its first snapshot and the decision check its validators run. */
import { can, type Actor, type Permission } from '../domain/roles';
import { TRANSFER_STAGE_LABELS, type TransferSnapshot, type TransferStage } from '../domain/stock-transfer';
import type { StockTransferInput } from './stock-transfer-messages';
import { assertSignedActor } from './actor-signature';

export function initialTransferSnapshot(input: StockTransferInput, workflowId: string): TransferSnapshot {
  return {
    transferNo: input.transferNo,
    workflowId,
    stage: 'created',
    version: 1,
    fromWarehouseCode: input.fromWarehouseCode,
    toWarehouseCode: input.toWarehouseCode,
    quality: input.quality,
    costBasis: input.costBasis,
    memo: input.memo,
    lines: input.lines.map((l) => ({ ...l, receivedQty: null })),
    outbound: null,
    inbound: null,
    difference: null,
    reverse: null,
    printedAt: null,
    printCount: 0,
    cancelledReason: '',
    alert: '',
    createdBy: input.createdBy.username,
    createdAt: input.createdAt,
    doneAt: null,
  };
}

/** Throws the reason a decision may not be taken on this transfer now; the UI shows it as is. */
export function assertTransferDecision(s: TransferSnapshot, d: { actor: Actor; expectedVersion: number }, permission: Permission, stages: readonly TransferStage[]): void {
  if (!d?.actor?.username) throw new Error('缺少操作人');
  assertSignedActor(d.actor);
  if (!can(d.actor.roles ?? [], permission)) throw new Error(`${d.actor.displayName || d.actor.username} 没有此操作的权限`);
  if (!stages.includes(s.stage)) throw new Error(`调拨单 ${s.transferNo} 当前为「${TRANSFER_STAGE_LABELS[s.stage]}」，不能执行此操作`);
  if (d.expectedVersion !== s.version) throw new Error('调拨单已被他人修改，请刷新后重试');
}
