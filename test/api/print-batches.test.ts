import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import type { z } from 'zod';
import { createApp } from '../../api/app';
import type { ApiErrorBody } from '../../api/api-v1/api-error';
import type { DecisionResultSchema, PrintBatchRunSchema, PrintBatchSchema } from '../../api/api-v1/api-schemas';
import { loadConfig } from '../../api/config';
import type { AppEnv } from '../../api/env';
import { printBatchIdFor } from '../../api/orders/print-run';
import { AuditEvent, Order, PrintBatch } from '../../db/entities';
import { DEMO_PASSWORD } from '../../db/seeders/demo-data';
import { pdfPageCount } from '../helpers/pdf';
import { orderSteps } from '../helpers/order-steps';
import { eventually, startStack, type Stack } from '../helpers/stack';
import { workersOnOwnQueue, type OwnWorkers } from '../helpers/workers-on-own-queue';
import { loginAgent, type Agent } from '../web/web-fixture';
import { apiClient, createApiToken, orderPath, type ApiClient } from './api-client';

type Run = z.infer<typeof PrintBatchRunSchema>;
type Batch = z.infer<typeof PrintBatchSchema>;
type Decision = z.infer<typeof DecisionResultSchema>;

let stack: Stack;
let app: Hono<AppEnv>;
let reviewer: ApiClient;
let warehouse: ApiClient;
let steps: ReturnType<typeof orderSteps>;
/** A new order in 待审核 for each test that needs one. */
const newOrder = async () => (await steps.newOrder()).id;

const appFor = (taskQueue: string) => createApp({ db: stack.db, temporal: stack.client, config: { ...loadConfig({}).app, taskQueue } });
const orderRow = (id: string) => stack.db.em().findOneOrFail(Order, { id });
const waitFor = (id: string, statuses: string[]) =>
  eventually(async () => {
    const o = await stack.db.em().findOne(Order, { id });
    return o && statuses.includes(o.status) ? o : null;
  }, `${id} to reach ${statuses.join('/')}`);

async function approved(id: string): Promise<Order> {
  const before = await orderRow(id);
  const res = await reviewer.post<Decision>(orderPath(id, '/approve'), { actionId: randomUUID(), expectedVersion: before.version });
  expect(res.body.ok).toBe(true);
  if (res.body.status === 'waybill_pending') await warehouse.post(orderPath(id, '/reserve-waybill'), { actionId: randomUUID() });
  return waitFor(id, ['ready_to_print']);
}

const batchStatus = async (batchId: string) => (await stack.client.workflow.getHandle(`print:${batchId}`).describe()).status.name;

beforeAll(async () => {
  stack = await startStack({ realPasswords: true });
  app = appFor(stack.taskQueue);
  reviewer = apiClient(app, await createApiToken(stack.db, 'shendan'));
  warehouse = apiClient(app, await createApiToken(stack.db, 'cangku'));
  steps = orderSteps(stack);
});
afterAll(() => stack?.close());

