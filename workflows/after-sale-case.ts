/**
 * The life of one after-sales case (售后单), shared by the return, exchange and reissue workflows: each stage waits as
 * long as it must for its decision (an Update checked by a synchronous validator), remembers the platform's deadline
 * and the buyer's parcel with durable timers, moves stock and money once per key, and ends only as done or closed.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { db } from './database-activities';
import {
  PLATFORM_DEADLINE_WARNING_MS,
  qcProblem,
  refundCeilingFen,
  RETURN_PARCEL_DAYS,
  returnStockLines,
  type CaseStage,
  type ReplacementLine,
} from '../domain/after-sale';
import type { CaseSnapshot } from '../domain/after-sale-snapshot';
import { innermostMessage } from '../domain/failure-message';
import type { AuditEntry } from '../domain/order-snapshot';
import type { PlatformRefundFacts } from '../domain/platform-refund';
import { SYSTEM_ACTOR, type Actor, type Permission } from '../domain/roles';
import { fitText, TEXT_LIMITS } from '../domain/text-limits';
import {
  agreeCaseUpdate,
  approveCaseUpdate,
  caseStateQuery,
  closeCaseUpdate,
  financeUpdate,
  interceptOutcomeSignal,
  interceptSignal,
  platformRefundResultSignal,
  platformRefundSignal,
  qcUpdate,
  receiveParcelUpdate,
  releaseInterceptSignal,
  retryPlatformRefundSignal,
  returnParcelUpdate,
  type AgreeCaseDecision,
  type ApproveCaseDecision,
  type CaseDecisionResult,
  type CaseWorkflowInput,
  type CloseCaseDecision,
  type FinanceDecision,
  type InterceptOutcome,
  type PlatformRefundResult,
  type QcDecision,
  type ReceiveParcelDecision,
  type ReturnParcelNotice,
} from './after-sale-messages';
import { auditEntry, syncBackoffMs } from './order-state';
import { assertCaseDecision, childOrderDraft, initialCaseSnapshot } from './after-sale-state';
import { SIGNED_ACTORS, signalActorProblem } from './actor-signature';
import type { OrderSnapshot } from '../domain/order-snapshot';

// Platform calls give up after a few tries; every caller catches the failure and leaves the case where staff see the
// error (see test/workflows/remote-calls-are-handled.test.ts).
const remote = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 3 },
});

type Command =
  | { kind: 'agree'; d: AgreeCaseDecision }
  | { kind: 'returnParcel'; d: ReturnParcelNotice }
  | { kind: 'receive'; d: ReceiveParcelDecision }
  | { kind: 'qc'; d: QcDecision }
  | { kind: 'approve'; d: ApproveCaseDecision }
  | { kind: 'finance'; d: FinanceDecision }
  | { kind: 'close'; d: CloseCaseDecision };

interface Pending {
  cmd: Command;
  resolve: (r: CaseDecisionResult) => void;
}

const DAY_MS = 24 * 3_600_000;
/** How long a batched refund waits for its batch's answer before asking the platform itself. */
const BATCH_ANSWER_WAIT = '2 minutes';
const HISTORY_LIMIT = 2_000;

