/**
 * 退换登记 and the after-sales queues through the web app: finding the order, the line checks against the order's
 * other cases, one case per registration however often it is sent, numbers that never collide, the roles that may
 * register, and the queue tabs with their counts.
 */
import { shanghaiToday } from '../../api/format-time';
import { AfterSaleCase, Sku } from '../../db/entities';
import { seedAfterSalesSetup } from '../helpers/case-rows';
import { PASSWORD, seedOrders, startWebFixture, type Agent, type WebFixture } from './web-fixture';

let web: WebFixture;
let kefu: Agent;
let cangku: Agent;
let shouhou: Agent;
let seq = 0;
const actionId = () => `a5e0c0de-0000-4000-8000-${String(++seq).padStart(12, '0')}`;
const today = shanghaiToday().replace(/-/g, '');

const SHIPPED = 'order:zhiyuan:7100000001';
const UNSHIPPED = 'order:zhiyuan:7100000002';

beforeAll(async () => {
  web = await startWebFixture();
  await seedAfterSalesSetup(web.db, PASSWORD);
  const em = web.db.em();
  em.create(Sku, { productId: 1, code: 'CUP-RED', barcode: '6902', name: '保温杯', spec: '红色', priceFen: 6000 });
  await em.flush();
  await seedOrders(web.db, [
    {
      platformOrderNo: '7100000001',
      status: 'shipped',
      buyerNick: '退货达人',
      receiverMobile: '13600001111',
      lines: [
        { oid: 'oid-cup', skuCode: 'CUP-BLUE', title: '保温杯', spec: '蓝色', qty: 3, priceFen: 5000, amountFen: 14_000 },
        { oid: 'oid-gift', skuCode: 'CUP-BLUE', title: '杯刷', spec: '', qty: 1, priceFen: 0, amountFen: 0, isGift: true },
      ],
    },
    { platformOrderNo: '7100000002', status: 'review', buyerNick: '还没发货' },
    ...Array.from({ length: 6 }, (_, i) => ({ platformOrderNo: `72000000${String(i).padStart(2, '0')}`, status: 'done' as const })),
    { platformOrderNo: '7300000008', status: 'done' },
    { platformOrderNo: '7300000009', status: 'done' },
  ]);
  [kefu, cangku, shouhou] = await Promise.all([web.login('kefu'), web.login('cangku'), web.login('shouhou')]);
});
afterAll(() => web.close());

const register = (agent: Agent, form: Record<string, string>) =>
  agent.post('/after-sales/register', { actionId: actionId(), type: 'return', reason: '七天无理由', orderId: SHIPPED, oid_0: 'oid-cup', oid_1: 'oid-gift', ...form });

const casesOf = (orderId: string) => web.db.em().find(AfterSaleCase, { orderId }, { orderBy: { caseNo: 'asc' } });

