import { maskName } from '../../domain/pii-mask';
import type { Hono } from 'hono';
import type { z } from 'zod';
import { createApp } from '../../api/app';
import type { ApiErrorBody } from '../../api/api-v1/api-error';
import type {
  BatchResultSchema,
  DecisionRefusedSchema,
  DecisionResultSchema,
  OrderDetailSchema,
  PrintBatchRunSchema,
  PrintBatchSchema,
  WaybillOrderSchema,
} from '../../api/api-v1/api-schemas';
import type { OrderListSchema } from '../../api/api-v1/order-api';
import type { SyncListSchema } from '../../api/api-v1/sync-api';
import { loadConfig } from '../../api/config';
import type { AppEnv } from '../../api/env';
import { Order, OrderLine } from '../../db/entities';
import { orderWorkflowId } from '../../domain/order-draft';
import { pdfPageCount } from '../helpers/pdf';
import { eventually, startStack, type Stack } from '../helpers/stack';
import { apiClient, createApiToken, orderPath, type ApiClient } from './api-client';

type Decision = z.infer<typeof DecisionResultSchema>;
type Refused = z.infer<typeof DecisionRefusedSchema>;

let stack: Stack;
let app: Hono<AppEnv>;
let reviewer: ApiClient;
let warehouse: ApiClient;
/** Orders in 待审核, each test takes its own. */
let ids: string[];
let actions = 0;

const actionId = () => `0b1c2d3e-0000-4000-8000-${String(++actions).padStart(12, '0')}`;
const orderRow = (id: string) => stack.db.em().findOneOrFail(Order, { id });
const waitFor = (id: string, statuses: string[]) =>
  eventually(async () => {
    const o = await stack.db.em().findOne(Order, { id });
    return o && statuses.includes(o.status) ? o : null;
  }, `${id} to reach ${statuses.join('/')}`);

beforeAll(async () => {
  stack = await startStack();
  app = createApp({ db: stack.db, temporal: stack.client, config: { ...loadConfig({}).app, taskQueue: stack.taskQueue } });
  reviewer = apiClient(app, await createApiToken(stack.db, 'shendan'));
  warehouse = apiClient(app, await createApiToken(stack.db, 'cangku'));
  const trades = stack.sandbox.generateTrades(12, { from: new Date(Date.now() - 5 * 60_000), to: new Date(Date.now() - 60_000) });
  await stack.client.workflow.execute('shopPullWorkflow', { taskQueue: stack.taskQueue, workflowId: `shop-pull:${stack.shopCode}:api`, args: [{ shopCode: stack.shopCode }] });
  const candidates = trades
    .filter((t) => t.status === 'WAIT_SELLER_SEND_GOODS' && !/新疆|西藏|内蒙古/.test(t.receiver_state))
    .map((t) => orderWorkflowId(stack.shopCode, t.tid));
  const settled = await Promise.all(candidates.map((id) => waitFor(id, ['review', 'out_of_area', 'waybill_pending', 'ready_to_print'])));
  ids = settled.filter((o) => o.status === 'review').map((o) => o.id);
  expect(ids.length).toBeGreaterThanOrEqual(5);
});
afterAll(async () => {
  stack?.sandbox.setFaults({ errorRate: 0, methods: null });
  await stack?.close();
});

