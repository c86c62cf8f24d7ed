/**
 * 盘点: one count sheet per warehouse and quality. The count begins at a ledger watermark; counts are typed or scanned
 * in any number of rounds; submitting works out each SKU's variance against the books as they stood when the count
 * began; approval (stock.approve, someone other than who submitted) books the variances once as adjustments, on top of
 * whatever orders moved while the count was under way.
 */
import { allHandlersFinished, condition, setHandler, workflowInfo } from '@temporalio/workflow';
import { db } from './database-activities';
import { can, type Permission } from '../domain/roles';
import { countsProblem, STOCKTAKE_STAGE_LABELS, type StocktakeSnapshot, type StocktakeStage } from '../domain/stock-document';
import { fitText, TEXT_LIMITS } from '../domain/text-limits';
import type { DecisionBase } from './messages';
import { commandQueue, recordBook } from './record-book';
import { assertSignedActor } from './actor-signature';
import {
  approveStocktakeUpdate,
  cancelStocktakeUpdate,
  countUpdate,
  stocktakeStateQuery,
  submitCountUpdate,
  type CancelStockDocDecision,
  type CountDecision,
  type StockDocResult,
  type StocktakeApproval,
  type StocktakeInput,
} from './stock-document-messages';


type Command =
  | { kind: 'count'; d: CountDecision }
  | { kind: 'submit'; d: DecisionBase }
  | { kind: 'approve'; d: StocktakeApproval }
  | { kind: 'cancel'; d: CancelStockDocDecision };

const FINISHED: readonly StocktakeStage[] = ['approved', 'cancelled'];

