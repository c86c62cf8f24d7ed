import type { Hono } from 'hono';
import { createApp } from '../../api/app';
import type { AppEnv } from '../../api/env';
import { Order, OrderLine as OrderLineEntity } from '../../db/entities';
import { DEMO_PASSWORD } from '../../db/seeders/demo-data';
import { orderWorkflowId } from '../../domain/order-draft';
import { eventually, startStack, type Stack } from '../helpers/stack';
import { loginAgent, type Agent } from './web-fixture';

let stack: Stack;
let app: Hono<AppEnv>;
let reviewer: Agent;
let ids: string[];

beforeAll(async () => {
  stack = await startStack({ realPasswords: true });
  app = createApp({
    db: stack.db,
    temporal: stack.client,
    config: { taskQueue: stack.taskQueue, baseUrl: 'http://127.0.0.1:3000', secureCookies: false, sessionHours: 12, temporalUiUrl: 'http://127.0.0.1:8233' },
  });
  const trades = stack.sandbox.generateTrades(6, { from: new Date(Date.now() - 5 * 60_000), to: new Date(Date.now() - 60_000) });
  await stack.client.workflow.execute('shopPullWorkflow', { taskQueue: stack.taskQueue, workflowId: `shop-pull:${stack.shopCode}:web`, args: [{ shopCode: stack.shopCode }] });
  ids = trades
    .filter((t) => t.status === 'WAIT_SELLER_SEND_GOODS' && !/新疆|西藏|内蒙古/.test(t.receiver_state))
    .map((t) => orderWorkflowId(stack.shopCode, t.tid))
    .slice(0, 3);
  for (const id of ids) await eventually(async () => (await stack.db.em().findOne(Order, { id, status: 'review' })) ?? null, `${id} in review`);
  reviewer = await loginAgent((p, init) => Promise.resolve(app.request(p, init)), 'shendan', DEMO_PASSWORD);
});
afterAll(() => stack?.close());

