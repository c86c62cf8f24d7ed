/**
 * The life of one order (订单): auto-review, a reviewer's approval, stock and waybill number reserved,
 * printed, scan-checked, shipped, and the tracking number synced to the platform until it sticks.
 * Staff decisions are Updates checked by synchronous validators; every state change reaches the read
 * model and audit trail through an idempotent activity before the workflow waits again.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { db } from './database-activities';
import { CHANGED_AFTER_PRINT, PLATFORM_CHANGE_LABELS, platformChanges, refundStatusForLines, type PlatformStatusNotice } from '../domain/order-draft';
import type { AuditEntry, OrderSnapshot } from '../domain/order-snapshot';
import { SYSTEM_ACTOR, type Actor } from '../domain/roles';
import { UNMATCHED_REASON } from '../domain/sku-mapping';
import { refundBlocksShipping, tradeIsClosed } from '../domain/taobao';
import { fitText, TEXT_LIMITS } from '../domain/text-limits';
import { innermostMessage } from '../domain/failure-message';
import {
  markSyncedUpdate,
  orderStateQuery,
  platformUpdateSignal,
  printedSignal,
  reserveWaybillUpdate,
  retrySyncSignal,
  reviewUpdate,
  shipUpdate,
  skuMappedSignal,
  type CarriedOrderState,
  type DecisionResult,
  type OrderWorkflowInput,
  type PlatformFacts,
  type ReviewDecision,
  type ShipRequest,
  type WaybillToCancel,
} from './messages';
import {
  confirmPulledUpdate,
  interceptOutcomeSignal,
  interceptSignal,
  releaseInterceptSignal,
  type InterceptOutcome,
  type InterceptRequest,
} from './after-sale-messages';
import { stockArrivedSignal } from './stock-document-messages';
import { assertActor, assertCanReserveWaybill, assertDecision, assertCanReview, assertCanShip, auditEntry, initialSnapshot, syncBackoffMs } from './order-state';
import { SIGNED_ACTORS, signalActorProblem } from './actor-signature';

// Courier and platform calls give up after a few tries; every caller catches the failure and leaves the order in a
// state staff can see and act on (a refusal, or a retry loop with its last error): see test/workflows/remote-calls-are-handled.test.ts.
const remote = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 4 },
});
// The refund check runs while a person stands at the scan desk: it gives up within seconds and the desk is told why.
const ask = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumAttempts: 2 },
});
// Shipment sync retries are the workflow's own loop (visible as last error / next attempt), so one try each.
const syncOnce = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 1 } });

type Command =
  | { kind: 'review'; d: ReviewDecision }
  | { kind: 'reserveWaybill'; actor: Actor; courierCode?: string }
  | { kind: 'ship'; d: ShipRequest }
  | { kind: 'markSynced'; actor: Actor; reason: string }
  | { kind: 'confirmPulled'; actor: Actor }
  | { kind: 'skuMapped'; actor: Actor; mapping: string };

interface Pending {
  cmd: Command;
  resolve: (r: DecisionResult) => void;
}

const HISTORY_LIMIT = 2_000;
const REFUND_PAUSE_ALERT = '买家申请退款，暂停发货';

export async function orderWorkflow({ draft, carried }: OrderWorkflowInput): Promise<OrderSnapshot> {
  const c: CarriedOrderState = carried ?? {
    snapshot: initialSnapshot(draft),
    auditSeq: 0,
    stockSeq: 0,
    waybillSeq: 0,
    platformModifiedAt: draft.modifiedAt,
  };
  const s = c.snapshot;
  const facts: PlatformFacts = c.platformFacts ?? { receiver: { ...draft.receiver }, buyerMessage: draft.buyerMessage, sellerMemo: draft.sellerMemo };
  c.platformFacts = facts;
  const audit: AuditEntry[] = [];
  const queue: Pending[] = [];
  let dirty = false;
  let retrySyncNow = false;
  /** Set when a buyer's change reaches an approved, unprinted order: the main loop sends it back to review. */
  let sendBackReason = '';
  /** A refund asked before shipment (from its after-sales case), and a buyer's withdrawal of one: applied by the main loop. */
  const intercepts: InterceptRequest[] = [];
  let interceptReleased = '';

  const now = () => new Date().toISOString();
  const record = (action: string, actor: Actor, reason = '', before: Record<string, unknown> | null = null, after: Record<string, unknown> | null = null) => {
    audit.push(auditEntry(s.id, ++c.auditSeq, action, actor, now(), reason, before, after));
  };
  const change = () => {
    if (!dirty) s.version += 1;
    dirty = true;
  };
  /** Writes what changed since the last wait; versions let the read model ignore an older write. */
  const flush = async () => {
    if (!dirty && audit.length === 0) return;
    dirty = false;
    await db.saveOrder({ snapshot: s, audit: audit.splice(0) });
  };
  const result = (ok: boolean, message: string): DecisionResult => ({ ok, status: s.status, version: s.version, message, waybillNo: s.waybillNo || undefined });
  const enqueue = (cmd: Command) => new Promise<DecisionResult>((resolve) => queue.push({ cmd, resolve }));
  const pendingCancels = () => c.waybillsToCancel ?? [];
  const cancelRetryMs = () => syncBackoffMs(c.waybillCancelAttempts ?? 1);

  /**
   * A buyer's or the shop's change on the platform (address, buyer message, seller memo): before printing it is
   * applied and audited, and an approved order goes back to review; after printing the label is wrong, so the order
   * carries a loud alert and the scan desk refuses the parcel until a supervisor releases it.
   */
  const applyBuyerChanges = (n: PlatformStatusNotice) => {
    const changed = platformChanges(facts, n);
    if (!changed.length) return;
    const what = changed.map((f) => PLATFORM_CHANGE_LABELS[f]).join('、');
    const before = { receiver: { ...s.receiver }, buyerMessage: s.buyerMessage, sellerMemo: s.sellerMemo };
    if (n.receiver && changed.includes('receiver')) facts.receiver = { ...n.receiver };
    if (n.buyerMessage !== undefined) facts.buyerMessage = n.buyerMessage;
    if (n.sellerMemo !== undefined) facts.sellerMemo = n.sellerMemo;
    const after = { receiver: facts.receiver, buyerMessage: facts.buyerMessage, sellerMemo: facts.sellerMemo };
    if (['submitted', 'review', 'out_of_area', 'waybill_pending', 'ready_to_print'].includes(s.status)) {
      if (changed.includes('receiver')) s.receiver = { ...facts.receiver };
      if (changed.includes('buyerMessage')) s.buyerMessage = facts.buyerMessage;
      if (changed.includes('sellerMemo')) s.sellerMemo = facts.sellerMemo;
      const reason = `平台上${what}已修改`;
      s.reviewReasons = [...s.reviewReasons.filter((r) => !r.startsWith('平台上')), reason];
      if (s.status === 'waybill_pending' || s.status === 'ready_to_print') sendBackReason = `${reason}，请重新审核`;
      record('platform_changed', SYSTEM_ACTOR, reason, before, after);
    } else if (s.status === 'printed') {
      s.changedAfterPrint = `${CHANGED_AFTER_PRINT}${what}`;
      s.alert = fitText(`${s.changedAfterPrint}，请拦截核对`, TEXT_LIMITS.alert);
      record('platform_changed_after_print', SYSTEM_ACTOR, s.changedAfterPrint, before, after);
    } else {
      record('platform_changed', SYSTEM_ACTOR, `平台上${what}已修改（订单已${s.status === 'cancelled' ? '取消' : '发货'}，未应用）`, before, after);
    }
    change();
  };

  setHandler(orderStateQuery, () => s);
  setHandler(reviewUpdate, (d) => enqueue({ kind: 'review', d }), { validator: (d) => assertCanReview(s, d) });
  setHandler(reserveWaybillUpdate, (r) => enqueue({ kind: 'reserveWaybill', actor: r.actor, courierCode: r.courierCode }), {
    validator: (r) => assertCanReserveWaybill(s, r),
  });
  setHandler(shipUpdate, (d) => enqueue({ kind: 'ship', d }), { validator: (d) => assertCanShip(s, d) });
  setHandler(markSyncedUpdate, (d) => enqueue({ kind: 'markSynced', actor: d.actor, reason: d.reason ?? '' }), {
    validator: (d) => {
      assertActor(d.actor, 'sync.markSynced');
      if (s.status !== 'shipped') throw new Error('只有已发货、尚未同步的订单可以标记为已同步');
      if (!d.reason?.trim()) throw new Error('请填写原因');
    },
  });
  setHandler(retrySyncSignal, (d) => {
    if (d.actor?.username && s.status === 'shipped') {
      // Signal handlers run again on replay: histories from before signed actors took the actor at its word.
      const refused = patched(SIGNED_ACTORS) ? signalActorProblem(d.actor, retrySyncSignal.name) : null;
      if (refused) return record('actor_refused', SYSTEM_ACTOR, fitText(`未执行 ${d.actor.username} 的「立即重试同步」：${refused}`, TEXT_LIMITS.auditReason));
      retrySyncNow = true;
      record('sync_retry_requested', d.actor);
    }
  });
  setHandler(interceptSignal, (r) => {
    intercepts.push(r);
  });
  // 货品对应: queued like a decision (nobody waits on its answer) so the main loop re-checks the lines through an activity.
  setHandler(skuMappedSignal, (n) => {
    queue.push({ cmd: { kind: 'skuMapped', actor: n.actor, mapping: n.mapping }, resolve: () => undefined });
  });
  // 缺货 re-check: a stock-in covered this order's whole need (allocated oldest paid first), so the 缺货 reason goes and
  // the reviewer may approve; the approval reserves as always and refuses with 缺货 if someone took the units meanwhile.
  setHandler(stockArrivedSignal, (n) => {
    // Before this handler the signal changed nothing: a history that received it replays as it ran.
    if (!patched('stock-arrived')) return;
    if (s.status !== 'review' && s.status !== 'out_of_area') return;
    if (!s.reviewReasons.some((r) => r.startsWith('缺货'))) return;
    if (s.warehouseCode && n.warehouseCode && s.warehouseCode !== n.warehouseCode) return;
    const before = { reviewReasons: s.reviewReasons };
    s.reviewReasons = s.reviewReasons.filter((r) => !r.startsWith('缺货'));
    change();
    record('stock_arrived', SYSTEM_ACTOR, fitText(`入库单 ${n.docNo} 到货，缺货已解除`, TEXT_LIMITS.auditReason), before, { reviewReasons: s.reviewReasons });
  });
  setHandler(releaseInterceptSignal, ({ caseNo }) => {
    if (s.intercept?.caseNo === caseNo) interceptReleased = caseNo;
  });
  setHandler(confirmPulledUpdate, (d) => enqueue({ kind: 'confirmPulled', actor: d.actor }), {
    validator: (d) => {
      assertDecision(s, d, 'ship.scan', ['printed']);
      if (s.intercept?.state !== 'waiting_pull') throw new Error('这个订单没有等待取下的拦截包裹');
    },
  });
  setHandler(printedSignal, (n) => {
    if (!['ready_to_print', 'printed', 'shipped', 'done'].includes(s.status)) return;
    const reprint = s.printCount > 0;
    s.printCount += 1;
    s.printedAt = n.at;
    if (s.status === 'ready_to_print') s.status = 'printed';
    change();
    record(reprint ? 'reprint' : 'print', n.actor, `批次 ${n.batchId}（${n.kinds}）`);
  });
  setHandler(platformUpdateSignal, (n) => {
    // The pull sees the same trade many times; only a newer modified time is news.
    if (n.modifiedAt <= c.platformModifiedAt) return;
    c.platformModifiedAt = n.modifiedAt;
    const before = { platformStatus: s.platformStatus, refundStatus: s.refundStatus };
    s.platformStatus = n.platformStatus;
    s.refundStatus = refundStatusForLines(n, s.lines.map((l) => l.oid));
    if (refundBlocksShipping(s.refundStatus) && !['shipped', 'done', 'cancelled'].includes(s.status)) s.alert = REFUND_PAUSE_ALERT;
    else if (s.alert.includes('退款') && !s.alert.startsWith('售后拦截') && !refundBlocksShipping(s.refundStatus)) s.alert = '';
    change();
    record('platform_update', SYSTEM_ACTOR, n.reason ?? '', before, { platformStatus: s.platformStatus, refundStatus: s.refundStatus });
    applyBuyerChanges(n);
  });

  // ---- steps -----------------------------------------------------------------------------------

  const stockInput = (step: string, seq: number, actor: Actor) => ({
    key: `${s.id}:${step}:${seq}`,
    orderId: s.id,
    warehouseCode: s.warehouseCode,
    lines: s.lines.map((l) => ({ skuCode: l.skuCode, qty: l.qty })),
    actor: actor.username,
  });

  const reserveWaybill = async (actor: Actor): Promise<boolean> => {
    try {
      const r = await remote.reserveWaybillNumber({
        key: `${s.id}:waybill:${++c.waybillSeq}`,
        orderId: s.id,
        shopCode: s.shopCode,
        platformOrderNo: s.platformOrderNo,
        courierCode: s.courierCode,
        receiver: s.receiver,
        lines: s.lines.map((l) => ({ title: l.title, qty: l.qty })),
      });
      s.waybillNo = r.waybillNo;
      s.status = 'ready_to_print';
      s.alert = s.alert.startsWith('预约单号失败') ? '' : s.alert;
      change();
      record('waybill_reserved', actor, '', null, { courierCode: s.courierCode, waybillNo: s.waybillNo });
      return true;
    } catch (err) {
      s.status = 'waybill_pending';
      s.alert = fitText(`预约单号失败: ${innermostMessage(err)}`, TEXT_LIMITS.alert);
      change();
      record('waybill_failed', actor, s.alert);
      return false;
    }
  };

  /**
   * Gives every tracking number in c.waybillsToCancel back to its courier. A courier that cannot be reached keeps
   * the number on the list with the error and the next attempt on the order; the caller retries until it is empty.
   */
  const cancelWaybills = async () => {
    const failed: WaybillToCancel[] = [];
    let lastError = '';
    for (const w of pendingCancels()) {
      try {
        await remote.cancelWaybillNumber({ orderId: s.id, shopCode: s.shopCode, courierCode: w.courierCode, waybillNo: w.waybillNo });
      } catch (err) {
        failed.push(w);
        lastError = innermostMessage(err);
      }
    }
    c.waybillsToCancel = failed;
    if (failed.length) {
      c.waybillCancelAttempts = (c.waybillCancelAttempts ?? 0) + 1;
      const numbers = failed.map((w) => w.waybillNo).join('、');
      const next = shanghaiTime(Date.now() + syncBackoffMs(c.waybillCancelAttempts));
      s.alert = fitText(`取消物流单号 ${numbers} 失败（第 ${c.waybillCancelAttempts} 次，${next} 自动重试）：${lastError}`, TEXT_LIMITS.alert);
      if (c.waybillCancelAttempts === 1) record('waybill_cancel_failed', SYSTEM_ACTOR, fitText(`${numbers}：${lastError}`, TEXT_LIMITS.auditReason));
      change();
    } else if (c.waybillCancelAttempts) {
      c.waybillCancelAttempts = 0;
      if (s.alert.startsWith('取消物流单号')) s.alert = '';
      record('waybill_cancelled', SYSTEM_ACTOR, '物流单号已取消');
      change();
    }
  };

  const review = async (d: ReviewDecision): Promise<DecisionResult> => {
    if (!['review', 'out_of_area'].includes(s.status)) return result(false, '订单已不在待审核状态');
    const before = { courierCode: s.courierCode, warehouseCode: s.warehouseCode, receiver: { ...s.receiver }, sellerMemo: s.sellerMemo };
    if (d.courierCode) s.courierCode = d.courierCode;
    if (d.warehouseCode) s.warehouseCode = d.warehouseCode;
    if (d.receiver) s.receiver = { ...s.receiver, ...d.receiver };
    if (d.sellerMemo !== undefined) s.sellerMemo = d.sellerMemo;
    const edits = { courierCode: s.courierCode, warehouseCode: s.warehouseCode, receiver: s.receiver, sellerMemo: s.sellerMemo };
    const stock = await db.reserveStock(stockInput('reserve', ++c.stockSeq, d.actor));
    if (!stock.ok) {
      const names = stock.shortages.map((x) => `${x.skuCode} 需 ${x.needed} 可用 ${x.available}`).join('，');
      s.reviewReasons = [...s.reviewReasons.filter((r) => !r.startsWith('缺货')), `缺货: ${stock.shortages.map((x) => x.skuCode).join(', ')}`];
      change();
      // The reviewer's edits stay on the order for the next try, and the audit says who made them.
      record('approve_refused', d.actor, `库存不足：${names}`, before, edits);
      await flush();
      return result(false, `库存不足，未审核：${names}`);
    }
    s.status = 'waybill_pending';
    s.reviewedBy = d.actor.username;
    s.reviewedAt = now();
    s.reviewReasons = [];
    change();
    record('approve', d.actor, d.reason ?? '', before, edits);
    const gotNumber = await reserveWaybill(d.actor);
    await flush();
    return result(true, gotNumber ? `已审核，物流单号 ${s.waybillNo}` : `已审核，但${s.alert}`);
  };

  const ship = async (d: ShipRequest): Promise<DecisionResult> => {
    if (s.status !== 'printed') return result(false, '订单不在待发货状态');
    // 退款检测: ask the platform right before the parcel leaves; a refund asked for stops it. A platform that cannot
    // be asked refuses the parcel for now (it stays 已打印) unless a supervisor releases it, on the record.
    let check: Awaited<ReturnType<typeof ask.checkRefund>> | null = null;
    try {
      // A reissue or exchange parcel answers a case on a trade the platform may well show as refunded: nothing to ask.
      if (s.source !== 'after_sale') check = await ask.checkRefund({ shopCode: s.shopCode, platformOrderNo: s.platformOrderNo, oids: s.lines.map((l) => l.oid) });
    } catch (err) {
      const why = innermostMessage(err);
      if (!d.override) {
        record('refund_check_failed', d.actor, fitText(`平台无法连接：${why}`, TEXT_LIMITS.auditReason));
        await flush();
        return result(false, `平台无法连接，稍后再扫（退款检测失败：${why}）`);
      }
      record('refund_check_skipped', d.actor, fitText(`主管放行：${d.override.reason}（退款检测失败：${why}）`, TEXT_LIMITS.auditReason));
    }
    if (check?.noPlatform) record('refund_check_skipped', SYSTEM_ACTOR, check.noPlatform);
    if (check?.blocked) {
      s.refundStatus = check.refundStatus;
      s.platformStatus = check.platformStatus || s.platformStatus;
      s.alert = REFUND_PAUSE_ALERT;
      change();
      record('ship_refused', d.actor, `退款检测：${check.refundStatus || check.platformStatus}`);
      await flush();
      return result(false, '买家已申请退款或交易已关闭，不要发货');
    }
    if (d.override && s.changedAfterPrint) {
      record('ship_released', d.actor, fitText(`主管放行：${d.override.reason}（${s.changedAfterPrint}）`, TEXT_LIMITS.auditReason));
      s.changedAfterPrint = '';
      s.alert = '';
    }
    record('scan_checked', d.actor, '', null, { scanned: d.scannedBarcodes.length });
    await db.deductStock(stockInput('deduct', c.stockSeq, d.actor));
    s.status = 'shipped';
    s.shippedBy = d.actor.username;
    s.shippedAt = now();
    s.weightGrams = d.weightGrams ?? 0;
    s.postageFen = d.postageFen ?? 0;
    s.sync = { ...s.sync, status: 'pending' };
    change();
    record('ship', d.actor, '', null, { waybillNo: s.waybillNo, weightGrams: s.weightGrams, postageFen: s.postageFen });
    await flush();
    return result(true, `已发货：${s.waybillNo}`);
  };

  /** Releases the order's stock and hands its tracking number back for cancellation (retried until the courier confirms). */
  const giveBackStockAndNumber = async () => {
    await db.releaseStock(stockInput('release', c.stockSeq, SYSTEM_ACTOR));
    if (s.waybillNo) {
      c.waybillsToCancel = [...pendingCancels(), { courierCode: s.courierCode, waybillNo: s.waybillNo }];
      await cancelWaybills();
    }
  };

  const closeBeforeShipping = async (reason = '平台交易已关闭') => {
    if (['waybill_pending', 'ready_to_print', 'printed'].includes(s.status)) await giveBackStockAndNumber();
    s.status = 'cancelled';
    change();
    record('cancel', SYSTEM_ACTOR, reason);
    await flush();
  };

  /** Answers the after-sales case that asked for an interception; a case that is gone no longer needs the answer. */
  const tellCase = async (caseWorkflowId: string, outcome: InterceptOutcome['outcome'], message: string) => {
    try {
      await getExternalWorkflowHandle(caseWorkflowId).signal(interceptOutcomeSignal, { orderId: s.id, outcome, message });
    } catch (err) {
      record('intercept_answer_failed', SYSTEM_ACTOR, fitText(`${caseWorkflowId}：${innermostMessage(err)}`, TEXT_LIMITS.auditReason));
    }
  };

  /**
   * Applies a held refund: every paid unit refunded cancels the order (stock and tracking number given back); otherwise
   * the refunded units leave the order, their reservation is released, and the rest goes on (a pulled parcel is repacked).
   */
  const cancelInterceptedLines = async (): Promise<'order_cancelled' | 'lines_cancelled'> => {
    const i = s.intercept;
    if (!i) return 'lines_cancelled';
    const refunded = (oid: string) => i.lines.find((x) => x.oid === oid)?.qty ?? 0;
    const whole = s.lines.filter((l) => !l.isGift).every((l) => refunded(l.oid) >= l.qty);
    s.intercept = undefined;
    if (s.alert.startsWith('售后拦截')) s.alert = '';
    if (whole) {
      await closeBeforeShipping(`售后单 ${i.caseNo}：发货前全额退款`);
      await tellCase(i.caseWorkflowId, 'order_cancelled', '订单已取消，库存和物流单号已释放');
      return 'order_cancelled';
    }
    const before = { lines: s.lines.map((l) => ({ oid: l.oid, skuCode: l.skuCode, qty: l.qty })) };
    const released = s.lines.filter((l) => refunded(l.oid) > 0).map((l) => ({ skuCode: l.skuCode, qty: Math.min(refunded(l.oid), l.qty) }));
    if (['waybill_pending', 'ready_to_print', 'printed'].includes(s.status)) {
      await db.releaseStock({ key: `${s.id}:release-case:${i.caseNo}`, orderId: s.id, warehouseCode: s.warehouseCode, lines: released, actor: SYSTEM_ACTOR.username });
    }
    s.lines = s.lines
      .map((l) => {
        const qty = l.qty - Math.min(refunded(l.oid), l.qty);
        return { ...l, qty, amountFen: l.qty ? Math.round((l.amountFen * qty) / l.qty) : 0 };
      })
      .filter((l) => l.qty > 0);
    s.partialShipment = true;
    // The pulled parcel no longer matches its packing list: it is packed and printed again.
    if (s.status === 'printed') s.status = 'ready_to_print';
    // The refund that paused the order belongs to the case now; a refund on another line opens (and holds for) its own.
    if (s.alert === REFUND_PAUSE_ALERT) s.alert = '';
    change();
    record('lines_cancelled', SYSTEM_ACTOR, `售后单 ${i.caseNo}：发货前部分退款`, before, { lines: s.lines.map((l) => ({ oid: l.oid, skuCode: l.skuCode, qty: l.qty })) });
    await flush();
    await tellCase(i.caseWorkflowId, 'lines_cancelled', `已从订单中去掉退款的商品：${released.map((r) => `${r.skuCode}×${r.qty}`).join('、')}`);
    return 'lines_cancelled';
  };

  /** 拦截: a refund asked before shipment holds the order; a printed parcel waits until the warehouse pulls it off the line. */
  const intercept = async (r: InterceptRequest) => {
    if (s.status === 'shipped' || s.status === 'done') return tellCase(r.caseWorkflowId, 'already_shipped', '订单已发货，无法拦截');
    if (s.status === 'cancelled') return tellCase(r.caseWorkflowId, 'already_cancelled', '订单已取消');
    s.intercept = { caseNo: r.caseNo, caseWorkflowId: r.caseWorkflowId, lines: r.lines, state: 'held' };
    record('intercept', SYSTEM_ACTOR, `售后单 ${r.caseNo}：买家发货前申请退款`);
    if (s.status === 'printed') {
      s.intercept.state = 'waiting_pull';
      s.alert = fitText(`售后拦截（${r.caseNo}）：买家已申请退款，请把包裹从发货线上取下`, TEXT_LIMITS.alert);
      change();
      await flush();
      return tellCase(r.caseWorkflowId, 'waiting_pull', '面单已打印：等待仓库把包裹取下');
    }
    change();
    await cancelInterceptedLines();
  };

  /**
   * Applies the refunds asked so far, one case at a time; while a printed parcel waits to be pulled the next case waits
   * too (it is applied to the repacked order). A shipped or finished order answers them all at once.
   */
  const nextIntercept = () => s.intercept?.state !== 'waiting_pull' && intercepts.length > 0;
  const applyIntercepts = async () => {
    while (nextIntercept()) await intercept(intercepts.shift()!);
  };

  /**
   * 货品对应 saved for a line this order waits on: the unmatched lines are resolved again; lines that now name a SKU
   * replace the old ones, the 货品未匹配 reason goes (缺货 comes when the warehouse is short) and the mapper is on record.
   */
  const rematchLines = async (actor: Actor, mapping: string): Promise<DecisionResult> => {
    if (!['review', 'out_of_area'].includes(s.status) || !s.reviewReasons.some((r) => r.startsWith(UNMATCHED_REASON))) {
      return result(false, '订单没有等待货品对应的商品');
    }
    const r = await db.rematchLines({ shopCode: s.shopCode, warehouseCode: s.warehouseCode, lines: s.lines, checkStock: s.status === 'review' });
    if (!r.changed) return result(false, '对应后仍没有匹配到货品');
    const before = { lines: s.lines.map((l) => ({ oid: l.oid, skuCode: l.skuCode })), reviewReasons: s.reviewReasons };
    s.lines = r.lines;
    const kept = s.reviewReasons.filter((x) => !x.startsWith(UNMATCHED_REASON) && !x.startsWith('缺货'));
    s.reviewReasons = [...kept, ...(r.unmatched ? [r.unmatched] : []), ...(r.short ? [r.short] : [])];
    change();
    record('sku_mapped', actor, fitText(`货品对应：${mapping}`, TEXT_LIMITS.auditReason), before, { lines: s.lines.map((l) => ({ oid: l.oid, skuCode: l.skuCode })), reviewReasons: s.reviewReasons });
    await flush();
    return result(true, r.unmatched ? `部分商品已对应，仍有${r.unmatched}` : '商品已全部对应');
  };

  /** 驳回: an approved, unprinted order goes back to review, its stock and tracking number given back. */
  const sendBack = async (reason: string) => {
    if (s.status !== 'waybill_pending' && s.status !== 'ready_to_print') return;
    const before = { status: s.status, waybillNo: s.waybillNo };
    await giveBackStockAndNumber();
    s.status = 'review';
    s.waybillNo = '';
    s.reviewedBy = '';
    s.reviewedAt = null;
    change();
    record('send_back', SYSTEM_ACTOR, reason, before, { status: s.status });
    await flush();
  };

  const handle = async (p: Pending) => {
    const { cmd } = p;
    switch (cmd.kind) {
      case 'review':
        return p.resolve(await review(cmd.d));
      case 'reserveWaybill': {
        if (s.status !== 'waybill_pending') return p.resolve(result(false, '订单不需要预约物流单号'));
        if (cmd.courierCode && cmd.courierCode !== s.courierCode) {
          record('courier_changed', cmd.actor, '', { courierCode: s.courierCode }, { courierCode: cmd.courierCode });
          s.courierCode = cmd.courierCode;
        }
        const ok = await reserveWaybill(cmd.actor);
        await flush();
        return p.resolve(result(ok, ok ? `物流单号 ${s.waybillNo}` : s.alert));
      }
      case 'ship':
        return p.resolve(await ship(cmd.d));
      case 'confirmPulled': {
        if (s.status !== 'printed' || s.intercept?.state !== 'waiting_pull') return p.resolve(result(false, '这个订单没有等待取下的拦截包裹'));
        record('parcel_pulled', cmd.actor, `售后单 ${s.intercept.caseNo}`);
        const outcome = await cancelInterceptedLines();
        return p.resolve(result(true, outcome === 'order_cancelled' ? '包裹已取下，订单已取消' : '包裹已取下，退款的商品已从订单中去掉，请重新打印'));
      }
      case 'skuMapped':
        return p.resolve(await rematchLines(cmd.actor, cmd.mapping));
      case 'markSynced': {
        if (s.status !== 'shipped') return p.resolve(result(false, '订单不在待同步状态'));
        s.sync = { ...s.sync, status: 'synced', syncedAt: now(), nextAt: null };
        s.status = 'done';
        change();
        record('sync_marked', cmd.actor, cmd.reason);
        await flush();
        return p.resolve(result(true, '已标记为同步成功'));
      }
    }
  };

  /** Long retry loops start a fresh history before it grows large, carrying everything over (nothing unwritten). */
  const continueAsNewIfLong = async () => {
    if (workflowInfo().historyLength <= HISTORY_LIMIT) return;
    await condition(allHandlersFinished);
    // Audit rows recorded while waiting (a "retry now", a platform notice) would be lost with this run otherwise.
    if (patched('flush-before-continue-as-new')) await flush();
    await continueAsNew<typeof orderWorkflow>({ draft, carried: c });
  };

  // ---- the order's path --------------------------------------------------------------------------

  if (s.status === 'submitted') {
    const outcome = await db.autoReview(draft);
    s.status = outcome.status;
    s.reviewReasons = [...outcome.reasons, ...s.reviewReasons.filter((r) => r.startsWith('平台上'))];
    s.courierCode = outcome.courierCode;
    s.couriersServing = outcome.couriersServing;
    s.courierCoverage = outcome.courierCoverage;
    s.warehouseCode = outcome.warehouseCode;
    s.lines = outcome.lines;
    s.shipBy = outcome.shipBy;
    change();
    record('submit', SYSTEM_ACTOR, `来源 ${draft.source}`);
    record('auto_review', SYSTEM_ACTOR, outcome.reasons.join('；') || '无异常', null, { status: s.status, courierCode: s.courierCode, warehouseCode: s.warehouseCode });
  }

  while (s.status !== 'shipped' && s.status !== 'done' && s.status !== 'cancelled') {
    await flush();
    const wake = () => queue.length > 0 || dirty || tradeIsClosed(s.platformStatus) || !!sendBackReason || nextIntercept() || !!interceptReleased;
    if (pendingCancels().length) {
      if (!(await condition(wake, cancelRetryMs()))) await cancelWaybills();
      continue;
    }
    await condition(wake);
    if (tradeIsClosed(s.platformStatus)) {
      await closeBeforeShipping();
      break;
    }
    if (nextIntercept()) {
      await applyIntercepts();
      continue;
    }
    if (interceptReleased) {
      const caseNo = interceptReleased;
      interceptReleased = '';
      if (s.intercept?.caseNo === caseNo) {
        s.intercept = undefined;
        if (s.alert.startsWith('售后拦截')) s.alert = '';
        change();
        record('intercept_released', SYSTEM_ACTOR, `售后单 ${caseNo}：买家撤销退款，订单继续`);
      }
      continue;
    }
    if (sendBackReason) {
      const reason = sendBackReason;
      sendBackReason = '';
      await sendBack(reason);
      continue;
    }
    const next = queue.shift();
    if (next) await handle(next);
  }

  // A cancelled order's tracking number goes back to the courier however long the courier takes to answer.
  while (s.status === 'cancelled' && pendingCancels().length) {
    await flush();
    await condition(() => queue.length > 0, cancelRetryMs());
    while (queue.length) await handle(queue.shift()!);
    await cancelWaybills();
    await continueAsNewIfLong();
  }

  // A reissue or exchange parcel belongs to a trade the platform already shipped: its number is not sent back.
  if (s.status === 'shipped' && s.source === 'after_sale') {
    s.status = 'done';
    s.sync = { ...s.sync, status: 'none' };
    change();
    record('sync_skipped', SYSTEM_ACTOR, '售后补发/换货单，不回传平台');
  }

  // 发货同步: tell the platform until it has the number; the loop's state is what the 发货同步 page shows.
  while (s.status === 'shipped') {
    await flush();
    // Cleared before the attempt, not after it: a "retry now" pressed while this attempt's result is being written wakes the next wait.
    retrySyncNow = false;
    try {
      const r = await syncOnce.syncShipment({
        shopCode: s.shopCode, platformOrderNo: s.platformOrderNo, courierCode: s.courierCode, waybillNo: s.waybillNo,
        ...(s.partialShipment ? { oids: s.lines.map((l) => l.oid) } : {}),
      });
      // Same commands either way (one write, then done), so histories from before CSV-only shops replay unchanged.
      if (r.notSent) {
        s.sync = { status: 'none', attempts: s.sync.attempts, lastError: '', nextAt: null, syncedAt: null };
        s.status = 'done';
        change();
        record('sync_skipped', SYSTEM_ACTOR, r.notSent);
        break;
      }
      s.sync = { status: 'synced', attempts: s.sync.attempts + 1, lastError: '', nextAt: null, syncedAt: now() };
      s.status = 'done';
      change();
      record('sync', SYSTEM_ACTOR, r.alreadyShipped ? '平台已是发货状态' : '', null, { courierCode: s.courierCode, waybillNo: s.waybillNo });
      break;
    } catch (err) {
      const attempts = s.sync.attempts + 1;
      const wait = syncBackoffMs(attempts);
      s.sync = { status: 'failing', attempts, lastError: fitText(innermostMessage(err), TEXT_LIMITS.syncLastError), nextAt: new Date(Date.now() + wait).toISOString(), syncedAt: null };
      change();
      if (attempts === 1) record('sync_failed', SYSTEM_ACTOR, s.sync.lastError);
      await flush();
      await condition(() => retrySyncNow || queue.length > 0 || intercepts.length > 0, wait);
      while (queue.length) await handle(queue.shift()!);
      await applyIntercepts();
      if (s.status === 'shipped') await continueAsNewIfLong();
    }
  }

  await applyIntercepts();
  await flush();
  while (queue.length) await handle(queue.shift()!);
  await condition(allHandlersFinished);
  return s;
}

/** HH:mm in Asia/Shanghai (UTC+8, no daylight saving), for the next-attempt time staff read on the order. */
function shanghaiTime(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(11, 16);
}
