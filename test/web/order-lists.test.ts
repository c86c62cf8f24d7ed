import { AuditEvent, PrintBatch } from '../../db/entities';
import { seedOrders, startWebFixture, type Agent, type WebFixture } from './web-fixture';

let web: WebFixture;
let reviewer: Agent;

const rowsOf = (html: string): string[] => [...html.matchAll(/data-order-id="([^"]+)"/g)].map((m) => m[1]!);

beforeAll(async () => {
  web = await startWebFixture();
  const seeds = [];
  for (let i = 0; i < 120; i++) seeds.push({ status: i % 4 === 3 ? ('ready_to_print' as const) : ('review' as const), platformOrderNo: `5100${String(i).padStart(4, '0')}` });
  seeds.push({ status: 'out_of_area' as const, platformOrderNo: '6200000001', province: '新疆维吾尔自治区', city: '乌鲁木齐市', reviewReasons: '超区' });
  seeds.push({ status: 'review' as const, platformOrderNo: '6200000002', shopCode: 'hongyun', buyerNick: '小龙虾爱好者', receiverName: '欧阳娜娜', receiverMobile: '13712345678', paidFen: 99_900, buyerMessage: '周末送货', sellerMemo: '担保交易 中通', reviewReasons: '买家留言；客服备注', paidAt: new Date('2026-11-01T04:00:00Z') });
  seeds.push({ status: 'shipped' as const, platformOrderNo: '6200000003', waybillNo: '75300001', syncStatus: 'failing' as const, syncLastError: '平台返回：物流订单不存在', syncAttempts: 4 });
  seeds.push({ status: 'printed' as const, platformOrderNo: '6200000004', waybillNo: '75300002', printCount: 2, refundStatus: 'WAIT_SELLER_AGREE' });
  await seedOrders(web.db, seeds);
  reviewer = await web.login('shendan');
});
afterAll(() => web.close());