export async function stocktakeWorkflow(input: StocktakeInput): Promise<StocktakeSnapshot> {
  const s: StocktakeSnapshot = {
    stocktakeNo: input.stocktakeNo, workflowId: workflowInfo().workflowId, stage: 'counting', version: 1, warehouseCode: input.warehouseCode,
    quality: input.quality, ledgerWatermark: 0, memo: input.memo, lines: [], countedBy: [], submittedBy: '', approvedBy: '', approvedAt: null,
    cancelledReason: '', alert: '', createdBy: input.createdBy.username, createdAt: input.createdAt,
  };
  const { now, record, change, flush } = recordBook(s, s.stocktakeNo, (w) => db.saveStocktake(w));
  const queue = commandQueue<Command, StockDocResult>();
  const result = (ok: boolean, message: string): StockDocResult => ({ ok, stage: s.stage, version: s.version, message });
  const enqueue = queue.enqueue;
  const validate = (d: DecisionBase, permission: Permission, stages: readonly StocktakeStage[]) => {
    if (!d?.actor?.username) throw new Error('缺少操作人');
    assertSignedActor(d.actor);
    if (!can(d.actor.roles ?? [], permission)) throw new Error(`${d.actor.displayName || d.actor.username} 没有此操作的权限`);
    if (!stages.includes(s.stage)) throw new Error(`盘点单 ${s.stocktakeNo} 当前为「${STOCKTAKE_STAGE_LABELS[s.stage]}」，不能执行此操作`);
    if (d.expectedVersion !== s.version) throw new Error('盘点单已被他人修改，请刷新后重试');
  };

  setHandler(stocktakeStateQuery, () => s);
  setHandler(countUpdate, (d) => enqueue({ kind: 'count', d }), {
    validator: (d) => {
      validate(d, 'stock.manage', ['counting']);
      if (!d.counts?.length) throw new Error('请填写盘点数量');
      const problem = countsProblem(d.counts);
      if (problem) throw new Error(problem);
    },
  });
  setHandler(submitCountUpdate, (d) => enqueue({ kind: 'submit', d }), {
    validator: (d) => {
      validate(d, 'stock.manage', ['counting']);
      if (!s.lines.length) throw new Error('还没有盘点数量，不能提交');
    },
  });
  setHandler(approveStocktakeUpdate, (d) => enqueue({ kind: 'approve', d }), {
    validator: (d) => {
      validate(d, 'stock.approve', ['awaiting_approval']);
      if (d.decision === 'approve' && d.actor.username === s.submittedBy) throw new Error('盘点差异需由提交人以外的人审核');
      if (d.decision === 'reject' && !d.reason?.trim()) throw new Error('退回请填写原因');
    },
  });
  setHandler(cancelStocktakeUpdate, (d) => enqueue({ kind: 'cancel', d }), {
    validator: (d) => {
      validate(d, 'stock.manage', ['counting', 'awaiting_approval']);
      if (!d.reason?.trim()) throw new Error('取消请填写原因');
    },
  });

  const apply = async (cmd: Command): Promise<StockDocResult> => {
    switch (cmd.kind) {
      case 'count': {
        if (s.stage !== 'counting') return result(false, '盘点单已提交');
        const byCode = new Map(s.lines.map((l) => [l.skuCode, l]));
        for (const c of cmd.d.counts) byCode.set(c.skuCode, { skuCode: c.skuCode, counted: c.counted, bookAtStart: null, movedSince: null, variance: null });
        s.lines = [...byCode.values()].sort((a, b) => a.skuCode.localeCompare(b.skuCode));
        if (!s.countedBy.includes(cmd.d.actor.username)) s.countedBy.push(cmd.d.actor.username);
        change();
        record('count', cmd.d.actor, '', { counts: cmd.d.counts });
        return result(true, `已记录 ${cmd.d.counts.length} 个商品的盘点数量`);
      }
      case 'submit': {
        if (s.stage !== 'counting') return result(false, '盘点单已提交');
        s.lines = await db.stocktakeVariance({ warehouseCode: s.warehouseCode, quality: s.quality, watermark: s.ledgerWatermark, counts: s.lines.map((l) => ({ skuCode: l.skuCode, counted: l.counted })) });
        s.submittedBy = cmd.d.actor.username;
        s.stage = 'awaiting_approval';
        s.alert = '';
        change();
        const differing = s.lines.filter((l) => l.variance !== 0);
        record('submit', cmd.d.actor, `${s.lines.length} 个商品，${differing.length} 个有差异`, { lines: s.lines });
        return result(true, `已提交，${differing.length} 个商品有差异，等待审核`);
      }
      case 'approve': {
        if (s.stage !== 'awaiting_approval') return result(false, '盘点单已被他人审核');
        if (cmd.d.decision === 'reject') {
          // A recount is a new count: it begins now, against the books as they stand now.
          s.stage = 'counting';
          s.lines = [];
          s.ledgerWatermark = await db.ledgerWatermark();
          s.alert = fitText(`审核退回，请重新盘点：${cmd.d.reason ?? ''}`, TEXT_LIMITS.alert);
          change();
          record('reject', cmd.d.actor, cmd.d.reason ?? '');
          return result(true, '已退回重新盘点');
        }
        const lines = s.lines.filter((l) => l.variance).map((l) => ({ skuCode: l.skuCode, delta: l.variance ?? 0 }));
        const moved = await db.applyStocktake({ key: `${s.workflowId}:adjust`, stocktakeNo: s.stocktakeNo, warehouseCode: s.warehouseCode, quality: s.quality, lines, actor: cmd.d.actor.username });
        if (!moved.ok) {
          const short = moved.shortages.map((x) => `${x.skuCode} 盘亏 ${x.needed}，可用 ${x.available}`).join('；');
          s.alert = fitText(`盘亏后可用库存将为负（有订单占用），未调整：${short}`, TEXT_LIMITS.alert);
          change();
          record('approve_refused', cmd.d.actor, short);
          return result(false, s.alert);
        }
        s.stage = 'approved';
        s.approvedBy = cmd.d.actor.username;
        s.approvedAt = now();
        s.alert = '';
        change();
        record('approve', cmd.d.actor, cmd.d.reason ?? '', { adjustments: lines });
        return result(true, `已审核，${lines.length} 个商品已调整库存`);
      }
      case 'cancel': {
        if (FINISHED.includes(s.stage)) return result(false, '盘点单已结束');
        s.stage = 'cancelled';
        s.cancelledReason = cmd.d.reason.trim();
        change();
        record('cancel', cmd.d.actor, s.cancelledReason);
        return result(true, '盘点单已取消');
      }
    }
  };

  // The count begins now: everything the ledger holds up to here is what the shelves should show when counting starts.
  s.ledgerWatermark = await db.ledgerWatermark();
  record('create', input.createdBy, input.memo, { ledgerWatermark: s.ledgerWatermark });
  while (!FINISHED.includes(s.stage)) {
    await flush();
    await condition(() => queue.length > 0);
    const next = queue.next()!;
    const r = await apply(next.cmd);
    await flush();
    next.resolve(r);
  }
  while (queue.length) queue.next()!.resolve(result(false, `盘点单已${STOCKTAKE_STAGE_LABELS[s.stage]}`));
  await condition(allHandlersFinished);
  await flush();
  return s;
}
