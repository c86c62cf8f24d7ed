/**
 * The JSON API's shapes, as zod schemas that both validate requests and describe them in openapi.json, and the
 * functions that turn read-model rows into them: money in integer fen, times ISO-8601 in UTC.
 */
import { z } from '@hono/zod-openapi';
import type { AfterSaleCase, MoneyEntry, Order, OrderLine, UnmatchedParcel } from '../../db/entities';
import { CASE_REASONS, CASE_STAGE_LABELS, CASE_STAGES, CASE_TYPES } from '../../domain/after-sale';
import { ORDER_STATUSES, SYNC_STATUSES } from '../../domain/order-status';
import type { ScanLine } from '../../domain/scan';
import { actionIdPattern } from '../action-id';
import { needsAttention } from '../orders/order-list-query';
import type { TimelineEntry } from '../orders/order-timeline';
import { API_ERROR_CODES } from './api-error';

// ---- common --------------------------------------------------------------------------------

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(API_ERROR_CODES).openapi({ description: 'Stable, for programs; see docs/api.md for the list.' }),
      message: z.string().openapi({ description: 'For people: zh-CN, or English with `Accept-Language: en`.', example: '订单 order:tb1:123 不存在' }),
    }),
  })
  .openapi('Error');

const isoTime = z.string().openapi({ format: 'date-time', description: 'ISO-8601, UTC', example: '2026-11-20T02:12:00.000Z' });
const fen = (description: string) => z.number().int().openapi({ description: `${description}, in fen (1 yuan = 100 fen)` });

export const ActionIdSchema = z
  .string()
  .regex(actionIdPattern, 'api.badActionId')
  .openapi({
    description: 'Your id for this action (8–64 letters, digits or "-", e.g. a UUID). Sending the same action again is applied once.',
    example: '6f1c2e0a-8a4e-4c39-9d7e-2b1f0c9a7e51',
  });

export const OrderIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(120)
    .openapi({ param: { name: 'id', in: 'path' }, description: 'Order id `order:<shopCode>:<platformOrderNo>` (URL-encode the colons or not).', example: 'order:tb1:4100000000000000001' }),
});

export function iso(value: Date | null | undefined): string | null {
  return value ? value.toISOString() : null;
}

export const OrderStatusSchema = z.enum(ORDER_STATUSES).openapi('OrderStatus', {
  description: 'submitted 已递交, review 待审核, out_of_area 超区, waybill_pending 待预约单号, ready_to_print 待打印, printed 已打印, shipped 已发货, done 已完成, cancelled 已取消',
});
export const SyncStatusSchema = z.enum(SYNC_STATUSES).openapi('SyncStatus', { description: 'Shipment sync to the platform (发货同步)' });

// ---- orders --------------------------------------------------------------------------------

export const ReceiverSchema = z
  .object({
    name: z.string(),
    mobile: z.string(),
    phone: z.string(),
    province: z.string(),
    city: z.string(),
    district: z.string(),
    detail: z.string().openapi({ description: 'Street address' }),
    zip: z.string(),
  })
  .openapi('Receiver');

export const OrderLineSchema = z
  .object({
    lineNo: z.number().int(),
    oid: z.string().openapi({ description: "The platform's sub-order id" }),
    skuCode: z.string(),
    barcode: z.string(),
    title: z.string(),
    spec: z.string(),
    qty: z.number().int(),
    priceFen: fen('Unit price'),
    amountFen: fen('Line amount paid'),
    isGift: z.boolean(),
  })
  .openapi('OrderLine');