describe('订单审核 list', () => {
  it('shows orders waiting for review and out-of-area ones by default, 50 a page, with the total', async () => {
    const res = await reviewer.get('/review');
    expect(res.status).toBe(200);
    const html = await res.text();
    const rows = rowsOf(html);
    expect(rows).toHaveLength(50);
    // 90 waiting + 1 out of area + 1 from the other shop; ready_to_print and later are not here.
    expect(html).toContain('共 92 条');
    expect(html).toContain('选择全部筛选结果（92 单）');
    expect(html).toContain('data-testid="approve"');
  });

  it('pages through the rest', async () => {
    const html = await (await reviewer.get('/review?page=2&size=50')).text();
    expect(rowsOf(html)).toHaveLength(42);
    expect(html).toContain('第 51–92 条');
    const big = await (await reviewer.get('/review?size=200')).text();
    expect(rowsOf(big)).toHaveLength(92);
  });

  it('finds an order by order number, buyer nick, receiver name or mobile', async () => {
    for (const q of ['6200000002', '小龙虾', '欧阳', '13712345678']) {
      const rows = rowsOf(await (await reviewer.get(`/review?q=${encodeURIComponent(q)}`)).text());
      expect(rows).toEqual(['order:hongyun:6200000002']);
    }
  });

  it('filters by shop, province, status and paid date', async () => {
    expect(rowsOf(await (await reviewer.get('/review?shop=hongyun')).text())).toEqual(['order:hongyun:6200000002']);
    expect(rowsOf(await (await reviewer.get(`/review?province=${encodeURIComponent('新疆')}`)).text())).toEqual(['order:zhiyuan:6200000001']);
    expect(rowsOf(await (await reviewer.get('/review?status=out_of_area')).text())).toEqual(['order:zhiyuan:6200000001']);
    expect(rowsOf(await (await reviewer.get('/review?from=2026-11-01&to=2026-11-01')).text())).toEqual(['order:hongyun:6200000002']);
    const all = await (await reviewer.get('/review?status=all&size=200')).text();
    expect(all).toContain('共 124 条');
  });

  it('sorts by amount, largest first', async () => {
    const rows = rowsOf(await (await reviewer.get('/review?sort=amount&dir=desc')).text());
    expect(rows[0]).toBe('order:hongyun:6200000002');
  });

  it('shows review reasons, buyer message and seller memo on the row', async () => {
    const html = await (await reviewer.get('/review?q=6200000002')).text();
    expect(html).toContain('买家留言');
    expect(html).toContain('周末送货');
    expect(html).toContain('担保交易 中通');
    expect(html).toContain('¥999.00');
  });

  it('explains a bad filter instead of failing', async () => {
    const res = await reviewer.get('/review?size=7');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('每页条数只能是 50、100 或 200');
  });

  it('asks to select orders before a batch approval, and starts nothing', async () => {
    const res = await reviewer.post('/review/approve', { actionId: '11111111-2222-3333-4444-555555555555', filter: '' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('请先勾选要审核的订单');
  });

  it('refuses an override to a courier that does not exist', async () => {
    const res = await reviewer.post('/review/approve', { actionId: '11111111-2222-3333-4444-555555555555', pick: 'order:zhiyuan:51000000@1', courierCode: 'NOPE' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('快递 NOPE 不存在或已停用');
  });
});

describe('订单查询 and the order page', () => {
  it('searches all statuses, by waybill number too', async () => {
    const a = await web.login('kefu');
    const html = await (await a.get('/orders?waybill=75300001')).text();
    expect(rowsOf(html)).toEqual(['order:zhiyuan:6200000003']);
    expect(html).toContain('同步失败');
    expect(rowsOf(await (await a.get('/orders?sync=failing')).text())).toEqual(['order:zhiyuan:6200000003']);
  });

  it('shows lines, receiver, notes, amounts and one timeline of audit rows with a notice when the workflow has no history', async () => {
    const id = 'order:hongyun:6200000002';
    const em = web.db.em();
    em.create(AuditEvent, { eventKey: `${id}:auto`, entityType: 'order', entityId: id, action: 'auto_review', actor: 'system', actorName: '系统', reason: '买家留言', before: { status: 'submitted' }, after: { status: 'review', courierCode: 'ZTO' }, at: new Date('2026-11-01T04:00:05Z') });
    em.create(AuditEvent, { eventKey: `${id}:sub`, entityType: 'order', entityId: id, action: 'submitted', actor: 'system', actorName: '系统', at: new Date('2026-11-01T04:00:01Z') });
    await em.flush();
    const res = await reviewer.get(`/orders/${encodeURIComponent(id)}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('欧阳娜娜');
    expect(html).toContain('保温杯');
    expect(html).toContain('周末送货');
    expect(html).toContain('¥999.00');
    expect(html).toContain('data-testid="approve-form"');
    expect(html.indexOf('submitted')).toBeLessThan(html.indexOf('auto_review'));
    expect(html).toMatch(/<s>submitted<\/s> → review/);
    expect(html).toContain('data-testid="history-unavailable"');
  });

  it('has no approve form for an order past review, and paints a refunded one pink', async () => {
    const html = await (await reviewer.get(`/orders/${encodeURIComponent('order:zhiyuan:6200000004')}`)).text();
    expect(html).not.toContain('data-testid="approve-form"');
    expect(html).toContain('banner-pink');
  });

  it('says so when an order does not exist', async () => {
    const res = await reviewer.get('/orders/order:zhiyuan:nope');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('不存在');
  });
});

describe('单据打印', () => {
  it('lists orders to print, with reprint counts, and the print buttons', async () => {
    const a = await web.login('cangku');
    const html = await (await a.get('/print?size=200')).text();
    expect(rowsOf(html)).toHaveLength(30);
    for (const id of ['print-waybills', 'print-packing', 'print-both', 'reserve-waybill']) expect(html).toContain(`data-testid="${id}"`);
    const printed = await (await a.get('/print?status=printed')).text();
    expect(rowsOf(printed)).toEqual(['order:zhiyuan:6200000004']);
    expect(printed).toContain('2 次');
    expect(printed).toContain('is-pink');
  });

  it('serves a batch PDF inline so it opens in the browser', async () => {
    const em = web.db.em();
    em.create(PrintBatch, { id: 'P20261126101500ABC123', kinds: 'waybill', orderIds: ['x'], pageCount: 1, createdBy: 'cangku', createdAt: new Date(), pdf: Buffer.from('%PDF-1.4 test') });
    await em.flush();
    const a = await web.login('cangku');
    const res = await a.get('/print/batches/P20261126101500ABC123.pdf');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(/^inline/);
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('%PDF-1.4 test');
    expect((await a.get('/print/batches/P0.pdf')).status).toBe(404);
    expect(await (await a.get('/print')).text()).toContain('P20261126101500ABC123');
  });

  it('prints nothing when nothing is selected', async () => {
    const a = await web.login('cangku');
    const res = await a.post('/print/run', { actionId: '11111111-2222-3333-4444-555555555555', kinds: 'waybill' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('请先勾选要打印的订单');
  });
});

describe('发货同步', () => {
  it('lists failing syncs with the last error and attempts', async () => {
    const a = await web.login('cangku');
    const html = await (await a.get('/sync')).text();
    expect(rowsOf(html)).toEqual(['order:zhiyuan:6200000003']);
    expect(html).toContain('平台返回：物流订单不存在');
    expect(html).toContain('data-testid="sync-retry"');
    expect(html).not.toContain('data-testid="mark-synced"');
    expect(await (await (await web.login('shendan')).get('/sync')).text()).toContain('data-testid="mark-synced"');
  });

  it('needs a reason to mark an order synced', async () => {
    const res = await reviewer.post('/sync/mark-synced', { actionId: '11111111-2222-3333-4444-555555555555', pick: 'order:zhiyuan:6200000003@1', reason: '' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('标记已同步需要填写原因');
  });
});