/** The row of one order in a list page. */
const rowOf = (html: string, id: string): string => new RegExp(`<tr [^>]*data-order-id="${id}">[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';

const pickOf = async (id: string) => `${id}@${(await stack.db.em().findOneOrFail(Order, { id })).version}`;

describe('approving from 订单审核 through the order workflow', () => {
  it('approves a batch once even when the form is sent twice, and reports each order', async () => {
    const [a, b] = ids as [string, string];
    const form = { actionId: '0a1b2c3d-0000-4000-8000-000000000001', pick: [await pickOf(a), await pickOf(b)], filter: '' };
    const res = await reviewer.post('/review/approve', form, { headers: { 'hx-request': 'true' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('成功 2 单，失败 0 单');
    const after = await eventually(async () => {
      const o = await stack.db.em().findOneOrFail(Order, { id: a });
      return o.status !== 'review' ? o : null;
    }, 'first order approved');
    expect(['waybill_pending', 'ready_to_print']).toContain(after.status);
    expect(after.reviewedBy).toBe('shendan');

    // The same action id again (a double-click) is answered from the first run, not applied again.
    const again = await reviewer.post('/review/approve', form, { headers: { 'hx-request': 'true' } });
    expect(await again.text()).toContain('成功 2 单，失败 0 单');
    const history = await stack.client.workflow.getHandle(a).fetchHistory();
    const accepted = (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'review');
    expect(accepted).toHaveLength(1);
  });

  it('shows the workflow’s reason when the order changed since the reviewer saw it', async () => {
    const c = ids[2]!;
    const o = await stack.db.em().findOneOrFail(Order, { id: c });
    const res = await reviewer.post('/review/approve', { actionId: '0a1b2c3d-0000-4000-8000-000000000002', only: `${c}@${o.version + 5}`, filter: '' });
    const html = await res.text();
    expect(html).toContain('成功 0 单，失败 1 单');
    expect(html).toMatch(/class="is-failed" data-order="[^"]+"><span class="results-mark">✕<\/span><a [^>]+>\d+<\/a> <span>[^<]+</);
    expect((await stack.db.em().findOneOrFail(Order, { id: c })).status).toBe('review');
  });

  it('shows audit rows and the workflow history as one timeline on the order page', async () => {
    const html = await (await reviewer.get(`/orders/${encodeURIComponent(ids[0]!)}`)).text();
    expect(html).not.toContain('data-testid="history-unavailable"');
    expect(html).toContain('WorkflowExecutionStarted');
    expect(html).toContain('WorkflowExecutionUpdateAccepted');
    expect(html).toContain('tl-audit');
  });
});

describe('printing, scanning and shipping from the web pages', () => {
  it('approves an order while the courier cannot issue numbers, reserves its number from 单据打印, prints a PDF that opens inline, then scans and ships the parcel', async () => {
    // The order the batch above left in review; approved with 中通, whose e-waybills come from the platform.
    const id = ids[2]!;
    const warehouse = await loginAgent((p, init) => Promise.resolve(app.request(p, init)), 'cangku', DEMO_PASSWORD);
    const inReview = await stack.db.em().findOneOrFail(Order, { id, status: 'review' });
    stack.sandbox.setFaults({ errorRate: 1, methods: ['cainiao.waybill.ii.get'] });
    const approve = await reviewer
      .post('/review/approve', { actionId: '0a1b2c3d-0000-4000-8000-000000000007', only: `${id}@${inReview.version}`, courierCode: 'ZTO', filter: '' })
      .finally(() => stack.sandbox.setFaults({ errorRate: 0, methods: null }));
    const approved = await approve.text();
    expect(approved).toContain('成功 1 单，失败 0 单');
    expect(approved).toMatch(/class="is-ok" data-order="[^"]+">.*已审核，但预约单号失败/);
    let order = await stack.db.em().findOneOrFail(Order, { id });
    expect(order).toMatchObject({ status: 'waybill_pending', courierCode: 'ZTO', waybillNo: '' });
    expect(order.alert).toMatch(/^预约单号失败: .*cainiao\.waybill\.ii\.get/);
    const listed = rowOf(await (await warehouse.get('/print')).text(), id);
    expect(listed).toContain('data-status="waybill_pending"');
    expect(listed).toContain('预约单号失败');

    const reserve = await warehouse.post('/print/reserve', { actionId: '0a1b2c3d-0000-4000-8000-000000000003', pick: `${id}@${order.version}`, filter: '' });
    const reserved = await reserve.text();
    expect(reserved).toContain('成功 1 单，失败 0 单');
    order = await stack.db.em().findOneOrFail(Order, { id });
    expect(order).toMatchObject({ status: 'ready_to_print', alert: '' });
    expect(order.waybillNo).toMatch(/\d{8,}/);
    expect(rowOf(reserved, id)).toContain(order.waybillNo);
    const run = await warehouse.post('/print/run', { actionId: '0a1b2c3d-0000-4000-8000-000000000004', pick: `${id}@${order.version}`, kinds: 'both', filter: '' });
    expect(run.status).toBe(303);
    const pdf = await warehouse.get(run.headers.get('location')!);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 4).toString()).toBe('%PDF');

    order = await eventually(async () => (await stack.db.em().findOne(Order, { id, status: 'printed' })) ?? null, 'printed');
    const lines = await stack.db.em().find(OrderLineEntity, { orderId: id });
    const hx = { headers: { 'hx-request': 'true' } };
    let html = await (await warehouse.post('/scan', { actionId: '0a1b2c3d-0000-4000-8000-000000000005', code: order.waybillNo, orderId: '', scans: '[]' }, hx)).text();
    const scans: string[] = [];
    for (const l of lines) for (let i = 0; i < l.qty; i++) {
      html = await (await warehouse.post('/scan', { actionId: '0a1b2c3d-0000-4000-8000-000000000005', code: l.barcode, orderId: id, scans: JSON.stringify(scans) }, hx)).text();
      scans.push(l.barcode);
    }
    expect(html).toContain('data-testid="ship"');
    const shipped = await warehouse.post('/scan', { actionId: '0a1b2c3d-0000-4000-8000-000000000006', code: '', orderId: id, scans: JSON.stringify(scans), weight: '850', postage: '8.50' }, hx);
    expect(await shipped.text()).toContain('已发货');
    const done = await eventually(async () => (await stack.db.em().findOne(Order, { id, status: { $in: ['shipped', 'done'] } })) ?? null, 'shipped');
    expect(done.weightGrams).toBe(850);
    expect(done.postageFen).toBe(850);
  });
});