export const OrderSchema = z
  .object({
    id: z.string(),
    version: z.number().int().openapi({ description: 'Send it back as expectedVersion: a decision on a changed order is refused, not applied.' }),
    status: OrderStatusSchema,
    shopCode: z.string(),
    platformOrderNo: z.string(),
    platformStatus: z.string(),
    refundStatus: z.string(),
    source: z.string(),
    buyerNick: z.string(),
    receiver: ReceiverSchema,
    buyerMessage: z.string(),
    sellerMemo: z.string(),
    reviewReasons: z.array(z.string()).openapi({ description: 'Why the order waits for a person (zh-CN)' }),
    goodsFen: fen('Goods'),
    postFen: fen('Postage charged to the buyer'),
    paidFen: fen('Paid by the buyer'),
    itemCount: z.number().int(),
    mainSku: z.string(),
    courierCode: z.string(),
    warehouseCode: z.string(),
    waybillNo: z.string(),
    paidAt: isoTime.nullable(),
    platformCreatedAt: isoTime.nullable(),
    shipBy: isoTime.nullable(),
    reviewedBy: z.string(),
    reviewedAt: isoTime.nullable(),
    printCount: z.number().int(),
    printedAt: isoTime.nullable(),
    shippedBy: z.string(),
    shippedAt: isoTime.nullable(),
    weightGrams: z.number().int(),
    postageFen: fen('Actual postage'),
    sync: z.object({
      status: SyncStatusSchema,
      attempts: z.number().int(),
      lastError: z.string(),
      nextAt: isoTime.nullable(),
      syncedAt: isoTime.nullable(),
    }),
    alert: z.string(),
    needsAttention: z.boolean().openapi({ description: 'A refund was asked for or something went wrong: the row the UI paints pink' }),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .openapi('Order');

export const OrderWithLinesSchema = OrderSchema.extend({ lines: z.array(OrderLineSchema) }).openapi('OrderWithLines');

export const TimelineEntrySchema = z
  .object({
    at: isoTime,
    source: z.enum(['audit', 'workflow']).openapi({ description: 'An audit row (a decision) or an event of the order workflow' }),
    title: z.string(),
    detail: z.string(),
    actor: z.string(),
    actorName: z.string(),
    reason: z.string(),
    changes: z.array(z.object({ field: z.string(), before: z.string(), after: z.string() })),
    failed: z.boolean(),
  })
  .openapi('TimelineEntry');

export const OrderDetailSchema = OrderWithLinesSchema.extend({
  timeline: z.array(TimelineEntrySchema),
  historyError: z.string().openapi({ description: 'Set when the workflow history could not be read; the audit rows are still listed' }),
}).openapi('OrderDetail');

export function orderJson(o: Order): z.infer<typeof OrderSchema> {
  return {
    id: o.id,
    version: o.version,
    status: o.status,
    shopCode: o.shopCode,
    platformOrderNo: o.platformOrderNo,
    platformStatus: o.platformStatus,
    refundStatus: o.refundStatus,
    source: o.source,
    buyerNick: o.buyerNick,
    receiver: {
      name: o.receiverName,
      mobile: o.receiverMobile,
      phone: o.receiverPhone,
      province: o.province,
      city: o.city,
      district: o.district,
      detail: o.address,
      zip: o.zip,
    },
    buyerMessage: o.buyerMessage,
    sellerMemo: o.sellerMemo,
    reviewReasons: o.reviewReasons ? o.reviewReasons.split(/[；;]/).map((s) => s.trim()).filter(Boolean) : [],
    goodsFen: o.goodsFen,
    postFen: o.postFen,
    paidFen: o.paidFen,
    itemCount: o.itemCount,
    mainSku: o.mainSku,
    courierCode: o.courierCode,
    warehouseCode: o.warehouseCode,
    waybillNo: o.waybillNo,
    paidAt: iso(o.paidAt),
    platformCreatedAt: iso(o.platformCreatedAt),
    shipBy: iso(o.shipBy),
    reviewedBy: o.reviewedBy,
    reviewedAt: iso(o.reviewedAt),
    printCount: o.printCount,
    printedAt: iso(o.printedAt),
    shippedBy: o.shippedBy,
    shippedAt: iso(o.shippedAt),
    weightGrams: o.weightGrams,
    postageFen: o.postageFen,
    sync: { status: o.syncStatus, attempts: o.syncAttempts, lastError: o.syncLastError, nextAt: iso(o.syncNextAt), syncedAt: iso(o.syncedAt) },
    alert: o.alert,
    needsAttention: needsAttention(o),
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}

export function lineJson(l: OrderLine): z.infer<typeof OrderLineSchema> {
  return {
    lineNo: l.lineNo,
    oid: l.oid,
    skuCode: l.skuCode,
    barcode: l.barcode,
    title: l.title,
    spec: l.spec,
    qty: l.qty,
    priceFen: l.priceFen,
    amountFen: l.amountFen,
    isGift: l.isGift,
  };
}

export function timelineJson(e: TimelineEntry): z.infer<typeof TimelineEntrySchema> {
  return { ...e, at: e.at.toISOString() };
}

export const PageSchema = {
  total: z.number().int(),
  page: z.number().int(),
  pages: z.number().int(),
  size: z.number().int(),
};

// ---- decisions -----------------------------------------------------------------------------

export const DecisionResultSchema = z
  .object({
    orderId: z.string(),
    ok: z.boolean(),
    status: OrderStatusSchema.nullable().openapi({ description: 'The order status after the decision (or now, when refused); null when the order is unknown' }),
    version: z.number().int().nullable().openapi({ description: 'The order version after the decision (or now, when refused)' }),
    message: z.string().openapi({ description: "What happened, or the workflow's reason for refusing (zh-CN, as the workflow says it)" }),
    waybillNo: z.string().optional(),
    code: z.enum(API_ERROR_CODES).optional().openapi({ description: 'Set when ok is false' }),
  })
  .openapi('DecisionResult');

export const DecisionRefusedSchema = DecisionResultSchema.extend({ error: ErrorSchema.shape.error }).openapi('DecisionRefused', {
  description: 'The decision result with ok false, together with the common error body',
});

const overrideFields = {
  courierCode: z.string().trim().max(20).optional().openapi({ description: 'Ship with this courier instead of the one auto-review chose', example: 'SF' }),
  warehouseCode: z.string().trim().max(40).optional().openapi({ description: 'Ship from this warehouse instead', example: 'MAIN' }),
};

export const ApproveBodySchema = z
  .object({
    actionId: ActionIdSchema,
    expectedVersion: z.number().int().min(0).openapi({ description: 'The order version you looked at' }),
    ...overrideFields,
    receiver: z
      .object({
        name: z.string().trim().max(100),
        mobile: z.string().trim().max(40),
        phone: z.string().trim().max(40),
        province: z.string().trim().max(40),
        city: z.string().trim().max(60),
        district: z.string().trim().max(60),
        detail: z.string().trim().max(500),
        zip: z.string().trim().max(10),
      })
      .partial()
      .optional()
      .openapi({ description: 'Corrections to the address; only fields that differ from the order are applied' }),
    sellerMemo: z.string().trim().max(1000).optional(),
  })
  .openapi('ApproveRequest');

export const BatchApproveBodySchema = z
  .object({
    actionId: ActionIdSchema,
    orders: z
      .array(z.object({ id: z.string().min(1).max(120), expectedVersion: z.number().int().min(0) }))
      .min(1)
      .max(1000),
    ...overrideFields,
  })
  .openapi('BatchApproveRequest');

export const BatchResultSchema = z
  .object({
    ok: z.number().int().openapi({ description: 'How many were done' }),
    failed: z.number().int(),
    results: z.array(DecisionResultSchema).openapi({ description: 'One per order, in the order sent' }),
  })
  .openapi('BatchResult');

export const ReserveWaybillBodySchema = z
  .object({ actionId: ActionIdSchema, courierCode: overrideFields.courierCode })
  .openapi('ReserveWaybillRequest');

// ---- printing ------------------------------------------------------------------------------

export const PrintBatchBodySchema = z
  .object({
    actionId: ActionIdSchema.optional().openapi({
      description: 'Your id for this print run (or send it as the `Idempotency-Key` header; one of the two is required). The same id again answers with the batch it made, without printing again.',
      example: '6f1c2e0a-8a4e-4c39-9d7e-2b1f0c9a7e51',
    }),
    orderIds: z.array(z.string().min(1).max(120)).min(1).max(1000),
    kinds: z
      .array(z.enum(['waybill', 'packing_list']))
      .min(1)
      .openapi({ description: 'waybill 面单, packing_list 配货单; both print each order’s label and its packing list' }),
    sort: z.enum(['time', 'province', 'sku']).default('time').openapi({ description: 'Order of the pages: payment time, address, or goods' }),
  })
  .openapi('PrintBatchRequest');

export const PrintBatchRunSchema = z
  .object({
    batchId: z.string(),
    pageCount: z.number().int(),
    printed: z.array(z.string()).openapi({ description: 'Orders printed for the first time' }),
    reprinted: z.array(z.string()),
    refused: z.array(z.object({ orderId: z.string(), reason: z.string() })).openapi({ description: 'Orders left out, with the reason (zh-CN)' }),
    closedOrders: z.array(z.string()).openapi({ description: 'Reprinted orders whose workflow had already finished (done): the reprint is recorded in their audit trail' }),
    repeated: z.boolean().openapi({ description: 'true when this actionId had printed the batch before: nothing was printed again' }),
    pdfUrl: z.string().openapi({ example: '/api/v1/print-batches/P3F9A0C17B2E45D8861AA/pdf' }),
  })
  .openapi('PrintBatchRun');

export const PrintBatchSchema = z
  .object({
    id: z.string(),
    status: z.enum(['printed', 'failed']).openapi({ description: 'failed: the PDF could not be made (see `error`); its orders were not marked printed and may be printed again' }),
    error: z.string().openapi({ description: 'Why the batch failed (zh-CN); empty when printed' }),
    kinds: z.array(z.string()),
    orderIds: z.array(z.string()),
    pageCount: z.number().int(),
    reprint: z.boolean(),
    createdBy: z.string(),
    createdAt: isoTime,
    renderMs: z.number().int(),
    pdfUrl: z.string().nullable().openapi({ description: 'null for a failed batch' }),
  })
  .openapi('PrintBatch');

export const BatchIdParam = z.object({
  id: z.string().min(1).max(60).openapi({ param: { name: 'id', in: 'path' }, example: 'P3F9A0C17B2E45D8861AA' }),
});

export function pdfUrl(batchId: string): string {
  return `/api/v1/print-batches/${encodeURIComponent(batchId)}/pdf`;
}

// ---- scan and ship -------------------------------------------------------------------------

export const ScanLineSchema = z
  .object({ barcode: z.string(), skuCode: z.string(), title: z.string(), spec: z.string(), qty: z.number().int() })
  .openapi('ScanLine');

export const WaybillOrderSchema = OrderWithLinesSchema.extend({
  scanLines: z.array(ScanLineSchema).openapi({ description: 'What to scan: each barcode as often as qty (a line without its own barcode takes its SKU’s)' }),
  shippable: z.boolean(),
  refusal: z.string().nullable().openapi({ description: 'Why the parcel may not be checked and shipped now, or null' }),
}).openapi('WaybillOrder');

export function scanLineJson(l: ScanLine): z.infer<typeof ScanLineSchema> {
  return { barcode: l.barcode, skuCode: l.skuCode, title: l.title, spec: l.spec, qty: l.qty };
}

export const ShipBodySchema = z
  .object({
    actionId: ActionIdSchema,
    scannedBarcodes: z.array(z.string().trim().min(1).max(80)).max(2000).openapi({ description: 'Every barcode scanned for this parcel, in scan order; must match the order’s items exactly' }),
    weightGrams: z.number().int().min(0).max(999_999).optional(),
    postageFen: z.number().int().min(0).max(100_000_000).optional().openapi({ description: 'Actual postage, in fen' }),
    override: z
      .object({ reason: z.string().trim().min(1).max(200) })
      .optional()
      .openapi({
        description:
          'A supervisor’s release (permission ship.override, 管理员): ships when the platform cannot be asked about refunds, or after the buyer changed the order once it was printed. Audited with the reason; never releases a refund the platform reports.',
      }),
  })
  .openapi('ShipRequest');

// ---- shipment sync -------------------------------------------------------------------------

export const SyncRowSchema = z
  .object({
    id: z.string(),
    version: z.number().int(),
    shopCode: z.string(),
    platformOrderNo: z.string(),
    status: OrderStatusSchema,
    courierCode: z.string(),
    waybillNo: z.string(),
    shippedAt: isoTime.nullable(),
    syncStatus: SyncStatusSchema,
    attempts: z.number().int(),
    lastError: z.string(),
    nextAt: isoTime.nullable().openapi({ description: 'Next automatic attempt' }),
  })
  .openapi('SyncRow');

export function syncRowJson(o: Order): z.infer<typeof SyncRowSchema> {
  return {
    id: o.id,
    version: o.version,
    shopCode: o.shopCode,
    platformOrderNo: o.platformOrderNo,
    status: o.status,
    courierCode: o.courierCode,
    waybillNo: o.waybillNo,
    shippedAt: iso(o.shippedAt),
    syncStatus: o.syncStatus,
    attempts: o.syncAttempts,
    lastError: o.syncLastError,
    nextAt: iso(o.syncNextAt),
  };
}

export const MarkSyncedBodySchema = z
  .object({
    actionId: ActionIdSchema,
    reason: z.string().trim().min(1, 'sync.reasonRequired').max(200).openapi({ description: 'Why (e.g. entered on the platform by hand); kept in the audit trail' }),
  })
  .openapi('MarkSyncedRequest');

// ---- import --------------------------------------------------------------------------------

const upload = (description: string, missing = 'error.badInput') =>
  z.instanceof(File, { message: missing }).openapi({ type: 'string', format: 'binary', description });

export const ImportFormSchema = z
  .object({
    shopCode: z.string().trim().min(1, 'import.chooseShop').max(40).openapi({ description: 'The shop the export belongs to' }),
    orders: upload('订单报表 ExportOrderList*.csv, GBK or UTF-8', 'import.ordersRequired'),
    items: upload('宝贝报表 ExportOrderDetailList*.csv (holds the SKU codes)').optional(),
    actionId: ActionIdSchema.optional().openapi({
      description: 'Your id for this upload (or the `Idempotency-Key` header): the same id again answers with the import it started, reading nothing twice',
    }),
  })
  .openapi('ImportRequest');

export const ImportErrorSchema = z
  .object({
    file: z.enum(['orders', 'items']),
    row: z.number().int().openapi({ description: 'Row number as Excel shows it (header = 1)' }),
    orderNo: z.string().nullable(),
    reason: z.string().openapi({ description: 'zh-CN' }),
  })
  .openapi('ImportError');

export const ImportResultSchema = z
  .object({
    importId: z.number().int(),
    status: z.enum(['reading', 'submitting', 'done']).openapi({ description: 'submitting: orders are being handed to intake in the background; poll until done' }),
    statusUrl: z.string().openapi({ example: '/api/v1/imports/42' }),
    shopCode: z.string(),
    fileName: z.string(),
    createdAt: isoTime,
    createdBy: z.string(),
    orderRows: z.number().int(),
    itemRows: z.number().int(),
    orders: z.number().int().openapi({ description: 'Orders read whole from the files, to be submitted' }),
    submitted: z.number().int().openapi({ description: 'How many of `orders` have been submitted so far' }),
    started: z.number().int().openapi({ description: 'New orders submitted' }),
    signalled: z.number().int().openapi({ description: 'Orders already known that changed on the platform' }),
    unchanged: z.number().int().openapi({ description: 'Orders seen before with nothing new (importing a file twice starts nothing twice)' }),
    skipped: z.number().int().openapi({ description: 'Kept but not submitted (unpaid, closed or finished)' }),
    lastError: z.string().openapi({ description: 'The last failure while submitting; submission is retried until it goes through' }),
    errors: z.array(ImportErrorSchema),
    previousImport: z
      .object({ importId: z.number().int(), createdAt: isoTime, createdBy: z.string() })
      .nullable()
      .openapi({ description: 'The last import of the very same files, if any' }),
  })
  .openapi('ImportResult');

export const ImportIdParam = z.object({
  id: z.coerce.number().int().min(1).openapi({ param: { name: 'id', in: 'path' }, example: 42 }),
});

export const MeSchema = z.object({ username: z.string(), displayName: z.string(), roles: z.array(z.string()) }).openapi('Me');

// ---- after-sales -------------------------------------------------------------------------------

export const CaseNoParam = z.object({
  caseNo: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,60}$/, 'rma.badCaseNo')
    .openapi({ param: { name: 'caseNo', in: 'path' }, description: 'Case number: SH<yyyyMMdd>-<4 digits>, or <shopCode>-<refundId> for a case opened from a platform refund', example: 'SH20261127-0001' }),
});

export const CaseTypeSchema = z.enum(CASE_TYPES).openapi('CaseType', { description: 'refund 仅退款, return 退货退款, exchange 换货, reissue 补发' });
export const CaseStageSchema = z.enum(CASE_STAGES).openapi('CaseStage', {
  description: CASE_STAGES.map((s) => `${s} ${CASE_STAGE_LABELS[s]}`).join(', '),
});

export const CaseLineSchema = z
  .object({ oid: z.string(), skuCode: z.string(), title: z.string(), spec: z.string(), qty: z.number().int(), paidFen: fen('What the buyer paid for these units (the refund ceiling for them)') })
  .openapi('CaseLine');

export const QcLineSchema = z
  .object({
    oid: z.string().min(1).max(64).openapi({ description: 'The case line (sub-order id)' }),
    good: z.number().int().min(0),
    defective: z.number().int().min(0),
    missing: z.number().int().min(0),
    wrong: z.number().int().min(0).openapi({ description: 'Wrong item came back' }),
    note: z.string().trim().max(200).default(''),
  })
  .openapi('QcLine', { description: 'Units per condition; together they are the line’s quantity' });

export const ReplacementLineSchema = z
  .object({ skuCode: z.string().min(1).max(60), title: z.string().max(200), spec: z.string().max(100), qty: z.number().int().min(1), priceFen: fen('Unit price the buyer pays (0 for a reissue)') })
  .openapi('ReplacementLine');

export const CaseSchema = z
  .object({
    caseNo: z.string(),
    workflowId: z.string(),
    type: CaseTypeSchema,
    stage: CaseStageSchema,
    version: z.number().int().openapi({ description: 'Send it back as expectedVersion with a decision' }),
    shopCode: z.string(),
    orderId: z.string(),
    platformOrderNo: z.string(),
    buyerNick: z.string(),
    platformRefundId: z.string(),
    reason: z.string(),
    itemCount: z.number().int(),
    requestedFen: fen('What the buyer asks back on the platform'),
    refundFen: fen('What after-sales approved'),
    returnWaybillNo: z.string(),
    deadline: isoTime.nullable().openapi({ description: "The platform's deadline; past it the platform decides for the buyer" }),
    alert: z.string(),
    childOrderIds: z.array(z.string()),
    createdBy: z.string(),
    createdAt: isoTime,
    updatedAt: isoTime,
    closedAt: isoTime.nullable(),
    doneAt: isoTime.nullable(),
  })
  .openapi('Case');

export const CaseListSchema = z
  .object({ ...PageSchema, counts: z.record(z.string(), z.number().int()).openapi({ description: 'Cases per stage (and open, all) under the same type/shop/text filters' }), cases: z.array(CaseSchema) })
  .openapi('CaseList');

export const CaseDetailSchema = CaseSchema.extend({
  live: z.boolean().openapi({ description: 'False when the workflow did not answer and the read model’s copy is shown' }),
  lines: z.array(CaseLineSchema),
  qc: z.array(QcLineSchema),
  replacement: z.array(ReplacementLineSchema),
  note: z.string(),
  returnCompany: z.string(),
  returnsWarehouseCode: z.string(),
  sellableWarehouseCode: z.string(),
  receivedBy: z.string(),
  receivedAt: isoTime.nullable(),
  priceDifferenceFen: fen('Exchange: what the buyer owes (+) or gets back (−)'),
  postageBorneBy: z.enum(['buyer', 'seller']),
  postageFen: fen('Return postage the seller pays back'),
  approvedBy: z.string(),
  approvedAt: isoTime.nullable(),
  finance: z.object({ channel: z.enum(['platform', 'offline']), account: z.string(), reference: z.string(), by: z.string(), at: isoTime }).nullable(),
  platformRefundStep: z.object({ status: z.enum(['none', 'pending', 'failing', 'done']), attempts: z.number().int(), lastError: z.string(), nextAt: isoTime.nullable(), doneAt: isoTime.nullable() }),
  deadlineWarning: z.boolean().openapi({ description: 'The platform decides within 24 hours (or already may)' }),
  closedReason: z.string(),
  timeline: z.array(TimelineEntrySchema),
  historyError: z.string(),
}).openapi('CaseDetail');

export function caseJson(r: AfterSaleCase): z.infer<typeof CaseSchema> {
  return {
    caseNo: r.caseNo,
    workflowId: r.workflowId,
    type: r.type,
    stage: r.stage,
    version: r.version,
    shopCode: r.shopCode,
    orderId: r.orderId,
    platformOrderNo: r.platformOrderNo,
    buyerNick: r.buyerNick,
    platformRefundId: r.platformRefundId,
    reason: r.reason,
    itemCount: r.itemCount,
    requestedFen: r.requestedFen,
    refundFen: r.refundFen,
    returnWaybillNo: r.returnWaybillNo,
    deadline: iso(r.deadline),
    alert: r.alert,
    childOrderIds: r.childOrderIds.split(/\s+/).filter(Boolean),
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    closedAt: iso(r.closedAt),
    doneAt: iso(r.doneAt),
  };
}

const caseVersion = z.number().int().min(0).openapi({ description: 'The case version you looked at' });

export const RegisterCaseBodySchema = z
  .object({
    actionId: ActionIdSchema,
    orderId: z.string().min(1).max(120).openapi({ example: 'order:tb1:4100000000000000001' }),
    type: CaseTypeSchema,
    reason: z.enum(CASE_REASONS).openapi({ description: 'One of the reasons staff pick from' }),
    note: z.string().trim().max(255).default('').openapi({ description: 'Required when reason is 其他' }),
    lines: z
      .array(
        z.object({
          oid: z.string().min(1).max(64),
          qty: z.number().int().min(1),
          replacementSku: z.string().trim().max(60).optional().openapi({ description: 'Exchange: the SKU that goes out instead; absent = the same SKU' }),
          replacementPriceFen: z.number().int().min(0).optional().openapi({ description: 'Exchange: unit price of the replacement; absent = what was paid per unit (same goods) or the SKU’s price' }),
        }),
      )
      .min(1)
      .max(200),
    returnCompany: z.string().trim().max(60).optional(),
    returnWaybillNo: z.string().trim().max(60).optional(),
    returnsWarehouseCode: z.string().trim().max(40).optional().openapi({ description: 'Defective units go here; default the returns warehouse' }),
    sellableWarehouseCode: z.string().trim().max(40).optional().openapi({ description: 'Good units go here; default the default normal warehouse' }),
  })
  .openapi('RegisterCaseRequest');

export const RegisterCaseResultSchema = z
  .object({ caseNo: z.string(), workflowId: z.string(), repeated: z.boolean().openapi({ description: 'True when this actionId had already opened the case' }) })
  .openapi('RegisterCaseResult');

export const CaseDecisionResultSchema = z
  .object({
    caseNo: z.string(),
    ok: z.boolean(),
    stage: CaseStageSchema.nullable().openapi({ description: 'The stage after the decision (or now, when refused)' }),
    version: z.number().int().nullable(),
    message: z.string().openapi({ description: "What happened, or the workflow's reason for refusing" }),
    code: z.enum(API_ERROR_CODES).optional().openapi({ description: 'Set when ok is false' }),
  })
  .openapi('CaseDecisionResult');

export const CaseDecisionRefusedSchema = CaseDecisionResultSchema.extend({ error: ErrorSchema.shape.error }).openapi('CaseDecisionRefused');

export const CaseBatchResultSchema = z
  .object({ ok: z.number().int(), failed: z.number().int(), results: z.array(CaseDecisionResultSchema).openapi({ description: 'One per case, in the order sent' }) })
  .openapi('CaseBatchResult');

export const AgreeCaseBodySchema = z
  .object({ actionId: ActionIdSchema, expectedVersion: caseVersion, decision: z.enum(['agree', 'refuse']), reason: z.string().trim().max(255).optional().openapi({ description: 'Required to refuse' }) })
  .openapi('AgreeCaseRequest');

export const ParcelBodySchema = z
  .object({ actionId: ActionIdSchema, expectedVersion: caseVersion, waybillNo: z.string().trim().min(1).max(60), company: z.string().trim().max(60).optional() })
  .openapi('ParcelRequest');

export const QcBodySchema = z.object({ actionId: ActionIdSchema, expectedVersion: caseVersion, lines: z.array(QcLineSchema).min(1).max(200) }).openapi('QcRequest');

export const ApproveCaseBodySchema = z
  .object({
    actionId: ActionIdSchema,
    expectedVersion: caseVersion,
    decision: z.enum(['approve', 'reject']),
    refundFen: z.number().int().min(0).optional().openapi({ description: 'Refund and return: at most what was paid for the lines; absent = all of it' }),
    postageBorneBy: z.enum(['buyer', 'seller']).optional(),
    postageFen: z.number().int().min(0).optional(),
    replacement: z.array(ReplacementLineSchema).max(200).optional().openapi({ description: 'Exchange: replacement lines, if they differ from the registered ones' }),
    sellableWarehouseCode: z.string().trim().max(40).optional(),
    reason: z.string().trim().max(255).optional().openapi({ description: 'Required to reject' }),
  })
  .openapi('ApproveCaseRequest');

export const RetryRefundBodySchema = z.object({ actionId: ActionIdSchema }).openapi('RetryPlatformRefundRequest');

export const ConfirmPulledBodySchema = z
  .object({ actionId: ActionIdSchema, expectedVersion: z.number().int().min(0).openapi({ description: 'The order version you looked at' }) })
  .openapi('ConfirmPulledRequest');

export const CloseCaseBodySchema = z.object({ actionId: ActionIdSchema, expectedVersion: caseVersion, reason: z.string().trim().min(1).max(255) }).openapi('CloseCaseRequest');

export const ReturnScanBodySchema = z
  .object({
    actionId: ActionIdSchema,
    waybillNo: z.string().trim().min(1).max(60),
    company: z.string().trim().max(60).default(''),
    warehouseCode: z.string().trim().max(40).optional().openapi({ description: 'Where the parcel was taken in; default the returns warehouse' }),
  })
  .openapi('ReturnScanRequest');

export const UnmatchedParcelSchema = z
  .object({ id: z.number().int(), waybillNo: z.string(), company: z.string(), warehouseCode: z.string(), note: z.string(), receivedBy: z.string(), receivedAt: isoTime, matchedCaseNo: z.string(), matchedBy: z.string(), matchedAt: isoTime.nullable() })
  .openapi('UnmatchedParcel', { description: '无头件: a return parcel that matched no case when it was scanned in' });

export function unmatchedParcelJson(p: UnmatchedParcel): z.infer<typeof UnmatchedParcelSchema> {
  return { ...p, receivedAt: p.receivedAt.toISOString(), matchedAt: iso(p.matchedAt) };
}

export const ReturnScanResultSchema = z
  .object({
    result: z.enum(['received', 'already', 'refused', 'unmatched', 'ambiguous']).openapi({
      description: 'received: the case took it in; already: it had been received before; refused: the case may not now (message says why); unmatched: kept as 无头件; ambiguous: several open cases carry this number',
    }),
    message: z.string(),
    caseNo: z.string().nullable(),
    caseNos: z.array(z.string()),
    unmatchedParcel: UnmatchedParcelSchema.nullable(),
    repeated: z.boolean().openapi({ description: 'unmatched: the parcel had been scanned before' }),
  })
  .openapi('ReturnScanResult');

export const UnmatchedParcelListSchema = z.object({ ...PageSchema, parcels: z.array(UnmatchedParcelSchema) }).openapi('UnmatchedParcelList');
export const UnmatchedIdParam = z.object({ id: z.coerce.number().int().min(1).openapi({ param: { name: 'id', in: 'path' }, example: 12 }) });
export const MatchParcelBodySchema = z.object({ actionId: ActionIdSchema, caseNo: CaseNoParam.shape.caseNo }).openapi('MatchParcelRequest');

// ---- finance -------------------------------------------------------------------------------------

export const FinanceRowSchema = z
  .object({
    caseNo: z.string(),
    version: z.number().int(),
    type: CaseTypeSchema,
    shopCode: z.string(),
    orderId: z.string(),
    platformOrderNo: z.string(),
    buyerNick: z.string(),
    reason: z.string(),
    lines: z.array(z.object({ title: z.string(), spec: z.string(), qty: z.number().int(), paidFen: fen('Paid for these units'), qc: z.string().openapi({ description: 'QC result in words' }) })),
    amountFen: fen('Money out (refund and postage the seller pays back) or in (price difference)'),
    ceilingFen: fen('Paid for the case lines'),
    channel: z.enum(['platform', 'offline']).openapi({ description: 'platform: confirming tells the platform to refund; offline: bank/Alipay, account and reference required' }),
    platformRefundId: z.string(),
    approvedBy: z.string(),
    updatedAt: isoTime,
  })
  .openapi('FinanceRow');

export const FinanceQueueSchema = z.object({ ...PageSchema, counts: z.object({ refund: z.number().int(), payment: z.number().int() }), items: z.array(FinanceRowSchema) }).openapi('FinanceQueue');

export const FinanceConfirmBodySchema = z
  .object({
    actionId: ActionIdSchema,
    cases: z
      .array(z.object({ caseNo: CaseNoParam.shape.caseNo, expectedVersion: caseVersion }))
      .min(1)
      .max(1000),
    decision: z.enum(['confirm', 'reject']).default('confirm'),
    account: z.string().trim().max(100).default('').openapi({ description: 'Offline money: the account it went through' }),
    reference: z.string().trim().max(100).default('').openapi({ description: 'Offline money: the transfer’s reference' }),
    reason: z.string().trim().max(255).default('').openapi({ description: 'Required to reject' }),
  })
  .openapi('FinanceConfirmRequest');

export const MoneyEntrySchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(['refund', 'postage_refund', 'collect', 'reissue_cost']),
    direction: z.number().int().openapi({ description: '+1 money in, −1 money out' }),
    amountFen: fen('Amount (always positive; direction says which way)'),
    channel: z.string(),
    account: z.string(),
    reference: z.string(),
    shopCode: z.string(),
    caseNo: z.string(),
    orderId: z.string(),
    confirmedBy: z.string(),
    note: z.string(),
    at: isoTime,
  })
  .openapi('MoneyEntry');

export function moneyEntryJson(e: MoneyEntry): z.infer<typeof MoneyEntrySchema> {
  return { id: e.id, kind: e.kind, direction: e.direction, amountFen: e.amountFen, channel: e.channel, account: e.account, reference: e.reference, shopCode: e.shopCode, caseNo: e.caseNo, orderId: e.orderId, confirmedBy: e.confirmedBy, note: e.note, at: e.at.toISOString() };
}

export const MoneyEntryListSchema = z
  .object({
    ...PageSchema,
    entries: z.array(MoneyEntrySchema),
    summary: z.array(z.object({ day: z.string().openapi({ description: 'yyyy-MM-dd, Asia/Shanghai' }), account: z.string(), kind: z.string(), count: z.number().int(), inFen: fen('In'), outFen: fen('Out') })),
  })
  .openapi('MoneyEntryList');