describe('reading orders', () => {
  it('lists the shop’s orders waiting for review with their lines, and finds one by its number', async () => {
    const res = await warehouse.get<z.infer<typeof OrderListSchema>>(`/api/v1/orders?shop=${stack.shopCode}&status=review&sort=paid&dir=asc`);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(ids.length);
    expect(res.body.orders.map((o) => o.id).sort()).toEqual([...ids].sort());
    const paid = res.body.orders.map((o) => o.paidAt ?? '');
    expect(paid).toEqual([...paid].sort());
    for (const o of res.body.orders) expect(o.lines.length).toBeGreaterThan(0);

    const first = await orderRow(ids[0]!);
    const found = await warehouse.get<z.infer<typeof OrderListSchema>>(`/api/v1/orders?q=${first.platformOrderNo}`);
    expect(found.body.orders.map((o) => o.id)).toEqual([first.id]);
    // The warehouse has no order.viewPii: the receiver comes masked (王*明), the province as it is.
    expect(found.body.orders[0]).toMatchObject({ version: first.version, paidFen: first.paidFen, receiver: { name: maskName(first.receiverName), province: first.province } });
  });

  it('shows an order with its lines and one timeline of audit rows and workflow history', async () => {
    const res = await warehouse.get<z.infer<typeof OrderDetailSchema>>(orderPath(ids[0]!));
    expect(res.status).toBe(200);
    const lines = await stack.db.em().find(OrderLine, { orderId: ids[0]! });
    expect(res.body.lines.map((l) => l.skuCode).sort()).toEqual(lines.map((l) => l.skuCode).sort());
    expect(res.body.historyError).toBe('');
    const titles = res.body.timeline.map((e) => `${e.source}:${e.title}`);
    expect(titles).toEqual(expect.arrayContaining(['audit:submit', 'audit:auto_review', 'workflow:WorkflowExecutionStarted']));
    expect(res.body.timeline.every((e) => /Z$/.test(e.at))).toBe(true);
  });
});

describe('review decisions', () => {
  it('refuses approval to a warehouse token and leaves the order in review', async () => {
    const before = await orderRow(ids[1]!);
    const res = await warehouse.post<ApiErrorBody>(orderPath(ids[1]!, '/approve'), { actionId: actionId(), expectedVersion: before.version });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect(await orderRow(ids[1]!)).toMatchObject({ status: 'review', version: before.version });
  });

  it('approves once per actionId, then refuses a decision on the changed order with the workflow’s reason', async () => {
    const id = ids[0]!;
    const before = await orderRow(id);
    // The courier's e-waybill service is down: the approval stands and the order waits for its number, with the reason.
    stack.sandbox.setFaults({ errorRate: 1, methods: ['cainiao.waybill.ii.get'] });
    const body = { actionId: actionId(), expectedVersion: before.version, sellerMemo: '送小样', courierCode: 'ZTO' };
    const res = await reviewer.post<Decision>(orderPath(id, '/approve'), body).finally(() => stack.sandbox.setFaults({ errorRate: 0, methods: null }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ orderId: id, ok: true, status: 'waybill_pending' });
    expect(res.body.message).toContain('预约单号失败');
    expect(res.body.waybillNo ?? '').toBe('');
    expect(res.body.version).toBeGreaterThan(before.version);
    const pending = await waitFor(id, ['waybill_pending']);
    expect(pending).toMatchObject({ courierCode: 'ZTO', waybillNo: '' });
    expect(pending.alert).toMatch(/^预约单号失败: .*cainiao\.waybill\.ii\.get/);

    // The same action again (a retried request) is answered from the first run, not applied again.
    const again = await reviewer.post<Decision>(orderPath(id, '/approve'), body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
    const history = await stack.client.workflow.getHandle(id).fetchHistory();
    expect((history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'review')).toHaveLength(1);

    const stale = await reviewer.post<Refused>(orderPath(id, '/approve'), { actionId: actionId(), expectedVersion: before.version });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ orderId: id, ok: false, code: 'refused', status: res.body.status });
    expect(stale.body.message).toMatch(/不能执行此操作/);
    expect(stale.body.error).toEqual({ code: 'refused', message: stale.body.message });
    const after = await waitFor(id, ['waybill_pending']);
    expect(after).toMatchObject({ sellerMemo: '送小样', reviewedBy: 'shendan' });
  });

  it('refuses an approval made on an older version and changes nothing', async () => {
    const id = ids[1]!;
    const before = await orderRow(id);
    const res = await reviewer.post<Refused>(orderPath(id, '/approve'), { actionId: actionId(), expectedVersion: before.version + 3 });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ ok: false, status: 'review', version: before.version, message: '订单已被他人或系统修改，请刷新后重试' });
    expect(await orderRow(id)).toMatchObject({ status: 'review', version: before.version, reviewedBy: '' });
  });

  it('approves a batch, reporting each order and refusing the stale one without failing the rest', async () => {
    const [c, d] = [ids[2]!, ids[3]!];
    const [oc, od] = [await orderRow(c), await orderRow(d)];
    const res = await reviewer.post<z.infer<typeof BatchResultSchema>>('/api/v1/review/approve', {
      actionId: actionId(),
      orders: [
        { id: c, expectedVersion: oc.version },
        { id: d, expectedVersion: od.version + 1 },
        { id: c, expectedVersion: oc.version },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: 1, failed: 1 });
    expect(res.body.results.map((r) => [r.orderId, r.ok])).toEqual([
      [c, true],
      [d, false],
    ]);
    expect(res.body.results[1]).toMatchObject({ code: 'refused', status: 'review', version: od.version, message: '订单已被他人或系统修改，请刷新后重试' });
    await waitFor(c, ['waybill_pending', 'ready_to_print']);
  });
});

