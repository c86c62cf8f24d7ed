/**
 * 扫描验货 for integrations (a packing station's own scanner program): look an order up by its waybill with the
 * barcodes to scan, then ship it with every barcode scanned; the order workflow checks the scans again and
 * refuses a wrong or missing item, a refunded or unprinted order, with the reason.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { Order, OrderLine } from '../../db/entities';
import { createOrderDecisions } from '../orders/order-decisions';
import { findOrderByWaybill, loadScanLines, scanRefusal } from '../orders/scan-check';
import { t } from '../render';
import { apiErrorBody } from './api-error';
import { apiApp, COMMON_ERRORS, guard, errorResponse, jsonBody, jsonResponse } from './api-route';
import { maskPii } from '../../domain/pii-mask';
import { DecisionResultSchema, lineJson, OrderIdParam, orderJson, scanLineJson, ShipBodySchema, WaybillOrderSchema } from './api-schemas';
import { decisionAnswer, DECISION_FAILURES, orderNotFound } from './decision-json';

const WaybillParam = z.object({
  waybillNo: z.string().trim().min(1).max(40).openapi({ param: { name: 'waybillNo', in: 'path' }, example: '75312345678901' }),
});

const byWaybill = createRoute({
  ...guard('ship.scan', 'Like scanning the waybill on the 扫描验货 page: `shippable` says whether the parcel may be checked now, `refusal` why not.'),
  method: 'get',
  path: '/waybills/{waybillNo}',
  tags: ['scan'],
  summary: 'The order behind a waybill, with what to scan',
  request: { params: WaybillParam },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(WaybillOrderSchema, 'The order'), 404: errorResponse('No order has this waybill (`not_found`)') },
});

const ship = createRoute({
  ...guard(
    'ship.scan',
    'For a printed order: `scannedBarcodes` must hold each item’s barcode as often as ordered and nothing else. Stock is deducted and the tracking number is synced to the platform.',
  ),
  method: 'post',
  path: '/orders/{id}/ship',
  tags: ['scan'],
  summary: 'Ship a checked parcel (发货)',
  request: { params: OrderIdParam, body: jsonBody(ShipBodySchema) },
  responses: { ...COMMON_ERRORS, 200: jsonResponse(DecisionResultSchema, 'Shipped'), ...DECISION_FAILURES },
});

export const scanApi = apiApp()
  .openapi(byWaybill, async (c) => {
    const { waybillNo } = c.req.valid('param');
    const em = c.var.deps.db.em();
    const order = await findOrderByWaybill(em, waybillNo);
    if (!order) return c.json(apiErrorBody('not_found', t(c, 'scan.unknownWaybill', { code: waybillNo })), 404);
    const [lines, scanLines] = await Promise.all([em.find(OrderLine, { orderId: order.id }, { orderBy: { lineNo: 'asc' } }), loadScanLines(em, order.id)]);
    const refusal = scanRefusal(c, order, waybillNo);
    // Like the scan page: the desk needs the goods, not the buyer, so the receiver is masked for everyone.
    return c.json({ ...orderJson(maskPii(order)), lines: lines.map(lineJson), scanLines: scanLines.map(scanLineJson), shippable: !refusal, refusal }, 200);
  })
  .openapi(ship, async (c) => {
    const { id } = c.req.valid('param');
    const { actionId, ...request } = c.req.valid('json');
    const em = c.var.deps.db.em();
    const order = await em.findOne(Order, { id });
    if (!order) return orderNotFound(c, id);
    const decisions = createOrderDecisions(c.var.deps.temporal, c.var.actor, c.var.locale);
    const answer = await decisionAnswer(em, await decisions.ship(id, request, `${actionId}:${id}`));
    return answer.ok ? c.json(answer.body, 200) : c.json(answer.body, answer.status);
  });