describe('退换登记', () => {
  it('finds the order by part of the buyer nick or the phone, and shows how many units are still open to a case', async () => {
    for (const q of ['退货达', '13600001111', '7100000001']) {
      const html = await (await kefu.get(`/after-sales/register?q=${encodeURIComponent(q)}`)).text();
      expect(html).toContain('data-testid="register-form"');
      expect(html).toContain('value="order:zhiyuan:7100000001"');
    }
    const none = await (await kefu.get('/after-sales/register?q=nobody-like-this')).text();
    expect(none).toContain('没有找到与“nobody-like-this”相符的订单');
  });

  it('registers a return of two of three cups: the case is numbered for today, holds what was paid for those units, and its workflow is started', async () => {
    const res = await register(kefu, { qty_0: '2', returnWaybillNo: 'YT900001', note: '颜色不喜欢' });
    expect(res.status).toBe(303);
    const [c] = await casesOf(SHIPPED);
    expect(c).toBeDefined();
    expect(res.headers.get('location')).toBe(`/after-sales/cases/${c!.caseNo}?registered=1`);
    // Numbers another suite's cases took on the shared Temporal server are skipped, so only the day is certain.
    expect(c!.caseNo).toMatch(new RegExp(`^SH${today}-\\d{4}$`));
    expect(c).toMatchObject({ type: 'return', stage: 'registered', workflowId: `return:${c!.caseNo}`, returnWaybillNo: 'YT900001', itemCount: 2, createdBy: 'kefu' });
    // 2 of 3 cups paid ¥140.00 together: ¥93.33, rounded down so parts never exceed the whole.
    expect(c!.snapshot?.lines).toEqual([{ oid: 'oid-cup', skuCode: 'CUP-BLUE', title: '保温杯', spec: '蓝色', qty: 2, paidFen: 9333 }]);
    expect(c!.snapshot).toMatchObject({ returnsWarehouseCode: 'RET', sellableWarehouseCode: 'MAIN', reason: '七天无理由', note: '颜色不喜欢' });
    const described = await web.temporal.workflow.getHandle(c!.workflowId).describe();
    expect(described.type).toBe('returnWorkflow');
    expect(described.taskQueue).toBe('guanjia-web-test');

    const page = await (await kefu.get(res.headers.get('location')!)).text();
    expect(page).toContain(`已登记售后单 ${c!.caseNo}`);
    expect(page).toContain('保温杯');
  });

  it('skips a number whose workflow already exists (a forgotten database, another suite on the same server) instead of joining it', async () => {
    const last = await web.db.em().findOneOrFail(AfterSaleCase, { caseNo: { $like: `SH${today}-%` } }, { orderBy: { caseNo: 'desc' } });
    const taken = `SH${today}-${String(Number(last.caseNo.slice(-4)) + 1).padStart(4, '0')}`;
    await web.temporal.workflow.start('returnWorkflow', { taskQueue: 'nobody-listens-here', workflowId: `return:${taken}`, args: [{}] }).catch((err: Error) => {
      if (err.name !== 'WorkflowExecutionAlreadyStartedError') throw err;
    });
    const res = await kefu.post('/after-sales/register', { actionId: actionId(), type: 'return', reason: '质量问题', orderId: 'order:zhiyuan:7200000005', oid_0: '7200000005-0', qty_0: '1' });
    expect(res.status).toBe(303);
    const [c] = await casesOf('order:zhiyuan:7200000005');
    expect(c!.caseNo > taken).toBe(true);
    expect(await web.db.em().count(AfterSaleCase, { caseNo: taken })).toBe(0);
  });

  it('opens one case when the same registration is sent twice, and says so', async () => {
    const form = { actionId: actionId(), type: 'return', reason: '质量问题', orderId: `order:zhiyuan:7200000000`, oid_0: '7200000000-0', qty_0: '1' };
    const first = await kefu.post('/after-sales/register', form);
    const again = await kefu.post('/after-sales/register', form);
    expect(first.status).toBe(303);
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(first.headers.get('location')!.replace('registered=1', 'registered=again'));
    expect(await casesOf('order:zhiyuan:7200000000')).toHaveLength(1);
  });

  it('refuses to return more than the order has left after its other cases, and opens nothing', async () => {
    const res = await register(kefu, { qty_0: '2' });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('保温杯：最多还能申请 1 件（订单 3 件，其他售后单已占用 2 件）');
    expect(await casesOf(SHIPPED)).toHaveLength(1);
  });

  it('refuses a return on an order that has not shipped, a reason not on the list, and a quantity that is not a number', async () => {
    const unshipped = await kefu.post('/after-sales/register', { actionId: actionId(), type: 'return', reason: '七天无理由', orderId: UNSHIPPED, oid_0: '7100000002-0', qty_0: '1' });
    expect(unshipped.status).toBe(400);
    expect(await unshipped.text()).toContain('订单当前为「待审核」，不能登记退货退款');
    const badReason = await register(kefu, { qty_0: '1', reason: '随便' });
    expect(badReason.status).toBe(400);
    expect(await badReason.text()).toContain('请从列表中选择原因');
    const badQty = await register(kefu, { qty_0: 'two' });
    expect(badQty.status).toBe(400);
    expect(await badQty.text()).toContain('数量必须是非负整数');
    expect(await casesOf(UNSHIPPED)).toHaveLength(0);
    expect(await casesOf(SHIPPED)).toHaveLength(1);
  });

  it('gives registrations sent at the same moment different numbers', async () => {
    const orders = ['7200000001', '7200000002', '7200000003', '7300000008', '7300000009'];
    const answers = await Promise.all(
      orders.map((no) => kefu.post('/after-sales/register', { actionId: actionId(), type: 'reissue', reason: '少件/漏发', orderId: `order:zhiyuan:${no}`, oid_0: `${no}-0`, qty_0: '1' })),
    );
    expect(answers.map((r) => r.status)).toEqual([303, 303, 303, 303, 303]);
    const numbers = (await web.db.em().find(AfterSaleCase, { orderId: { $in: orders.map((no) => `order:zhiyuan:${no}`) } })).map((c) => c.caseNo);
    expect(new Set(numbers).size).toBe(5);
    for (const no of numbers) expect(no).toMatch(new RegExp(`^SH${today}-\\d{4}$`));
    const reissue = await web.db.em().findOneOrFail(AfterSaleCase, { orderId: 'order:zhiyuan:7200000001' });
    expect(reissue.snapshot?.replacement).toEqual([{ skuCode: 'CUP-BLUE', title: '保温杯', spec: '蓝色', qty: 1, priceFen: 0 }]);
  });

  it('registers an exchange for another spec at its list price, and refuses a SKU that does not exist', async () => {
    const form = { type: 'exchange', reason: '尺码/规格不合适', orderId: 'order:zhiyuan:7200000004', oid_0: '7200000004-0', qty_0: '1' };
    const unknown = await kefu.post('/after-sales/register', { ...form, actionId: actionId(), sku_0: 'NO-SUCH' });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('商家编码 NO-SUCH 不存在');
    // The refused form comes back with what was typed.
    expect(await (await kefu.post('/after-sales/register', { ...form, actionId: actionId(), sku_0: 'NO-SUCH', qty_0: '1' })).text()).toMatch(/name="sku_0" value="NO-SUCH"/);
    expect(await casesOf('order:zhiyuan:7200000004')).toHaveLength(0);

    const res = await kefu.post('/after-sales/register', { ...form, actionId: actionId(), sku_0: 'CUP-RED' });
    expect(res.status).toBe(303);
    const [c] = await casesOf('order:zhiyuan:7200000004');
    expect(c).toMatchObject({ type: 'exchange', workflowId: `exchange:${c!.caseNo}` });
    expect(c!.snapshot?.replacement).toEqual([{ skuCode: 'CUP-RED', title: '保温杯', spec: '红色', qty: 1, priceFen: 6000 }]);
  });

  it('lets customer service and after-sales register, but not the warehouse', async () => {
    const before = await web.db.em().count(AfterSaleCase, {});
    const denied = await register(cangku, { qty_0: '1' });
    expect(denied.status).toBe(403);
    expect(await denied.text()).toContain('没有权限');
    expect((await cangku.get('/after-sales/register')).status).toBe(403);
    expect(await web.db.em().count(AfterSaleCase, {})).toBe(before);
    expect((await shouhou.get('/after-sales/register')).status).toBe(200);
  });
});

