/**
 * The JSON API's shapes, as zod schemas that both validate requests and describe them in openapi.json, and the
 * functions that turn read-model rows into them: money in integer fen, times ISO-8601 in UTC.
 */
import { z } from '@hono/zod-openapi';
import type { Order, OrderLine } from '../../db/entities';
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
