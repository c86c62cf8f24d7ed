/**
 * Takes in platform refunds (pulled with the shop's orders): keeps each verbatim by refund id and signal-with-starts
 * the after-sales case that answers it (aftersale:<shop>:<refund_id>), so a refund pulled twice opens one case and
 * every later change reaches the running case.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { Order, OrderLine, orderReceiver, PlatformRefund, Shop, Warehouse } from '../db/entities';
import type { Db } from '../db/orm';
import { paidForUnits, platformCaseIds, type CaseLine, type CaseType } from '../domain/after-sale';
import { refundFactsFromTaobao, type PlatformRefundFacts, type TaobaoRefund } from '../domain/platform-refund';
import { SYSTEM_ACTOR } from '../domain/roles';

export interface RefundIntakeResult {
  /** New cases opened. */
  opened: number;
  /** Running cases told about a change. */
  signalled: number;
  /** Seen before with nothing new, or finished cases. */
  unchanged: number;
}

/** Reads one refund whole from the platform. */
export type RefundDetails = (refundId: string) => Promise<TaobaoRefund>;

/** Which case answers a dispute: exchanges become exchange cases, refunds with goods returns, the rest refunds. */
export function caseTypeOf(f: PlatformRefundFacts): CaseType {
  if (f.disputeType === 'TMALL_EXCHANGE' || f.disputeType === 'TAOBAO_EXCHANGE') return 'exchange';
  if (f.disputeType === 'REFUND_AND_RETURN' || f.hasGoodReturn) return 'return';
  return 'refund';
}

