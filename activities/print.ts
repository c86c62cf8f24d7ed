/** Print activities (单据打印 F3): which orders may be printed, and one PDF per batch of waybills and packing lists. */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { AuditEvent, Courier, Order, OrderLine, PrintBatch, Shop, Warehouse } from '../db/entities';
import type { Db } from '../db/orm';
import type { PrintBatchInput } from '../domain/print-run';
import type { Actor } from '../domain/roles';
import { fitText, TEXT_LIMITS } from '../domain/text-limits';
import type { PrintRenderer } from './print-renderer';
import { countPdfPages } from './print/count-pdf-pages';
import { printEligibility } from './print/print-eligibility';
import { printPages } from './print/print-pages';
import { sortPrintOrders } from './print/sort-print-orders';

export interface CheckPrintableInput {
  orderIds: string[];
}

export interface PrintRefusal {
  orderId: string;
  /** zh-CN, shown on the print page beside the order. */
  reason: string;
}

export interface CheckPrintableResult {
  printable: string[];
  reprint: string[];
  refused: PrintRefusal[];
}

export interface RenderPrintBatchInput extends PrintBatchInput {
  /** Orders printed before; the batch is recorded as a reprint when there are any. */
  reprintOrderIds: string[];
}

/** Numbers only: the PDF can be megabytes, so it goes to the print_batch row and never through Temporal. */
export interface RenderPrintBatchResult {
  pageCount: number;
  renderMs: number;
}

export interface RecordPrintBatchFailureInput extends RenderPrintBatchInput {
  /** zh-CN, shown on the print page and by the API beside the batch. */
  reason: string;
}

export interface RecordClosedOrderPrintsInput {
  batchId: string;
  orderIds: string[];
  actor: Actor;
  at: string;
  kinds: string;
}