describe('售后单 queues', () => {
  it('counts every stage on its tab and lists the registered cases first', async () => {
    const html = await (await shouhou.get('/after-sales/cases')).text();
    const total = await web.db.em().count(AfterSaleCase, { stage: 'registered' });
    expect(html).toContain(`data-testid="count-registered">${total}<`);
    expect([...html.matchAll(/data-testid="case-link">([^<]+)</g)]).toHaveLength(total);
    expect(html).toContain('data-testid="batch-agree"');
  });

  it('filters by text and type, and shows the warehouse no batch approval', async () => {
    const byNick = await (await shouhou.get(`/after-sales/cases?stage=all&q=${encodeURIComponent('7100000001')}`)).text();
    const first = (await casesOf(SHIPPED))[0]!.caseNo;
    expect([...byNick.matchAll(/data-testid="case-link">([^<]+)</g)].map((m) => m[1])).toEqual([first]);
    const reissues = await (await shouhou.get('/after-sales/cases?stage=all&type=reissue')).text();
    expect([...reissues.matchAll(/data-testid="case-link"/g)]).toHaveLength(5);
    const warehouse = await (await cangku.get('/after-sales/cases')).text();
    expect(warehouse).not.toContain('data-testid="batch-agree"');
  });

  it('marks the order with an open case on the order list and lists the case on the order page', async () => {
    const list = await (await shouhou.get(`/orders?status=all&q=7100000001`)).text();
    expect(list).toContain('data-testid="open-case"');
    const page = await (await shouhou.get(`/orders/${encodeURIComponent(SHIPPED)}`)).text();
    expect(page).toContain((await casesOf(SHIPPED))[0]!.caseNo);
  });
});