describe('a print batch', () => {
  it('reprints an order that is done: the batch completes with its PDF and the reprint is recorded on the order', async () => {
    const id = await newOrder();
    await approved(id);
    const first = await warehouse.post<Run>('/api/v1/print-batches', { actionId: randomUUID(), orderIds: [id], kinds: ['waybill'] });
    expect(first.body).toMatchObject({ printed: [id], closedOrders: [] });
    await waitFor(id, ['printed']);
    const scannedBarcodes = await steps.barcodes(id);
    expect((await warehouse.post<Decision>(orderPath(id, '/ship'), { actionId: randomUUID(), scannedBarcodes })).body.ok).toBe(true);
    await waitFor(id, ['done']);
    expect((await stack.client.workflow.getHandle(id).describe()).status.name).toBe('COMPLETED');

    // A torn label of a finished parcel: its workflow cannot be signalled any more.
    const reprint = await warehouse.post<Run>('/api/v1/print-batches', { actionId: randomUUID(), orderIds: [id], kinds: ['waybill'] });
    expect(reprint.status).toBe(201);
    expect(reprint.body).toMatchObject({ printed: [], reprinted: [id], closedOrders: [id], pageCount: 1 });
    expect(await batchStatus(reprint.body.batchId)).toBe('COMPLETED');
    const pdf = await warehouse.raw(reprint.body.pdfUrl);
    expect(pdfPageCount(Buffer.from(await pdf.arrayBuffer()))).toBe(1);
    expect(await stack.db.em().findOneOrFail(PrintBatch, { id: reprint.body.batchId })).toMatchObject({ status: 'printed', reprint: true, orderIds: [id] });
    const audit = await stack.db.em().find(AuditEvent, { entityId: id, action: { $in: ['print', 'reprint'] } }, { orderBy: { id: 'asc' } });
    expect(audit.map((a) => `${a.action}:${a.actor}`)).toEqual(['print:cangku', 'reprint:cangku']);
    expect(audit[1]!.reason).toContain(reprint.body.batchId);
    expect(await orderRow(id)).toMatchObject({ status: 'done', printCount: 2 });
  });

  it('answers the same request sent twice with the one batch it printed, and prints nothing again', async () => {
    const id = await newOrder();
    await approved(id);
    const actionId = randomUUID();
    const body = { actionId, orderIds: [id], kinds: ['waybill', 'packing_list'] };
    // Sent twice at once, as a client retrying after a dropped connection does.
    const [a, b] = await Promise.all([
      warehouse.post<Run>('/api/v1/print-batches', body),
      warehouse.post<Run>('/api/v1/print-batches', { ...body, actionId: undefined }, { 'idempotency-key': actionId }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(b.body.batchId).toBe(a.body.batchId);
    expect(b.body.pdfUrl).toBe(a.body.pdfUrl);
    expect([a.body.repeated, b.body.repeated].sort()).toEqual([false, true]);
    const later = await warehouse.post<Run>('/api/v1/print-batches', body);
    expect(later).toMatchObject({ status: 200, body: { batchId: a.body.batchId, printed: [id], repeated: true } });

    const batches = await stack.db.em().find(PrintBatch, { id: { $like: 'P%' } });
    expect(batches.filter((x) => x.orderIds.includes(id)).map((x) => x.id)).toEqual([a.body.batchId]);
    // The order's workflow records the print when the batch's signal reaches it: wait for that first.
    expect(await waitFor(id, ['printed'])).toMatchObject({ printCount: 1 });
    expect(await stack.db.em().count(AuditEvent, { entityId: id, action: { $in: ['print', 'reprint'] } })).toBe(1);
  });

  it('asks for an action id before printing anything', async () => {
    const res = await warehouse.post<ApiErrorBody>('/api/v1/print-batches', { orderIds: [await newOrder()], kinds: ['waybill'] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
  });

  it('refuses a batch with nothing printable, saying why, and the workflow completes', async () => {
    const actionId = randomUUID();
    const res = await warehouse.post<ApiErrorBody>('/api/v1/print-batches', { actionId, orderIds: [await newOrder()], kinds: ['waybill'] });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'refused', message: expect.stringMatching(/^没有可打印的订单.*订单未审核/) as string });
    expect(await batchStatus(printBatchIdFor('cangku', actionId))).toBe('COMPLETED');
  });
});

describe('a renderer that gives up', () => {
  // A print worker whose Chromium is missing: every render attempt fails for real, as on a broken print host.
  let broken: OwnWorkers;
  let brokenApp: Hono<AppEnv>;
  let brokenWarehouse: ApiClient;

  beforeAll(async () => {
    broken = await workersOnOwnQueue(stack.db, 'gj-test-broken', { CHROMIUM_PATH: '/nonexistent/chromium' });
    brokenApp = appFor(broken.taskQueue);
    brokenWarehouse = apiClient(brokenApp, await createApiToken(stack.db, 'cangku'));
  });
  afterAll(() => broken?.shutdown());

  it('keeps the batch as failed with the reason, leaves the orders printable, and never fails the workflow', async () => {
    const id = await newOrder();
    await approved(id);
    const actionId = randomUUID();
    const res = await brokenWarehouse.post<ApiErrorBody>('/api/v1/print-batches', { actionId, orderIds: [id], kinds: ['waybill'] });
    expect(res.status).toBe(502);
    expect(res.body.error.message).toMatch(/打印失败：PDF 渲染器出错.*nonexistent/);
    const batchId = printBatchIdFor('cangku', actionId);
    expect(await batchStatus(batchId)).toBe('COMPLETED');

    const batch = await warehouse.get<Batch>(`/api/v1/print-batches/${batchId}`);
    expect(batch.body).toMatchObject({ id: batchId, status: 'failed', orderIds: [id], pdfUrl: null });
    expect(batch.body.error).toMatch(/nonexistent/);
    const pdf = await warehouse.get<ApiErrorBody>(`/api/v1/print-batches/${batchId}/pdf`);
    expect(pdf.status).toBe(409);
    expect(pdf.body.error.message).toContain('可以重新打印');
    expect(await orderRow(id)).toMatchObject({ status: 'ready_to_print', printCount: 0 });

    // The page shows the failed batch with its reason; a working print worker then prints the order.
    const page = await loginAgent((p, init) => Promise.resolve(app.request(p, init)), 'cangku', DEMO_PASSWORD);
    const html = await (await page.get('/print?status=all')).text();
    expect(html).toContain('data-testid="batch-failed"');
    expect(html).toMatch(/data-testid="batch-error">失败：打印失败：PDF 渲染器出错/);
    const again = await warehouse.post<Run>('/api/v1/print-batches', { actionId: randomUUID(), orderIds: [id], kinds: ['waybill'] });
    expect(again).toMatchObject({ status: 201, body: { printed: [id] } });
    await waitFor(id, ['printed']);
  });
});

describe('the print page', () => {
  let page: Agent;
  beforeAll(async () => {
    page = await loginAgent((p, init) => Promise.resolve(app.request(p, init)), 'cangku', DEMO_PASSWORD);
  });

  it('prints a resent form once and prints another selection from the same page as a batch of its own', async () => {
    const [x, y] = [await newOrder(), await newOrder()];
    const [ox, oy] = [await approved(x), await approved(y)];
    const html = await (await page.get('/print')).text();
    const actionId = /name="actionId" value="([^"]+)"/.exec(html)![1]!;
    const form = { actionId, pick: `${x}@${ox.version}`, kinds: 'waybill', filter: '' };
    const first = await page.post('/print/run', form);
    expect(first.status).toBe(303);
    const second = await page.post('/print/run', form);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(await stack.db.em().count(AuditEvent, { entityId: x, action: 'print' })).toBe(1);
    const other = await page.post('/print/run', { ...form, pick: `${y}@${oy.version}` });
    expect(other.status).toBe(303);
    expect(other.headers.get('location')).not.toBe(first.headers.get('location'));
    await waitFor(y, ['printed']);
  });
});
