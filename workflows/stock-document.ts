/**
 * 入库单/出库单: one stock document from creation to approval or cancellation. Approval (stock.approve) moves its lines
 * once per ledger key — a stock-out never below zero unless the warehouse allows it — and a stock-in then tells the
 * orders waiting for those SKUs (缺货), oldest paid first, to retry their reservation.
 */
import { allHandlersFinished, condition, getExternalWorkflowHandle, setHandler, workflowInfo } from '@temporalio/workflow';
import { db } from './database-activities';
import { can, SYSTEM_ACTOR } from '../domain/roles';
import { STOCK_DOC_STAGE_LABELS, type StockDocSnapshot } from '../domain/stock-document';
import { fitText, TEXT_LIMITS } from '../domain/text-limits';
import type { DecisionBase } from './messages';
import { commandQueue, recordBook } from './record-book';
import { assertSignedActor } from './actor-signature';
import {
  approveStockDocUpdate,
  cancelStockDocUpdate,
  stockArrivedSignal,
  stockDocStateQuery,
  type CancelStockDocDecision,
  type StockDocResult,
  type StockDocumentInput,
} from './stock-document-messages';


type Command = { kind: 'approve'; d: DecisionBase } | { kind: 'cancel'; d: CancelStockDocDecision };

export async function stockDocumentWorkflow(input: StockDocumentInput): Promise<StockDocSnapshot> {
  const s: StockDocSnapshot = {
    docNo: input.docNo, workflowId: workflowInfo().workflowId, direction: input.direction, reason: input.reason, stage: 'draft', version: 1,
    warehouseCode: input.warehouseCode, quality: input.quality, memo: input.memo, lines: input.lines, approvedBy: '', approvedAt: null,
    cancelledReason: '', notifiedOrders: [], alert: '', createdBy: input.createdBy.username, createdAt: input.createdAt,
  };
  const { now, record, change, flush } = recordBook(s, s.docNo, (w) => db.saveStockDocument(w));
  const queue = commandQueue<Command, StockDocResult>();
  const result = (ok: boolean, message: string): StockDocResult => ({ ok, stage: s.stage, version: s.version, message });
  const validate = (d: DecisionBase) => {
    if (!d?.actor?.username) throw new Error('缺少操作人');
    assertSignedActor(d.actor);
    if (!can(d.actor.roles ?? [], 'stock.approve')) throw new Error(`${d.actor.displayName || d.actor.username} 没有此操作的权限`);
    if (s.stage !== 'draft') throw new Error(`单据 ${s.docNo} 当前为「${STOCK_DOC_STAGE_LABELS[s.stage]}」，不能执行此操作`);
    if (d.expectedVersion !== s.version) throw new Error('单据已被他人修改，请刷新后重试');
  };

  setHandler(stockDocStateQuery, () => s);
  setHandler(approveStockDocUpdate, (d) => queue.enqueue({ kind: 'approve', d }), { validator: validate });
  setHandler(cancelStockDocUpdate, (d) => queue.enqueue({ kind: 'cancel', d }), {
    validator: (d) => {
      validate(d);
      if (!d.reason?.trim()) throw new Error('取消请填写原因');
    },
  });

  const approve = async (d: DecisionBase): Promise<StockDocResult> => {
    if (s.stage !== 'draft') return result(false, '单据已被他人审核');
    const moved = await db.applyStockDocument({ key: `${s.workflowId}:apply`, docNo: s.docNo, direction: s.direction, reason: s.reason,
      warehouseCode: s.warehouseCode, quality: s.quality, lines: s.lines.map((l) => ({ skuCode: l.skuCode, qty: l.qty })), actor: d.actor.username });
    if (!moved.ok) {
      const short = moved.shortages.map((x) => `${x.skuCode} 需要 ${x.needed}，可用 ${x.available}`).join('；');
      s.alert = fitText(`库存不足，未出库：${short}`, TEXT_LIMITS.alert);
      change();
      record('approve_refused', d.actor, short);
      return result(false, s.alert);
    }
    s.stage = 'approved';
    s.approvedBy = d.actor.username;
    s.approvedAt = now();
    s.alert = '';
    change();
    record('approve', d.actor, d.reason ?? '');
    if (s.direction === 'in' && s.quality === 'good') {
      const skuCodes = s.lines.map((l) => l.skuCode);
      const waiting = await db.ordersWaitingFor({ skuCodes, warehouseCode: s.warehouseCode });
      // Oldest paid first, one after another: the first to retry gets the units, as it would have had they been there.
      for (const orderId of waiting) {
        try {
          await getExternalWorkflowHandle(orderId).signal(stockArrivedSignal, { skuCodes, warehouseCode: s.warehouseCode, docNo: s.docNo });
          s.notifiedOrders.push(orderId);
        } catch {
          // An order whose workflow has finished no longer waits for anything.
        }
      }
      if (s.notifiedOrders.length) record('orders_notified', SYSTEM_ACTOR, `通知 ${s.notifiedOrders.length} 个缺货订单重新占用库存`, { orders: s.notifiedOrders });
    }
    return result(true, s.direction === 'in' ? `已审核入库${s.notifiedOrders.length ? `，已通知 ${s.notifiedOrders.length} 个缺货订单` : ''}` : '已审核出库');
  };

  record('create', input.createdBy, input.memo);
  while (s.stage === 'draft') {
    await flush();
    await condition(() => queue.length > 0);
    const next = queue.next()!;
    let r: StockDocResult;
    if (next.cmd.kind === 'approve') r = await approve(next.cmd.d);
    else if (s.stage !== 'draft') r = result(false, '单据已被他人处理');
    else {
      s.stage = 'cancelled';
      s.cancelledReason = next.cmd.d.reason.trim();
      change();
      record('cancel', next.cmd.d.actor, s.cancelledReason);
      r = result(true, '单据已取消');
    }
    await flush();
    next.resolve(r);
  }
  while (queue.length) queue.next()!.resolve(result(false, `单据已${STOCK_DOC_STAGE_LABELS[s.stage]}`));
  await condition(allHandlersFinished);
  await flush();
  return s;
}