export async function runAfterSaleCase(input: CaseWorkflowInput): Promise<CaseSnapshot> {
  const carried = input.carried;
  const s: CaseSnapshot = carried?.snapshot ?? initialCaseSnapshot(input, workflowInfo().workflowId, new Date().toISOString());
  let auditSeq = carried?.auditSeq ?? 0;
  const audit: AuditEntry[] = [];
  const queue: Pending[] = [];
  let dirty = !carried;
  let retryRefundNow = false;
  let interceptAnswer: InterceptOutcome | null = null;
  let platformNews: PlatformRefundFacts | null = null;
  let batchAnswer: PlatformRefundResult | null = null;

  const now = () => new Date().toISOString();
  const record = (action: string, actor: Actor, reason = '', before: Record<string, unknown> | null = null, after: Record<string, unknown> | null = null) => {
    audit.push(auditEntry(s.caseNo, ++auditSeq, action, actor, now(), fitText(reason, TEXT_LIMITS.auditReason), before, after));
  };
  const change = () => {
    if (!dirty) s.version += 1;
    dirty = true;
  };
  const flush = async () => {
    if (!dirty && audit.length === 0) return;
    dirty = false;
    await db.saveCase({ snapshot: s, audit: audit.splice(0) });
  };
  const result = (ok: boolean, message: string): CaseDecisionResult => ({ ok, stage: s.stage, version: s.version, message });
  const enqueue = (cmd: Command) => new Promise<CaseDecisionResult>((resolve) => queue.push({ cmd, resolve }));
  const moveTo = (stage: CaseStage) => {
    s.stage = stage;
    change();
  };
  const open = () => s.stage !== 'done' && s.stage !== 'closed';

  const validate = (d: { actor: Actor; expectedVersion: number }, permission: Permission, stages: readonly CaseStage[]) => assertCaseDecision(s, d, permission, stages);

  setHandler(caseStateQuery, () => s);
  setHandler(agreeCaseUpdate, (d) => enqueue({ kind: 'agree', d }), {
    validator: (d) => {
      validate(d, 'aftersale.approve', ['registered']);
      if (d.decision === 'refuse' && !d.reason?.trim()) throw new Error('拒绝请填写原因');
    },
  });
  setHandler(returnParcelUpdate, (d) => enqueue({ kind: 'returnParcel', d }), {
    validator: (d) => {
      validate(d, 'aftersale.register', ['registered', 'awaiting_parcel']);
      if (!d.waybillNo?.trim()) throw new Error('请填写退回物流单号');
    },
  });
  setHandler(receiveParcelUpdate, (d) => enqueue({ kind: 'receive', d }), {
    validator: (d) => validate(d, 'aftersale.receive', ['awaiting_parcel']),
  });
  setHandler(qcUpdate, (d) => enqueue({ kind: 'qc', d }), {
    validator: (d) => {
      validate(d, 'aftersale.receive', ['awaiting_qc']);
      const problem = qcProblem(s.lines, d.lines ?? []);
      if (problem) throw new Error(problem);
    },
  });
  setHandler(approveCaseUpdate, (d) => enqueue({ kind: 'approve', d }), {
    validator: (d) => {
      validate(d, 'aftersale.approve', ['awaiting_approval']);
      if (d.decision === 'reject') {
        if (!d.reason?.trim()) throw new Error('拒绝请填写原因');
        return;
      }
      if (s.type === 'reissue' || s.type === 'exchange') {
        const lines: ReplacementLine[] = d.replacement ?? s.replacement;
        if (!lines.length) throw new Error(s.type === 'reissue' ? '请选择补发的商品' : '请填写换出的商品');
        if (lines.some((l) => !Number.isInteger(l.qty) || l.qty <= 0)) throw new Error('数量必须是正整数');
        return;
      }
      // No amount given: all that was paid for the lines.
      const refund = d.refundFen ?? refundCeilingFen(s.lines);
      const postage = d.postageBorneBy === 'seller' ? d.postageFen ?? 0 : 0;
      if (!Number.isInteger(refund) || refund <= 0) throw new Error('退款金额必须大于 0');
      if (!Number.isInteger(postage) || postage < 0) throw new Error('运费必须是不小于 0 的金额');
      const ceiling = refundCeilingFen(s.lines);
      if (refund > ceiling) throw new Error(`退款金额 ${yuan(refund)} 超过这些商品的实付 ${yuan(ceiling)}`);
    },
  });
  setHandler(financeUpdate, (d) => enqueue({ kind: 'finance', d }), {
    validator: (d) => {
      validate(d, 'finance.confirm', ['awaiting_finance']);
      if (d.decision === 'reject') {
        if (!d.reason?.trim()) throw new Error('退回请填写原因');
        return;
      }
      const channel = d.channel ?? (s.platformRefund ? 'platform' : 'offline');
      if (channel === 'platform' && !s.platformRefund) throw new Error('这个售后单没有平台退款单，请选择线下退款并填写账户和流水号');
      if (channel === 'offline' && (!d.account?.trim() || !d.reference?.trim())) throw new Error('线下收付款请填写账户和流水号');
    },
  });
  setHandler(closeCaseUpdate, (d) => enqueue({ kind: 'close', d }), {
    validator: (d) => {
      validate(d, 'aftersale.approve', ['registered', 'intercepting', 'awaiting_parcel', 'awaiting_qc', 'awaiting_approval', 'awaiting_finance']);
      if (!d.reason?.trim()) throw new Error('关闭请填写原因');
    },
  });
  setHandler(retryPlatformRefundSignal, (d) => {
    if (d.actor?.username && (s.stage === 'awaiting_platform_refund' || s.stage === 'awaiting_replacement')) {
      // Signal handlers run again on replay: histories from before signed actors took the actor at its word.
      const refused = patched(SIGNED_ACTORS) ? signalActorProblem(d.actor, retryPlatformRefundSignal.name) : null;
      if (refused) return record('actor_refused', SYSTEM_ACTOR, `未执行 ${d.actor.username} 的「重试平台退款」：${refused}`);
      retryRefundNow = true;
      record('platform_refund_retry_requested', d.actor);
    }
  });
  setHandler(platformRefundSignal, (f) => {
    if (s.platformRefund && f.modified <= s.platformRefund.modified) return;
    platformNews = f;
  });
  setHandler(interceptOutcomeSignal, (o) => {
    interceptAnswer = o;
  });
  setHandler(platformRefundResultSignal, (r) => {
    if (r.refundId === s.platformRefund?.refundId) batchAnswer = r;
  });

  // ---- steps ---------------------------------------------------------------------------------------

  /** Tells the order about the refund; an order that has finished answers through its read model instead. */
  const askOrderToIntercept = async () => {
    try {
      await getExternalWorkflowHandle(s.orderId).signal(interceptSignal, {
        caseNo: s.caseNo,
        caseWorkflowId: s.workflowId,
        lines: s.lines.map((l) => ({ oid: l.oid, qty: l.qty })),
      });
      s.interception = 'held';
      s.alert = '已通知订单拦截，等待订单回应';
      record('intercept_requested', SYSTEM_ACTOR, `订单 ${s.orderId}`);
    } catch (err) {
      s.interception = 'already_shipped';
      s.alert = '订单已结束，无法拦截：请确认是否需要买家退货';
      record('intercept_failed', SYSTEM_ACTOR, innermostMessage(err));
      moveTo('awaiting_approval');
    }
    change();
  };

  const releaseOrder = async () => {
    if (s.interception !== 'held' && s.interception !== 'waiting_pull') return;
    try {
      await getExternalWorkflowHandle(s.orderId).signal(releaseInterceptSignal, { caseNo: s.caseNo });
    } catch (err) {
      record('intercept_release_failed', SYSTEM_ACTOR, innermostMessage(err));
    }
    s.interception = 'none';
    change();
  };

  const applyInterceptAnswer = (o: InterceptOutcome) => {
    record('intercept_answered', SYSTEM_ACTOR, o.message, null, { outcome: o.outcome });
    if (o.outcome === 'waiting_pull') {
      s.interception = 'waiting_pull';
      s.alert = '面单已打印：等待仓库把包裹从发货线上取下';
      change();
      return;
    }
    s.interception = o.outcome === 'lines_cancelled' ? 'lines_cancelled' : o.outcome === 'order_cancelled' || o.outcome === 'already_cancelled' ? 'order_cancelled' : 'already_shipped';
    s.alert = o.outcome === 'already_shipped' ? '订单已发货，拦截不了：请确认是否需要买家退货' : '';
    if (s.stage === 'intercepting') moveTo('awaiting_approval');
    change();
  };

  const close = async (reason: string, actor: Actor) => {
    const before = { stage: s.stage };
    await releaseOrder();
    s.closedReason = reason;
    s.alert = '';
    moveTo('closed');
    record('close', actor, reason, before, { stage: s.stage });
  };

  /** Refusal on the platform first: a case closed here while the platform still waits would lose the buyer's dispute by default. */
  const isTmallExchange = () => s.platformRefund?.disputeType === 'TMALL_EXCHANGE';
  const refuseOnPlatform = async (reason: string, actor: Actor): Promise<string> => {
    const refund = s.platformRefund;
    if (!refund) return '';
    if (isTmallExchange()) {
      // tmall.exchange.refuse is not connected: the refusal is recorded here and must be made in Tmall's seller centre.
      record('platform_refuse_manual', actor, `请在天猫商家后台拒绝换货 ${refund.refundId}：${reason}`);
      return '';
    }
    try {
      await remote.refuseOnPlatform({ shopCode: s.shopCode, refundId: refund.refundId, reason, phase: refund.phase });
      record('platform_refused', actor, reason);
      return '';
    } catch (err) {
      return innermostMessage(err);
    }
  };

  const applyPlatformNews = async (f: PlatformRefundFacts) => {
    const before = s.platformRefund ? { status: s.platformRefund.status } : null;
    s.platformRefund = {
      refundId: f.refundId, status: f.status, disputeType: f.disputeType, phase: f.refundPhase, refundVersion: f.refundVersion,
      requestedFen: f.refundFeeFen, deadline: f.deadline, modified: f.modified,
    };
    if (f.returnWaybillNo && f.returnWaybillNo !== s.returnWaybillNo) {
      s.returnWaybillNo = f.returnWaybillNo;
      s.returnCompany = f.returnCompany;
      record('return_parcel', SYSTEM_ACTOR, `买家寄回：${f.returnCompany} ${f.returnWaybillNo}`);
    }
    change();
    if (before?.status !== f.status) record('platform_refund_changed', SYSTEM_ACTOR, `平台退款状态：${f.status}`, before, { status: f.status });
    if (f.status === 'CLOSED' && open() && s.stage !== 'awaiting_platform_refund') {
      // Lines already cancelled for the refund cannot come back: the buyer is to be asked to order them again.
      const gone = s.interception === 'lines_cancelled' || s.interception === 'order_cancelled';
      await close(gone ? '买家已在平台撤销退款（订单商品已取消，请联系买家重新下单）' : '买家已在平台撤销退款', SYSTEM_ACTOR);
      return;
    }
    if (s.stage === 'registered' && (f.status === 'WAIT_BUYER_RETURN_GOODS' || f.status === 'WAIT_SELLER_CONFIRM_GOODS')) {
      record('agree', SYSTEM_ACTOR, '平台上已同意退货（超时自动同意或在平台上操作）');
      moveTo('awaiting_parcel');
      s.agreedAt = now();
    }
    if (f.status === 'SUCCESS' && open() && s.stage !== 'awaiting_platform_refund') {
      s.alert = '平台已退款给买家（超时自动同意或在平台上操作）：请尽快完成质检和财务确认';
    }
  };

  /** 拒绝: refused on the platform first; a platform that cannot be told leaves the case open with the reason. */
  const refuseAndClose = async (reason: string, actor: Actor, closedAs: string): Promise<CaseDecisionResult> => {
    const failed = await refuseOnPlatform(reason, actor);
    if (failed) {
      s.alert = fitText(`平台拒绝退款失败：${failed}`, TEXT_LIMITS.alert);
      change();
      await flush();
      return result(false, `平台拒绝退款失败，售后单未关闭：${failed}`);
    }
    await close(`${closedAs}：${reason}`, actor);
    await flush();
    return result(true, '已拒绝，售后单已关闭');
  };

  const agree = async (d: AgreeCaseDecision): Promise<CaseDecisionResult> => {
    if (d.decision === 'refuse') return refuseAndClose(d.reason ?? '', d.actor, '拒绝');
    if (s.platformRefund && (s.platformRefund.status === 'WAIT_SELLER_AGREE' || isTmallExchange())) {
      try {
        if (isTmallExchange()) await remote.agreeExchangeOnPlatform({ shopCode: s.shopCode, refundId: s.platformRefund.refundId });
        else await remote.agreeReturnOnPlatform({ shopCode: s.shopCode, refundId: s.platformRefund.refundId });
      } catch (err) {
        const why = innermostMessage(err);
        s.alert = fitText(`平台同意退货失败：${why}`, TEXT_LIMITS.alert);
        change();
        record('agree_failed', d.actor, why);
        await flush();
        return result(false, `平台同意退货失败，请稍后再试：${why}`);
      }
    }
    s.alert = '';
    s.agreedAt = now();
    moveTo('awaiting_parcel');
    record('agree', d.actor, d.reason ?? '');
    await flush();
    return result(true, '已同意退货，等待买家寄回');
  };

  const approve = async (d: ApproveCaseDecision): Promise<CaseDecisionResult> => {
    if (d.decision === 'reject') return refuseAndClose(d.reason ?? '', d.actor, '审批拒绝');
    const before = { refundFen: s.refundFen, replacement: s.replacement };
    if (d.sellableWarehouseCode) s.sellableWarehouseCode = d.sellableWarehouseCode;
    s.approvedBy = d.actor.username;
    s.approvedAt = now();
    s.alert = '';
    if (s.type === 'reissue' || s.type === 'exchange') {
      s.replacement = d.replacement ?? s.replacement;
      const returned = refundCeilingFen(s.lines);
      const outgoing = s.replacement.reduce((n, l) => n + l.priceFen * l.qty, 0);
      // A Tmall exchange is another spec of the same goods at the price paid: the platform settles no difference.
      s.priceDifferenceFen = s.type === 'exchange' && !isTmallExchange() ? outgoing - returned : 0;
    } else {
      s.refundFen = d.refundFen ?? refundCeilingFen(s.lines);
      s.postageBorneBy = d.postageBorneBy ?? 'buyer';
      s.postageFen = s.postageBorneBy === 'seller' ? d.postageFen ?? 0 : 0;
    }
    record('approve', d.actor, d.reason ?? '', before, { refundFen: s.refundFen, postageFen: s.postageFen, priceDifferenceFen: s.priceDifferenceFen, replacement: s.replacement });
    if (s.type === 'reissue') {
      await db.recordReissueCost({ key: `${s.workflowId}:reissue-cost`, caseNo: s.caseNo, shopCode: s.shopCode, orderId: s.orderId,
        lines: s.replacement.map((l) => ({ skuCode: l.skuCode, qty: l.qty })), actor: d.actor.username });
    }
    if (s.type === 'reissue' || (s.type === 'exchange' && s.priceDifferenceFen === 0)) {
      await putReturnsInStock(d.actor);
      moveTo('awaiting_replacement');
      await flush();
      return result(true, s.type === 'reissue' ? '已审批，补发单已进入审单' : '已审批，换货单已进入审单');
    }
    moveTo('awaiting_finance');
    await flush();
    return result(true, '已审批，等待财务确认');
  };

  /** Good units back to sellable stock, defective ones to the returns warehouse; once per case, whatever retries. */
  const putReturnsInStock = async (actor: Actor) => {
    const lines = returnStockLines(s.lines, s.qc, s.sellableWarehouseCode, s.returnsWarehouseCode);
    if (!lines.length) return;
    await db.stockInReturn({ key: `${s.workflowId}:return-in`, caseNo: s.caseNo, lines, actor: actor.username });
    record('stock_in', actor, lines.map((l) => `${l.skuCode}×${l.qty}${l.quality === 'defective' ? '（次品）' : ''} → ${l.warehouseCode}`).join('，'));
  };

  const finance = async (d: FinanceDecision): Promise<CaseDecisionResult> => {
    if (d.decision === 'reject') {
      s.alert = fitText(`财务退回：${d.reason ?? ''}`, TEXT_LIMITS.alert);
      moveTo('awaiting_approval');
      record('finance_rejected', d.actor, d.reason ?? '');
      await flush();
      return result(true, '已退回售后重新审批');
    }
    const channel = d.channel ?? (s.platformRefund ? 'platform' : 'offline');
    s.finance = { channel, account: d.account?.trim() ?? '', reference: d.reference?.trim() ?? '', by: d.actor.username, at: now(), batched: !!d.batched };
    const money = {
      channel, account: s.finance.account, reference: s.finance.reference, shopCode: s.shopCode, caseNo: s.caseNo, orderId: s.orderId,
      confirmedBy: d.actor.username,
    };
    if (s.type === 'exchange') {
      const collect = s.priceDifferenceFen > 0;
      await db.recordMoney({ ...money, key: `${s.workflowId}:price-difference`, kind: collect ? 'collect' : 'refund', direction: collect ? 1 : -1,
        amountFen: Math.abs(s.priceDifferenceFen), note: '换货差价' });
    } else {
      await db.recordMoney({ ...money, key: `${s.workflowId}:refund`, kind: 'refund', direction: -1, amountFen: s.refundFen, note: `${s.reason}` });
      if (s.postageFen > 0) {
        await db.recordMoney({ ...money, key: `${s.workflowId}:postage`, kind: 'postage_refund', direction: -1, amountFen: s.postageFen, note: '退货运费（卖家承担）' });
      }
    }
    record('finance_confirm', d.actor, channel === 'platform' ? '平台退款' : `线下：${s.finance.account} ${s.finance.reference}`, null, { channel, amountFen: s.type === 'exchange' ? s.priceDifferenceFen : s.refundFen + s.postageFen });
    await putReturnsInStock(d.actor);
    if (s.type === 'exchange') moveTo('awaiting_replacement');
    else if (channel === 'platform') {
      s.platformRefundStep = { ...s.platformRefundStep, status: 'pending' };
      moveTo('awaiting_platform_refund');
    } else {
      finish('线下退款已确认');
    }
    await flush();
    return result(true, s.stage === 'awaiting_platform_refund' ? '已确认，正在向平台退款' : s.stage === 'awaiting_replacement' ? '已确认，换货单已进入审单' : '已确认，售后单完成');
  };

  const finish = (why: string) => {
    s.doneAt = now();
    s.alert = '';
    moveTo('done');
    record('done', SYSTEM_ACTOR, why);
  };

  const handle = async (p: Pending) => {
    const { cmd } = p;
    // Re-checked here: an Update accepted while an earlier one was being applied may find the case moved on.
    switch (cmd.kind) {
      case 'agree':
        return p.resolve(s.stage === 'registered' ? await agree(cmd.d) : result(false, '售后单已不在待审核'));
      case 'returnParcel': {
        if (s.stage !== 'registered' && s.stage !== 'awaiting_parcel') return p.resolve(result(false, '售后单已收货'));
        const before = { company: s.returnCompany, waybillNo: s.returnWaybillNo };
        s.returnCompany = cmd.d.company?.trim() ?? '';
        s.returnWaybillNo = cmd.d.waybillNo.trim();
        change();
        record('return_parcel', cmd.d.actor, '', before, { company: s.returnCompany, waybillNo: s.returnWaybillNo });
        await flush();
        return p.resolve(result(true, `已记录退回单号 ${s.returnWaybillNo}`));
      }
      case 'receive': {
        if (s.stage !== 'awaiting_parcel') return p.resolve(result(false, '售后单不在待收货'));
        if (cmd.d.waybillNo?.trim()) s.returnWaybillNo = cmd.d.waybillNo.trim();
        if (cmd.d.company?.trim()) s.returnCompany = cmd.d.company.trim();
        s.receivedBy = cmd.d.actor.username;
        s.receivedAt = now();
        s.alert = '';
        moveTo('awaiting_qc');
        record('receive', cmd.d.actor, s.returnWaybillNo ? `退回单号 ${s.returnWaybillNo}` : '');
        await flush();
        return p.resolve(result(true, '已收货，等待质检'));
      }
      case 'qc': {
        if (s.stage !== 'awaiting_qc') return p.resolve(result(false, '售后单不在待质检'));
        s.qc = cmd.d.lines.map((l) => ({ ...l, note: fitText(l.note ?? '', 200) }));
        s.qcBy = cmd.d.actor.username;
        s.qcAt = now();
        const bad = s.qc.filter((q) => q.defective + q.missing + q.wrong > 0);
        s.alert = bad.length ? '质检有问题：请审批时核对金额' : '';
        moveTo('awaiting_approval');
        record('qc', cmd.d.actor, cmd.d.reason ?? '', null, { qc: s.qc });
        await flush();
        return p.resolve(result(true, '质检已提交，等待审批'));
      }
      case 'approve':
        return p.resolve(s.stage === 'awaiting_approval' ? await approve(cmd.d) : result(false, '售后单不在待审批'));
      case 'finance':
        return p.resolve(s.stage === 'awaiting_finance' ? await finance(cmd.d) : result(false, '售后单不在待财务确认'));
      case 'close': {
        if (!open() || s.stage === 'awaiting_platform_refund' || s.stage === 'awaiting_replacement') return p.resolve(result(false, '售后单已不能关闭'));
        if (s.platformRefund && !['CLOSED', 'SUCCESS', 'SELLER_REFUSE_BUYER'].includes(s.platformRefund.status)) {
          const failed = await refuseOnPlatform(cmd.d.reason, cmd.d.actor);
          if (failed) {
            await flush();
            return p.resolve(result(false, `平台拒绝退款失败，售后单未关闭：${failed}`));
          }
        }
        await close(cmd.d.reason, cmd.d.actor);
        await flush();
        return p.resolve(result(true, '售后单已关闭'));
      }
    }
  };

  /** When the case should next wake on its own: a parcel reminder or auto-close, or the platform's deadline warning. */
  const parcelDays = input.parcelDays ?? RETURN_PARCEL_DAYS;
  const nextTimer = (): { at: number; what: 'remind' | 'autoclose' | 'deadline' } | null => {
    const timers: Array<{ at: number; what: 'remind' | 'autoclose' | 'deadline' }> = [];
    if (s.stage === 'awaiting_parcel' && s.agreedAt) {
      const agreed = new Date(s.agreedAt).getTime();
      if (!s.remindedAt) timers.push({ at: agreed + parcelDays.remind * DAY_MS, what: 'remind' });
      timers.push({ at: agreed + parcelDays.close * DAY_MS, what: 'autoclose' });
    }
    const deadline = s.platformRefund?.deadline;
    if (deadline && !s.deadlineWarned && ['registered', 'intercepting', 'awaiting_approval', 'awaiting_finance'].includes(s.stage)) {
      timers.push({ at: new Date(deadline).getTime() - PLATFORM_DEADLINE_WARNING_MS, what: 'deadline' });
    }
    return timers.sort((a, b) => a.at - b.at)[0] ?? null;
  };

  const onTimer = async (what: 'remind' | 'autoclose' | 'deadline') => {
    if (what === 'remind') {
      s.remindedAt = now();
      s.alert = `买家 ${parcelDays.remind} 天未寄回退货，请联系买家`;
      record('remind', SYSTEM_ACTOR, s.alert);
      change();
    } else if (what === 'autoclose') {
      await close(`买家 ${parcelDays.close} 天未寄回退货，自动关闭`, SYSTEM_ACTOR);
    } else {
      s.deadlineWarned = true;
      s.alert = `平台将于 ${shanghai(s.platformRefund?.deadline ?? '')} 自动同意买家的退款，请在此之前处理`;
      record('deadline_warning', SYSTEM_ACTOR, s.alert);
      change();
    }
  };

  const continueAsNewIfLong = async () => {
    if (workflowInfo().historyLength <= HISTORY_LIMIT) return;
    await condition(allHandlersFinished);
    await flush();
    await continueAsNew<typeof runAfterSaleCase>({ ...input, carried: { snapshot: s, auditSeq } });
  };

  /** 换货发货 on Tmall: the replacement's tracking number goes back to the exchange, retried until the platform has it. */
  const consignOnTmall = async (shipped: OrderSnapshot) => {
    const refund = s.platformRefund;
    if (!refund) return;
    for (let attempts = 1; ; attempts++) {
      try {
        await remote.consignExchangeOnPlatform({ shopCode: s.shopCode, refundId: refund.refundId, courierCode: shipped.courierCode, waybillNo: shipped.waybillNo });
        record('platform_exchange_consigned', SYSTEM_ACTOR, `${shipped.courierCode} ${shipped.waybillNo}`);
        return;
      } catch (err) {
        const why = fitText(innermostMessage(err), TEXT_LIMITS.syncLastError);
        s.alert = fitText(`换货发货回传天猫失败（第 ${attempts} 次）：${why}`, TEXT_LIMITS.alert);
        change();
        if (attempts === 1) record('platform_exchange_consign_failed', SYSTEM_ACTOR, why);
        await flush();
        await condition(() => retryRefundNow, syncBackoffMs(attempts));
        retryRefundNow = false;
      }
    }
  };

  // ---- the case's path ---------------------------------------------------------------------------

  if (!carried) {
    record('register', input.createdBy, `${input.reason}${input.note ? `：${input.note}` : ''}`);
    if (s.stage === 'intercepting') await askOrderToIntercept();
  }

  while (open() && s.stage !== 'awaiting_platform_refund' && s.stage !== 'awaiting_replacement') {
    await flush();
    const timer = nextTimer();
    const wake = () => queue.length > 0 || !!interceptAnswer || !!platformNews;
    const woke = timer ? await condition(wake, Math.max(timer.at - Date.now(), 1)) : await condition(wake);
    if (!woke && timer) {
      await onTimer(timer.what);
      continue;
    }
    if (platformNews) {
      const f: PlatformRefundFacts = platformNews;
      platformNews = null;
      await applyPlatformNews(f);
      continue;
    }
    if (interceptAnswer) {
      const o: InterceptOutcome = interceptAnswer;
      interceptAnswer = null;
      applyInterceptAnswer(o);
      continue;
    }
    const next = queue.shift();
    if (next) await handle(next);
    await continueAsNewIfLong();
  }

  // A refund confirmed in a finance batch is asked for by the batch (a few calls for many refunds): its answer is awaited
  // for a while; without one (or with a failure) the case asks on its own, which finds a refund the batch did pay as done.
  if (s.stage === 'awaiting_platform_refund' && s.finance?.batched && s.platformRefundStep.attempts === 0) {
    await flush();
    await condition(() => !!batchAnswer || retryRefundNow, BATCH_ANSWER_WAIT);
    const answer = batchAnswer as PlatformRefundResult | null;
    if (answer?.ok) {
      s.platformRefundStep = { status: 'done', attempts: 1, lastError: '', nextAt: null, doneAt: now() };
      record('platform_refunded', SYSTEM_ACTOR, answer.alreadyDone ? '平台上已是退款成功（批量）' : `平台已退款 ${yuan(s.refundFen + s.postageFen)}（批量）`);
      finish('平台退款成功');
    } else if (answer) {
      record('platform_refund_batch_failed', SYSTEM_ACTOR, answer.message);
    }
  }

  // 平台退款: tell the platform until it has refunded; retried for days with capped backoff, idempotent against a lost answer.
  while (s.stage === 'awaiting_platform_refund' && s.platformRefund) {
    await flush();
    retryRefundNow = false;
    try {
      const r = await remote.refundOnPlatform({ shopCode: s.shopCode, refundId: s.platformRefund.refundId, amountFen: s.refundFen + s.postageFen, phase: s.platformRefund.phase });
      s.platformRefundStep = { status: 'done', attempts: s.platformRefundStep.attempts + 1, lastError: '', nextAt: null, doneAt: now() };
      record('platform_refunded', SYSTEM_ACTOR, r.alreadyDone ? '平台上已是退款成功' : `平台已退款 ${yuan(s.refundFen + s.postageFen)}`);
      finish('平台退款成功');
    } catch (err) {
      const attempts = s.platformRefundStep.attempts + 1;
      const wait = syncBackoffMs(attempts);
      const why = fitText(innermostMessage(err), TEXT_LIMITS.syncLastError);
      s.platformRefundStep = { status: 'failing', attempts, lastError: why, nextAt: new Date(Date.now() + wait).toISOString(), doneAt: null };
      s.alert = fitText(`平台退款失败（第 ${attempts} 次）：${why}`, TEXT_LIMITS.alert);
      change();
      if (attempts === 1) record('platform_refund_failed', SYSTEM_ACTOR, why);
      await flush();
      await condition(() => retryRefundNow || queue.length > 0 || !!platformNews, wait);
      while (queue.length) await handle(queue.shift()!);
      if (platformNews) {
        const f: PlatformRefundFacts = platformNews;
        platformNews = null;
        await applyPlatformNews(f);
      }
      await continueAsNewIfLong();
    }
  }

  // 补发/换货: the replacement is a child order that goes through review, print and scan like any other.
  if (s.stage === 'awaiting_replacement' && input.childOrderBase) {
    const draft = childOrderDraft(s, input.childOrderBase, new Date().toISOString());
    if (!s.childOrderIds.includes(draft.orderId)) {
      s.childOrderIds = [...s.childOrderIds, draft.orderId];
      record('child_order', SYSTEM_ACTOR, `${s.type === 'reissue' ? '补发单' : '换货单'} ${draft.orderId}`);
      change();
    }
    await flush();
    const child = await startChild('orderWorkflow', {
      workflowId: draft.orderId,
      args: [{ draft }],
      // The replacement must ship even if the case is terminated by an operator.
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    const shipped = (await child.result()) as OrderSnapshot;
    if (shipped.status === 'cancelled') {
      s.alert = `${draft.orderId} 已取消，没有发出`;
      await close(`${s.type === 'reissue' ? '补发单' : '换货单'}已取消`, SYSTEM_ACTOR);
    } else {
      if (isTmallExchange()) await consignOnTmall(shipped);
      finish(`${s.type === 'reissue' ? '补发单' : '换货单'}已发货：${shipped.waybillNo}`);
    }
  } else if (s.stage === 'awaiting_replacement') {
    // Registration always gives exchanges and reissues their receiver; a case without one cannot ship and says so.
    s.alert = '换货/补发单缺少收货信息，无法发出';
    await close('缺少收货信息，无法生成换货/补发单', SYSTEM_ACTOR);
  }

  await flush();
  while (queue.length) await handle(queue.shift()!);
  await condition(allHandlersFinished);
  await flush();
  return s;
}

function yuan(fen: number): string {
  return `¥${(fen / 100).toFixed(2)}`;
}

/** yyyy-MM-dd HH:mm in Asia/Shanghai (UTC+8, no daylight saving). */
function shanghai(iso: string): string {
  const ms = new Date(iso).getTime();
  return Number.isNaN(ms) ? iso : new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}