export function createRefundIntake({ db, temporal, taskQueue }: { db: Db; temporal: Client; taskQueue: string }) {
  async function parcelDays(shopCode: string): Promise<{ remind: number; close: number } | undefined> {
    const shop = await db.em().findOne(Shop, { code: shopCode });
    return shop ? { remind: shop.returnRemindDays, close: shop.returnCloseDays } : undefined;
  }

  async function warehouses(): Promise<{ returns: string; sellable: string }> {
    const all = await db.em().find(Warehouse, { active: true }, { orderBy: { id: 'asc' } });
    const sellable = all.find((w) => w.kind === 'normal' && w.isDefault) ?? all.find((w) => w.kind === 'normal');
    const returns = all.find((w) => w.kind === 'returns') ?? sellable;
    return { returns: returns?.code ?? '', sellable: sellable?.code ?? '' };
  }

  async function submitOne(
    shopCode: string,
    listed: TaobaoRefund,
    details: RefundDetails | undefined,
    places: { returns: string; sellable: string; parcelDays?: { remind: number; close: number } },
  ): Promise<keyof RefundIntakeResult> {
    const em = db.em();
    const seen = refundFactsFromTaobao(shopCode, listed);
    const known = await em.findOne(PlatformRefund, { shopCode, refundId: seen.refundId });
    if (known && known.modifiedAt.getTime() >= new Date(seen.modified).getTime()) return 'unchanged';
    // The list leaves fields out (refund_version, the deadline, the return parcel): a new or changed refund is read whole.
    const full = details ? await details(seen.refundId) : listed;
    const f = refundFactsFromTaobao(shopCode, full);
    const raw = JSON.stringify(full);
    const { workflowId, caseNo } = platformCaseIds(f.shopCode, f.refundId);
    // The original order, never a replacement order of an earlier case on the same trade.
    const order = await em.findOne(Order, { shopCode: f.shopCode, platformOrderNo: f.tid, source: { $ne: 'after_sale' } });
    const line = order ? await em.findOne(OrderLine, { orderId: order.id, oid: f.oid }) : null;
    const qty = Math.max(1, line ? Math.min(f.num || line.qty, line.qty) : f.num || 1);
    const lines: CaseLine[] = [{
      oid: f.oid,
      skuCode: line?.skuCode ?? f.outerId,
      title: line?.title ?? f.title,
      spec: line?.spec ?? '',
      qty,
      paidFen: line ? paidForUnits(line, qty) : f.paymentFen,
    }];
    const type = caseTypeOf(f);
    const workflowType = type === 'exchange' ? 'exchangeWorkflow' : 'returnWorkflow';
    let outcome: keyof RefundIntakeResult = 'signalled';
    try {
      await temporal.workflow.signalWithStart(workflowType, {
        taskQueue,
        workflowId,
        args: [{
          caseNo, type, shopCode: f.shopCode, orderId: order?.id ?? '', platformOrderNo: f.tid, buyerNick: f.buyerNick,
          orderStatusAtOpen: order?.status ?? '', lines, reason: f.reason || '平台退款', note: f.desc, createdBy: SYSTEM_ACTOR,
          returnsWarehouseCode: places.returns, sellableWarehouseCode: places.sellable, parcelDays: places.parcelDays,
          returnCompany: f.returnCompany, returnWaybillNo: f.returnWaybillNo,
          replacement: type === 'exchange' ? lines.map((l) => ({ skuCode: l.skuCode, title: l.title, spec: l.spec, qty: l.qty, priceFen: Math.round(l.paidFen / l.qty) })) : undefined,
          childOrderBase: order ? {
            shopCode: order.shopCode, platform: 'taobao', platformOrderNo: order.platformOrderNo, buyerNick: order.buyerNick,
            receiver: orderReceiver(order),
          } : undefined,
          platformRefund: {
            refundId: f.refundId, status: f.status, disputeType: f.disputeType, phase: f.refundPhase, refundVersion: f.refundVersion,
            requestedFen: f.refundFeeFen, deadline: f.deadline, modified: f.modified,
          },
        }],
        signal: 'platformRefund',
        signalArgs: [f],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
      if (!known) outcome = 'opened';
    } catch (err) {
      // A finished case keeps its id for good; a later change of its refund is only recorded.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      outcome = 'unchanged';
    }
    await upsert(f, raw, caseNo, order?.id ?? '', !!known);
    return outcome;
  }

  async function upsert(f: PlatformRefundFacts, raw: string, caseNo: string, orderId: string, known: boolean): Promise<void> {
    const em = db.em();
    const values = {
      tid: f.tid, oid: f.oid, status: f.status, disputeType: f.disputeType, refundPhase: f.refundPhase, goodStatus: f.goodStatus,
      hasGoodReturn: f.hasGoodReturn, refundFeeFen: f.refundFeeFen, returnCompany: f.returnCompany.slice(0, 60),
      returnWaybillNo: f.returnWaybillNo.slice(0, 60), refundVersion: f.refundVersion, deadline: f.deadline ? new Date(f.deadline) : null,
      modifiedAt: new Date(f.modified), raw, caseNo, orderId, updatedAt: new Date(),
    };
    if (known) {
      await em.nativeUpdate(PlatformRefund, { shopCode: f.shopCode, refundId: f.refundId, modifiedAt: { $lte: values.modifiedAt } }, values);
      return;
    }
    try {
      await em.insert(PlatformRefund, { shopCode: f.shopCode, refundId: f.refundId, receivedAt: new Date(), ...values });
    } catch (err) {
      if (!/unique|duplicate/i.test(String(err))) throw err;
    }
  }

  return {
    /**
     * Submits the refunds of one pulled page; `details` reads a refund whole (taobao.refund.get) when it is new or
     * changed. Returns how many cases were opened, told, or left alone.
     */
    async ingest(shopCode: string, refunds: TaobaoRefund[], details?: RefundDetails): Promise<RefundIntakeResult> {
      const result: RefundIntakeResult = { opened: 0, signalled: 0, unchanged: 0 };
      if (!refunds.length) return result;
      const places = { ...(await warehouses()), parcelDays: await parcelDays(shopCode) };
      for (const r of refunds) result[await submitOne(shopCode, r, details, places)] += 1;
      return result;
    },

  };
}

export type RefundIntake = ReturnType<typeof createRefundIntake>;
