/**
 * Submits platform orders (pulled or imported): keeps each one verbatim and signal-with-starts its order
 * workflow, so an order seen twice changes nothing twice and a status change reaches the running order.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { Db } from '../db/orm';
import { PlatformOrder } from '../db/entities';
import type { OrderDraft, PlatformStatusNotice } from '../domain/order-draft';
import { tradeAwaitsShipment } from '../domain/taobao';
import { fitDraft } from '../domain/text-limits';
import { createRefundIntake } from './refund-intake';

export interface IntakeItem {
  draft: OrderDraft;
  /** The platform's own text for this order, stored byte for byte. */
  raw: string;
}

export interface IntakeResult {
  /** New order workflows started. */
  started: number;
  /** Running orders told about a change. */
  signalled: number;
  /** Seen before with nothing new. */
  unchanged: number;
  /** Kept as platform orders but not submitted (unpaid, closed or finished before we saw them). */
  skipped: number;
}

export interface OrderIntakeDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  /** How many workflow starts run at once. */
  concurrency?: number;
}

export type OrderIntake = ReturnType<typeof createOrderIntake>;

export function createOrderIntake({ db, temporal, taskQueue, concurrency = 8 }: OrderIntakeDeps) {
  async function submitOne(item: IntakeItem, known: PlatformOrder | undefined): Promise<keyof IntakeResult> {
    // The order keeps text cut to its columns; the verbatim platform order (item.raw) keeps all of it.
    const draft = fitDraft(item.draft);
    const modifiedAt = new Date(draft.modifiedAt);
    if (known && known.modifiedAt.getTime() >= modifiedAt.getTime()) return 'unchanged';
    const submit = known?.submitted || tradeAwaitsShipment(draft.platformStatus);
    let outcome: keyof IntakeResult = 'skipped';
    if (submit) {
      // The workflow is told first and the platform order stored after: a crash in between is repaired by
      // the next pull, whose notice the workflow drops as already seen (same modified time).
      const notice: PlatformStatusNotice = {
        platformStatus: draft.platformStatus,
        modifiedAt: draft.modifiedAt,
        ...refundStatusesOf(item.raw),
        receiver: draft.receiver,
        buyerMessage: draft.buyerMessage,
        sellerMemo: draft.sellerMemo,
      };
      try {
        await temporal.workflow.signalWithStart('orderWorkflow', {
          taskQueue,
          workflowId: draft.orderId,
          args: [{ draft }],
          signal: 'platformUpdate',
          signalArgs: [notice],
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        });
        outcome = known?.submitted ? 'signalled' : 'started';
      } catch (err) {
        // A finished order keeps its id for good; a later change of a done order is only recorded.
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        outcome = 'unchanged';
      }
    }
    await upsertPlatformOrder(item, submit, known);
    return outcome;
  }

  /** Stores the platform order; `known` is the row the batch read, so no second look-up is needed. */
  async function upsertPlatformOrder(item: IntakeItem, submitted: boolean, known: PlatformOrder | undefined): Promise<void> {
    const em = db.em();
    const { draft } = item;
    const now = new Date();
    const values = {
      platformStatus: draft.platformStatus,
      modifiedAt: new Date(draft.modifiedAt),
      raw: item.raw,
      source: draft.source,
      submitted,
      updatedAt: now,
    };
    const key = { shopCode: draft.shopCode, platformOrderNo: draft.platformOrderNo };
    if (known) {
      // The modified-time guard keeps a newer version stored meanwhile by another intake.
      await em.nativeUpdate(PlatformOrder, { ...key, modifiedAt: { $lte: values.modifiedAt } }, values);
      return;
    }
    try {
      await em.insert(PlatformOrder, { ...key, receivedAt: now, ...values });
    } catch (err) {
      // Two intakes of the same order at once (pull and import): the other one stored it; nothing to add.
      if (!/unique|duplicate/i.test(String(err))) throw err;
    }
  }

  return {
    /** The same intake for the platform's refunds: each opens or tells its after-sales case. */
    refunds: createRefundIntake({ db, temporal, taskQueue }),

    /** Submits a batch; returns how many were started, signalled, unchanged or only recorded. */
    async ingest(items: IntakeItem[]): Promise<IntakeResult> {
      const result: IntakeResult = { started: 0, signalled: 0, unchanged: 0, skipped: 0 };
      if (items.length === 0) return result;
      const known = new Map<string, PlatformOrder>();
      const byShop = new Map<string, string[]>();
      for (const { draft } of items) {
        const nos = byShop.get(draft.shopCode);
        if (nos) nos.push(draft.platformOrderNo);
        else byShop.set(draft.shopCode, [draft.platformOrderNo]);
      }
      const em = db.em();
      for (const [shopCode, nos] of byShop) {
        for (let i = 0; i < nos.length; i += 500) {
          const rows = await em.find(PlatformOrder, { shopCode, platformOrderNo: { $in: nos.slice(i, i + 500) } });
          for (const row of rows) known.set(`${row.shopCode}:${row.platformOrderNo}`, row);
        }
      }
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < items.length) {
          const item = items[next++]!;
          const outcome = await submitOne(item, known.get(`${item.draft.shopCode}:${item.draft.platformOrderNo}`));
          result[outcome] += 1;
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
      return result;
    },
  };
}

/** The refund state of a Taobao trade is per sub-order; any line in refund makes the order's. */
function refundStatusesOf(raw: string): Pick<PlatformStatusNotice, 'refundStatus' | 'refundStatuses'> {
  try {
    const trade = JSON.parse(raw) as { orders?: { order?: Array<{ oid?: string | number; refund_status?: string }> } };
    const orders = trade.orders?.order ?? [];
    const refundStatuses = Object.fromEntries(orders.map((o) => [String(o.oid ?? ''), o.refund_status ?? 'NO_REFUND']));
    const refundStatus = orders.map((o) => o.refund_status).find((r): r is string => !!r && r !== 'NO_REFUND');
    return { refundStatus, refundStatuses };
  } catch {
    return {};
  }
}