export function createPrintActivities({ db, renderer }: { db: Db; renderer: PrintRenderer }) {
  return {
    /** Sorts the selected orders into printable, reprint and refused, refusing unapproved, cancelled and refund-requested orders. */
    async checkPrintable({ orderIds }: CheckPrintableInput): Promise<CheckPrintableResult> {
      const orders = await db.em().find(Order, { id: { $in: orderIds } });
      const byId = new Map(orders.map((o) => [o.id, o]));
      const result: CheckPrintableResult = { printable: [], reprint: [], refused: [] };
      for (const orderId of new Set(orderIds)) {
        const e = printEligibility(byId.get(orderId));
        if (e.kind === 'refused') result.refused.push({ orderId, reason: e.reason });
        else result[e.kind].push(orderId);
      }
      return result;
    },

    /** Renders a batch once: a retried attempt finds the batch's stored PDF and returns its numbers without printing again. */
    async renderPrintBatch(input: RenderPrintBatchInput): Promise<RenderPrintBatchResult> {
      const em = db.em();
      const done = await em.findOne(PrintBatch, { id: input.batchId, pdf: { $ne: null } });
      if (done) return { pageCount: done.pageCount, renderMs: done.renderMs };
      if (!input.orderIds.length || !input.kinds.length) {
        throw ApplicationFailure.nonRetryable('打印批次没有订单或单据类型', 'EmptyPrintBatch');
      }

      const started = Date.now();
      const found = await em.find(Order, { id: { $in: input.orderIds } });
      const byId = new Map(found.map((o) => [o.id, o]));
      // Re-checked here because a refund may arrive between the check and the print run.
      const refused = input.orderIds
        .map((id) => ({ id, e: printEligibility(byId.get(id)) }))
        .flatMap(({ id, e }) => (e.kind === 'refused' ? [`${byId.get(id)?.platformOrderNo ?? id}：${e.reason}`] : []));
      if (refused.length) {
        throw ApplicationFailure.nonRetryable(`批次中有订单不能打印：${refused.join('；')}`, 'OrderNotPrintable');
      }
      const orders = sortPrintOrders(found, input.sort);
      const [lines, couriers, shops, warehouses] = await Promise.all([
        em.find(OrderLine, { orderId: { $in: input.orderIds } }),
        em.find(Courier, { code: { $in: [...new Set(orders.map((o) => o.courierCode))] } }),
        em.find(Shop, { code: { $in: [...new Set(orders.map((o) => o.shopCode))] } }),
        em.find(Warehouse, { $or: [{ code: { $in: [...new Set(orders.map((o) => o.warehouseCode))] } }, { isDefault: true }] }),
      ]);
      const pages = printPages({
        orders, lines, couriers, shops, warehouses,
        kinds: input.kinds,
        reprintOrderIds: input.reprintOrderIds,
        actor: input.actor,
        printedAt: new Date(),
      });
      const missing = [...new Set(pages.map((p) => p.template).filter((t) => !renderer.hasTemplate(t)))];
      if (missing.length) {
        throw ApplicationFailure.nonRetryable(`面单模板不存在：${missing.join('、')}（设置 → 快递）`, 'PrintTemplateMissing');
      }
      let pdf: Buffer;
      try {
        pdf = await heartbeatWhile(renderer.renderPdf(renderer.renderHtml(pages)));
      } catch (err) {
        // Retried by the workflow's policy; the last attempt's words are what the print page shows.
        throw ApplicationFailure.retryable(`PDF 渲染器出错（${err instanceof Error ? err.message : String(err)}）`, 'RenderFailed');
      }
      const counted = countPdfPages(pdf);
      // A page that overflowed its label would shift every later label off its packing list.
      if (counted && counted !== pages.length) {
        throw ApplicationFailure.nonRetryable(`打印页数不符：应为 ${pages.length} 页，实际 ${counted} 页`, 'PrintLayoutOverflow');
      }
      const renderMs = Date.now() - started;

      const row = (await em.findOne(PrintBatch, { id: input.batchId })) ?? em.create(PrintBatch, {
        id: input.batchId,
        kinds: '',
        createdBy: input.actor.username,
        createdAt: new Date(),
      });
      em.assign(row, {
        kinds: input.kinds.join(','),
        orderIds: orders.map((o) => o.id),
        pageCount: pages.length,
        reprint: input.reprintOrderIds.length > 0,
        status: 'printed',
        error: '',
        createdBy: input.actor.username,
        renderMs,
        pdf,
      });
      try {
        await em.flush();
      } catch (err) {
        // Another attempt of this activity stored the batch first: its PDF is the batch's.
        if (!(err instanceof UniqueConstraintViolationException)) throw err;
        const winner = await db.em().findOneOrFail(PrintBatch, { id: input.batchId });
        return { pageCount: winner.pageCount, renderMs: winner.renderMs };
      }
      return { pageCount: pages.length, renderMs };
    },

    /**
     * Keeps a batch whose PDF could not be made as `failed`, with the reason, so staff see it on the print page and
     * print the orders again. A batch whose PDF was stored after all (the last attempt saved it, then lost its
     * answer) is left alone and its numbers returned, so the workflow marks the orders printed as usual.
     */
    async recordPrintBatchFailure(input: RecordPrintBatchFailureInput): Promise<RenderPrintBatchResult | null> {
      const em = db.em();
      const stored = await em.findOne(PrintBatch, { id: input.batchId, pdf: { $ne: null } });
      if (stored) return { pageCount: stored.pageCount, renderMs: stored.renderMs };
      const row = (await em.findOne(PrintBatch, { id: input.batchId })) ?? em.create(PrintBatch, {
        id: input.batchId, kinds: '', createdBy: input.actor.username, createdAt: new Date(),
      });
      em.assign(row, {
        kinds: input.kinds.join(','),
        orderIds: input.orderIds,
        reprint: input.reprintOrderIds.length > 0,
        status: 'failed',
        error: fitText(input.reason, 500),
      });
      try {
        await em.flush();
      } catch (err) {
        // A late render attempt stored the batch meanwhile: its PDF stands.
        if (!(err instanceof UniqueConstraintViolationException)) throw err;
        const winner = await db.em().findOneOrFail(PrintBatch, { id: input.batchId });
        return winner.status === 'printed' ? { pageCount: winner.pageCount, renderMs: winner.renderMs } : null;
      }
      return null;
    },

    /**
     * Records a print of orders whose workflow has finished (a done order's label reprinted): their workflow can no
     * longer be told, so the audit row and the print count are written here, once per batch and order.
     */
    async recordClosedOrderPrints({ batchId, orderIds, actor, at, kinds }: RecordClosedOrderPrintsInput): Promise<void> {
      for (const orderId of orderIds) {
        await db.em().transactional(async (em) => {
          const eventKey = `${orderId}#print:${batchId}`;
          if (await em.count(AuditEvent, { eventKey })) return;
          await em.insert(AuditEvent, {
            eventKey, entityType: 'order', entityId: orderId, action: 'reprint', actor: actor.username, actorName: actor.displayName,
            reason: fitText(`批次 ${batchId}（${kinds}），订单已完成`, TEXT_LIMITS.auditReason), at: new Date(at),
          });
          const order = await em.findOne(Order, { id: orderId }, { fields: ['printCount'] });
          if (order) await em.nativeUpdate(Order, { id: orderId }, { printCount: order.printCount + 1, printedAt: new Date(at) });
        });
      }
    },
  };
}

export type PrintActivities = ReturnType<typeof createPrintActivities>;

/**
 * Heartbeats while a render runs, so a print worker that dies mid-render is noticed within the heartbeat timeout and
 * the batch retried on another, instead of waiting out the whole start-to-close timeout. Outside an activity: as is.
 */
function heartbeatWhile<T>(work: Promise<T>): Promise<T> {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return work;
  }
  context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), 5_000);
  return work.finally(() => clearInterval(timer));
}
