/**
 * 调拨单: one stock transfer from creation to done. 出库审核 takes the goods out of the source (never below zero unless
 * the warehouse allows it) and puts them in transit; 入库审核 at the destination records what arrived, and a difference
 * waits for a second person; a transfer is cancelled before outbound and reversed (冲销出库 + 取消入库, an admin's
 * approval) after it, which puts the goods back where they were. The outbound note prints through the print worker.
 * Every stock move happens once per ledger key.
 */
import { ActivityFailure, allHandlersFinished, condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { db } from './database-activities';
import { innermostMessage } from '../domain/failure-message';
import { can, SYSTEM_ACTOR, type Actor, type Permission } from '../domain/roles';
import { receivedProblem, transferDifferences, type TransferSnapshot, type TransferStage } from '../domain/stock-transfer';
import { fitText, TEXT_LIMITS } from '../domain/text-limits';
import { commandQueue, recordBook } from './record-book';
import { assertSignedActor } from './actor-signature';
import {
  cancelTransferUpdate,
  differenceUpdate,
  inboundUpdate,
  outboundUpdate,
  printNoteUpdate,
  reverseTransferUpdate,
  transferStateQuery,
  type CancelTransferDecision,
  type DifferenceDecision,
  type InboundDecision,
  type OutboundDecision,
  type ReverseTransferDecision,
  type StockTransferInput,
  type TransferDecisionResult,
  type PrintNoteRequest,
} from './stock-transfer-messages';
import { assertTransferDecision, initialTransferSnapshot } from './stock-transfer-state';


type Command =
  | { kind: 'print'; d: PrintNoteRequest }
  | { kind: 'outbound'; d: OutboundDecision }
  | { kind: 'inbound'; d: InboundDecision }
  | { kind: 'difference'; d: DifferenceDecision }
  | { kind: 'cancel'; d: CancelTransferDecision }
  | { kind: 'reverse'; d: ReverseTransferDecision };

const FINISHED: readonly TransferStage[] = ['done', 'cancelled', 'reversed'];

export async function stockTransferWorkflow(input: StockTransferInput): Promise<TransferSnapshot> {
  const s = initialTransferSnapshot(input, workflowInfo().workflowId);
  const { now, record, change, flush } = recordBook(s, s.transferNo, (w) => db.saveTransfer(w));
  const queue = commandQueue<Command, TransferDecisionResult>();
  const moveTo = (stage: TransferStage) => {
    s.stage = stage;
    change();
  };
  const result = (ok: boolean, message: string): TransferDecisionResult => ({ ok, stage: s.stage, version: s.version, message });
  const enqueue = queue.enqueue;
  const validate = (d: { actor: Actor; expectedVersion: number }, permission: Permission, stages: readonly TransferStage[]) => assertTransferDecision(s, d, permission, stages);
  const shipped = () => s.lines.map((l) => ({ skuCode: l.skuCode, qty: l.qty }));
  const key = (step: string) => `${s.workflowId}:${step}`;

  setHandler(transferStateQuery, () => s);
  setHandler(outboundUpdate, (d) => enqueue({ kind: 'outbound', d }), { validator: (d) => validate(d, 'stock.approve', ['created']) });
  setHandler(inboundUpdate, (d) => enqueue({ kind: 'inbound', d }), {
    validator: (d) => {
      validate(d, 'stock.approve', ['in_transit']);
      const problem = receivedProblem(s.lines, d.received ?? []);
      if (problem) throw new Error(problem);
    },
  });
  setHandler(differenceUpdate, (d) => enqueue({ kind: 'difference', d }), {
    validator: (d) => {
      validate(d, 'stock.approve', ['awaiting_difference']);
      // The second approval of a difference is a second pair of eyes: the person who counted may not approve it.
      if (d.decision === 'approve' && s.inbound?.by === d.actor.username) throw new Error('入库差异需由另一人审核');
      if (d.decision === 'reject' && !d.reason?.trim()) throw new Error('退回重新清点请填写原因');
    },
  });
  setHandler(cancelTransferUpdate, (d) => enqueue({ kind: 'cancel', d }), {
    validator: (d) => {
      validate(d, 'stock.manage', ['created']);
      if (!d.reason?.trim()) throw new Error('取消请填写原因');
    },
  });
  setHandler(reverseTransferUpdate, (d) => enqueue({ kind: 'reverse', d }), {
    validator: (d) => {
      if (d?.decision === 'request') validate(d, 'stock.manage', ['in_transit', 'awaiting_difference']);
      else validate(d, 'stock.reverse', ['reverse_requested']);
      if (d.decision !== 'approve' && !d.reason?.trim()) throw new Error(d.decision === 'request' ? '冲销请填写原因' : '驳回冲销请填写原因');
    },
  });
  setHandler(printNoteUpdate, (d) => enqueue({ kind: 'print', d }), {
    validator: (d) => {
      if (!d?.actor?.username) throw new Error('缺少操作人');
      assertSignedActor(d.actor);
      if (!can(d.actor.roles ?? [], 'stock.manage')) throw new Error(`${d.actor.displayName || d.actor.username} 没有此操作的权限`);
      if (s.stage === 'cancelled') throw new Error('调拨单已取消，不能打印出库单');
    },
  });

  // Rendering runs on the print queue, like waybills; a renderer that gives up leaves the transfer as it was, with the reason.
  const printer = proxyActivities<Activities>({
    taskQueue: `${workflowInfo().taskQueue}-print`,
    startToCloseTimeout: '5 minutes',
    heartbeatTimeout: '30 seconds',
    retry: { maximumAttempts: 3 },
  });
  const printNote = async (d: PrintNoteRequest): Promise<TransferDecisionResult> => {
    try {
      const r = await printer.renderTransferNote({ transferNo: s.transferNo, printedBy: d.actor.username, reprint: s.printCount > 0 });
      s.printCount += 1;
      s.printedAt = now();
      change();
      record('print_outbound_note', d.actor, `第 ${s.printCount} 次打印出库单，${r.pageCount} 页`);
      return result(true, `出库单已生成（${r.pageCount} 页）`);
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      return result(false, `出库单打印失败：${innermostMessage(err)}`);
    }
  };

  const outbound = async (d: OutboundDecision): Promise<TransferDecisionResult> => {
    if (s.stage !== 'created') return result(false, '调拨单已被他人出库审核');
    const moved = await db.shipTransfer({ key: key('out'), transferNo: s.transferNo, warehouseCode: s.fromWarehouseCode, quality: s.quality, lines: shipped(), actor: d.actor.username });
    if (!moved.ok) {
      const short = moved.shortages.map((x) => `${x.skuCode} 需要 ${x.needed}，可用 ${x.available}`).join('；');
      s.alert = fitText(`${s.fromWarehouseCode} 库存不足，未出库：${short}`, TEXT_LIMITS.alert);
      change();
      record('outbound_refused', d.actor, short);
      return result(false, s.alert);
    }
    s.outbound = { by: d.actor.username, at: now() };
    s.alert = '';
    moveTo('in_transit');
    record('outbound', d.actor, d.reason ?? '', { lines: shipped() });
    return result(true, `已出库审核：${s.fromWarehouseCode} 的货已出库，在途到 ${s.toWarehouseCode}`);
  };

  const receive = async (actor: Actor) => {
    const lines = s.lines.map((l) => ({ skuCode: l.skuCode, qty: l.receivedQty ?? 0 })).filter((l) => l.qty > 0);
    await db.receiveTransfer({ key: key('in'), transferNo: s.transferNo, warehouseCode: s.toWarehouseCode, quality: s.quality, lines, actor: actor.username });
    s.doneAt = now();
    s.alert = '';
    moveTo('done');
  };

  const inbound = async (d: InboundDecision): Promise<TransferDecisionResult> => {
    if (s.stage !== 'in_transit') return result(false, '调拨单已被他人入库审核');
    const counted = new Map(d.received.map((r) => [r.skuCode, r.qty]));
    s.lines = s.lines.map((l) => ({ ...l, receivedQty: counted.get(l.skuCode) ?? 0 }));
    s.inbound = { by: d.actor.username, at: now() };
    const diffs = transferDifferences(s.lines);
    record('inbound', d.actor, d.reason ?? '', { received: d.received, differences: diffs });
    if (diffs.length) {
      s.alert = fitText(`入库数量与出库不符，需另一人审核差异：${diffs.map((x) => `${x.skuCode} 出 ${x.shipped} 收 ${x.received}`).join('；')}`, TEXT_LIMITS.alert);
      moveTo('awaiting_difference');
      return result(true, s.alert);
    }
    await receive(d.actor);
    record('done', SYSTEM_ACTOR, '入库数量与出库一致');
    return result(true, `已入库审核：${s.toWarehouseCode} 已入库，调拨完成`);
  };

  const difference = async (d: DifferenceDecision): Promise<TransferDecisionResult> => {
    if (s.stage !== 'awaiting_difference') return result(false, '入库差异已被他人处理');
    if (d.decision === 'reject') {
      s.lines = s.lines.map((l) => ({ ...l, receivedQty: null }));
      s.inbound = null;
      s.alert = fitText(`差异被退回，请重新清点：${d.reason ?? ''}`, TEXT_LIMITS.alert);
      moveTo('in_transit');
      record('difference_rejected', d.actor, d.reason ?? '');
      return result(true, '已退回，请重新清点入库');
    }
    s.difference = { by: d.actor.username, at: now() };
    record('difference_approved', d.actor, d.reason ?? '', { differences: transferDifferences(s.lines) });
    await receive(d.actor);
    return result(true, `已审核差异：${s.toWarehouseCode} 按实收入库，调拨完成`);
  };

  const cancel = (d: CancelTransferDecision): TransferDecisionResult => {
    if (s.stage !== 'created') return result(false, '调拨单已出库，不能取消，请冲销');
    s.cancelledReason = d.reason.trim();
    s.alert = '';
    moveTo('cancelled');
    record('cancel', d.actor, s.cancelledReason);
    return result(true, '调拨单已取消');
  };

  const reverse = async (d: ReverseTransferDecision): Promise<TransferDecisionResult> => {
    if (d.decision === 'request') {
      if (s.stage !== 'in_transit' && s.stage !== 'awaiting_difference') return result(false, '调拨单已不能冲销');
      s.reverse = { by: d.actor.username, at: now(), reason: (d.reason ?? '').trim(), from: s.stage, approvedBy: '', approvedAt: null };
      s.alert = fitText(`已申请冲销，等待管理员审批：${s.reverse.reason}`, TEXT_LIMITS.alert);
      moveTo('reverse_requested');
      record('reverse_requested', d.actor, s.reverse.reason);
      return result(true, '已申请冲销，等待管理员审批');
    }
    if (s.stage !== 'reverse_requested' || !s.reverse) return result(false, '冲销申请已被他人处理');
    if (d.decision === 'reject') {
      const back = s.reverse.from;
      s.reverse = null;
      s.alert = fitText(`冲销被驳回：${d.reason ?? ''}`, TEXT_LIMITS.alert);
      moveTo(back);
      record('reverse_rejected', d.actor, d.reason ?? '');
      return result(true, '已驳回冲销');
    }
    // 冲销出库 + 取消入库: nothing has reached the destination yet, so the whole outbound goes back to the source.
    await db.returnTransfer({ key: key('back'), transferNo: s.transferNo, warehouseCode: s.fromWarehouseCode, quality: s.quality, lines: shipped(), actor: d.actor.username });
    s.reverse = { ...s.reverse, approvedBy: d.actor.username, approvedAt: now() };
    s.lines = s.lines.map((l) => ({ ...l, receivedQty: null }));
    s.alert = '';
    s.doneAt = now();
    moveTo('reversed');
    record('reverse', d.actor, d.reason ?? s.reverse.reason);
    return result(true, `已冲销：货已回到 ${s.fromWarehouseCode}，入库已取消`);
  };

  const apply = async (cmd: Command): Promise<TransferDecisionResult> => {
    // Each step re-checks the stage: an Update accepted while an earlier one was applied may find the transfer moved on.
    switch (cmd.kind) {
      case 'print':
        return printNote(cmd.d);
      case 'outbound':
        return outbound(cmd.d);
      case 'inbound':
        return inbound(cmd.d);
      case 'difference':
        return difference(cmd.d);
      case 'cancel':
        return cancel(cmd.d);
      case 'reverse':
        return reverse(cmd.d);
    }
  };

  record('create', input.createdBy, input.memo);
  while (!FINISHED.includes(s.stage)) {
    await flush();
    await condition(() => queue.length > 0);
    const next = queue.next();
    if (next) {
      const r = await apply(next.cmd);
      // The read model is written before the answer, so the page the person returns to already shows it.
      await flush();
      next.resolve(r);
    }
  }
  await flush();
  while (queue.length) {
    const p = queue.next()!;
    p.resolve(result(false, `调拨单已${s.stage === 'done' ? '完成' : s.stage === 'cancelled' ? '取消' : '冲销'}`));
  }
  await condition(allHandlersFinished);
  await flush();
  return s;
}