describe('printing, scanning and shipping', () => {
  let batchId = '';

  it('reserves a tracking number for an order left waiting by a courier failure, and only for one still waiting', async () => {
    const id = ids[0]!;
    expect(await orderRow(id)).toMatchObject({ status: 'waybill_pending', waybillNo: '' });
    const res = await warehouse.post<Decision>(orderPath(id, '/reserve-waybill'), { actionId: actionId() });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, status: 'ready_to_print' });
    expect(res.body.waybillNo).toMatch(/\d{8,}/);
    const order = await waitFor(id, ['ready_to_print']);
    expect(order).toMatchObject({ waybillNo: res.body.waybillNo, alert: '' });
    expect(stack.sandbox.state.waybills.filter((w) => w.waybillCode === order.waybillNo)).toHaveLength(1);
    const again = await warehouse.post<Refused>(orderPath(id, '/reserve-waybill'), { actionId: actionId() });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe(`已有物流单号 ${order.waybillNo}`);
  });

  it('prints waybills and packing lists into one PDF, naming the orders it left out', async () => {
    const id = ids[0]!;
    const res = await warehouse.post<z.infer<typeof PrintBatchRunSchema>>('/api/v1/print-batches', { actionId: actionId(), orderIds: [id, ids[4]!], kinds: ['packing_list', 'waybill'] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ printed: [id], reprinted: [], pageCount: 2 });
    expect(res.body.refused).toEqual([{ orderId: ids[4]!, reason: expect.any(String) as string }]);
    batchId = res.body.batchId;
    expect(res.body.pdfUrl).toBe(`/api/v1/print-batches/${batchId}/pdf`);

    const pdf = await warehouse.raw(res.body.pdfUrl);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 4).toString()).toBe('%PDF');
    expect(pdfPageCount(bytes)).toBe(2);

    const meta = await warehouse.get<z.infer<typeof PrintBatchSchema>>(`/api/v1/print-batches/${batchId}`);
    expect(meta.body).toMatchObject({ id: batchId, orderIds: [id], kinds: ['waybill', 'packing_list'], pageCount: 2, createdBy: 'cangku', reprint: false });
    expect((await warehouse.get<ApiErrorBody>('/api/v1/print-batches/P0/pdf')).body.error.code).toBe('not_found');
  });

  it('refuses a print run with nothing printable, saying why', async () => {
    const res = await warehouse.post<ApiErrorBody>('/api/v1/print-batches', { actionId: actionId(), orderIds: [ids[4]!], kinds: ['waybill'] });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('refused');
    expect(res.body.error.message).toMatch(/^没有可打印的订单/);
  });

  it('finds the printed order by its waybill with the barcodes to scan', async () => {
    const order = await waitFor(ids[0]!, ['printed']);
    const res = await warehouse.get<z.infer<typeof WaybillOrderSchema>>(`/api/v1/waybills/${order.waybillNo}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: order.id, status: 'printed', shippable: true, refusal: null, printCount: 1 });
    expect(res.body.scanLines.every((l) => l.barcode !== '')).toBe(true);
    const unknown = await warehouse.get<ApiErrorBody>('/api/v1/waybills/0000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe('未知运单号：0000');
  });

  it('refuses to ship a parcel with a wrong item, with the reason, and leaves the order printed', async () => {
    const id = ids[0]!;
    const lines = await stack.db.em().find(OrderLine, { orderId: id });
    const res = await warehouse.post<Refused>(orderPath(id, '/ship'), { actionId: actionId(), scannedBarcodes: [...lines.map((l) => l.barcode), '6999999999999'] });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ ok: false, status: 'printed', error: { code: 'refused' } });
    expect(res.body.message).not.toBe('');
    expect(await orderRow(id)).toMatchObject({ status: 'printed', shippedBy: '' });
  });

  it('ships a parcel whose every item was scanned, recording weight and postage', async () => {
    const id = ids[0]!;
    const lines = await stack.db.em().find(OrderLine, { orderId: id });
    const scannedBarcodes = lines.flatMap((l) => Array.from({ length: l.qty }, () => l.barcode));
    const res = await warehouse.post<Decision>(orderPath(id, '/ship'), { actionId: actionId(), scannedBarcodes, weightGrams: 850, postageFen: 650 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, status: 'shipped' });
    const shipped = await waitFor(id, ['shipped', 'done']);
    expect(shipped).toMatchObject({ weightGrams: 850, postageFen: 650, shippedBy: 'cangku' });
    await eventually(async () => stack.sandbox.state.shipments.find((s) => s.tid === shipped.platformOrderNo && s.outSid === shipped.waybillNo), 'the platform to have the tracking number');
  });
});

describe('shipment sync', () => {
  it('lists a failing sync with its error and next attempt, retries it, and lets a reviewer mark it synced', async () => {
    const id = ids[2]!;
    const ready = await waitFor(id, ['ready_to_print']);
    expect((await warehouse.post('/api/v1/print-batches', { actionId: actionId(), orderIds: [id], kinds: ['waybill'] })).status).toBe(201);
    await waitFor(id, ['printed']);
    stack.sandbox.setFaults({ errorRate: 1, methods: ['taobao.logistics.offline.send'] });
    const lines = await stack.db.em().find(OrderLine, { orderId: id });
    const shipped = await warehouse.post<Decision>(orderPath(id, '/ship'), { actionId: actionId(), scannedBarcodes: lines.flatMap((l) => Array.from({ length: l.qty }, () => l.barcode)) });
    expect(shipped.body.ok).toBe(true);
    await eventually(async () => (await orderRow(id)).syncStatus === 'failing', 'sync to fail');

    const list = await warehouse.get<z.infer<typeof SyncListSchema>>(`/api/v1/sync?status=failing&shop=${stack.shopCode}`);
    expect(list.status).toBe(200);
    const row = list.body.orders.find((o) => o.id === id);
    expect(row).toMatchObject({ status: 'shipped', syncStatus: 'failing', waybillNo: ready.waybillNo });
    expect(row!.attempts).toBeGreaterThanOrEqual(1);
    expect(row!.lastError).not.toBe('');
    expect(new Date(row!.nextAt!).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect((await warehouse.get<ApiErrorBody>('/api/v1/sync?status=lost')).status).toBe(400);

    const retry = await warehouse.post<Decision>(orderPath(id, '/sync/retry'));
    expect(retry.status).toBe(202);
    expect(retry.body).toMatchObject({ orderId: id, ok: true, message: '已请求重试', status: 'shipped' });
    const notShipped = await warehouse.post<ApiErrorBody>(orderPath(ids[1]!, '/sync/retry'));
    expect(notShipped.status).toBe(409);
    expect(notShipped.body.error.message).toContain('只有已发货、尚未同步的订单可以重试同步');

    const byWarehouse = await warehouse.post<ApiErrorBody>(orderPath(id, '/sync/mark-synced'), { actionId: actionId(), reason: '已在平台后台手工发货' });
    expect(byWarehouse.status).toBe(403);
    const noReason = await reviewer.post<ApiErrorBody>(orderPath(id, '/sync/mark-synced'), { actionId: actionId(), reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toBe('标记已同步需要填写原因');
    expect((await orderRow(id)).syncStatus).toBe('failing');

    const marked = await reviewer.post<Decision>(orderPath(id, '/sync/mark-synced'), { actionId: actionId(), reason: '已在平台后台手工发货' });
    expect(marked.status).toBe(200);
    expect(marked.body).toMatchObject({ ok: true, status: 'done' });
    const done = await waitFor(id, ['done']);
    expect(done.syncStatus).toBe('synced');
    const after = await warehouse.get<z.infer<typeof SyncListSchema>>(`/api/v1/sync?status=failing&shop=${stack.shopCode}`);
    expect(after.body.orders.map((o) => o.id)).not.toContain(id);
  });
});
