import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditEvent, Courier, Order, OrderLine, PrintBatch, Shop } from '../db/entities';
import type { Actor } from '../domain/roles';
import type { PrintKind } from '../workflows/messages';
import { createTestDb, type TestDb } from '../test/helpers/test-db';
import { pdfPageCount, pdfPages } from '../test/helpers/pdf';
import { createPrintActivities, type RenderPrintBatchInput } from './print';
import { createPrintRenderer, type PrintRenderer } from './print-renderer';

const warehouse: Actor = { username: 'cangku', displayName: '仓库小王', roles: ['warehouse'] };
const MM = 72 / 25.4;

let t: TestDb;
let renderer: PrintRenderer;
let pdfRenders = 0;
let activities: ReturnType<typeof createPrintActivities>;
let batches = 0;

function order(no: string, fields: Partial<Order>): Order {
  return Object.assign(new Order(), {
    id: `order:tb1:${no}`,
    status: 'ready_to_print',
    shopCode: 'tb1',
    platformOrderNo: no,
    buyerNick: `buyer_${no}`,
    receiverMobile: '13800001234',
    province: '浙江省',
    city: '杭州市',
    district: '西湖区',
    address: '文三路 478 号',
    courierCode: 'ZTO',
    waybillNo: `78${no}`,
    buyerMessage: '',
    sellerMemo: '',
    ...fields,
  });
}

function line(orderId: string, lineNo: number, skuCode: string, qty: number, priceFen: number): OrderLine {
  return Object.assign(new OrderLine(), {
    orderId, lineNo, skuCode, qty, priceFen, amountFen: qty * priceFen,
    barcode: `69${skuCode}`, title: `货品 ${skuCode}`, spec: '颜色:黑色',
  });
}

const paid = (minute: number): Date => new Date(Date.UTC(2026, 10, 26, 2, minute));

beforeAll(async () => {
  t = await createTestDb();
  const em = t.db.em();
  em.persist(Object.assign(new Shop(), {
    code: 'tb1', platform: 'taobao', name: '致远数码旗舰店', apiUrl: '', appKey: '', appSecret: '', sessionKey: '',
    signMethod: 'md5', pullIntervalSeconds: 60, shipByHours: 48,
  }));
  em.persist(Object.assign(new Courier(), {
    code: 'ZTO', name: '中通快递', provider: 'pool', template: 'waybill-100x180',
    settings: { sender: { name: '致远仓', mobile: '0571-88886666', address: '浙江省杭州市余杭区文一西路 1500 号' } },
  }));
  em.persist(Object.assign(new Courier(), { code: 'YTO', name: '圆通速递', provider: 'pool', template: 'waybill-76x130' }));
  const orders = [
    order('1003', { receiverName: '王芳', paidAt: paid(3), province: '北京市', city: '北京市', district: '朝阳区' }),
    order('1001', { receiverName: '张伟', paidAt: paid(1), sellerMemo: '送小样两个' }),
    order('1002', { receiverName: '李娜', paidAt: paid(2), province: '广东省', city: '深圳市', district: '南山区' }),
    order('2001', { receiverName: '赵敏', paidAt: paid(4), courierCode: 'YTO' }),
    order('3001', { receiverName: '钱多', paidAt: paid(5) }),
    order('4001', { status: 'review', waybillNo: '' }),
    order('4002', { refundStatus: 'WAIT_SELLER_AGREE' }),
    order('4003', { alert: '买家已申请退款' }),
    order('4004', { status: 'printed', printCount: 1 }),
    order('4005', { status: 'waybill_pending', waybillNo: '' }),
    order('4006', { status: 'cancelled' }),
    order('4007', { status: 'shipped', printCount: 0 }),
    order('4008', { refundStatus: 'CLOSED' }),
  ];
  orders.forEach((o) => em.persist(o));
  for (const o of orders.filter((x) => !x.platformOrderNo.startsWith('3'))) {
    em.persist(line(o.id, 1, `A${o.platformOrderNo}`, 2, 12900));
    em.persist(line(o.id, 2, `B${o.platformOrderNo}`, 1, 1990));
  }
  for (let n = 1; n <= 14; n += 1) em.persist(line('order:tb1:3001', n, `C${n}`, 1, 100));
  await em.flush();

  const real = createPrintRenderer();
  renderer = { ...real, renderPdf: (html) => { pdfRenders += 1; return real.renderPdf(html); } };
  activities = createPrintActivities({ db: t.db, renderer });
});

afterAll(async () => {
  await renderer?.close();
  await t?.drop();
});

async function printBatch(orderNos: string[], kinds: PrintKind[], extra: Partial<RenderPrintBatchInput> = {}) {
  const batchId = `test-${++batches}`;
  const result = await activities.renderPrintBatch({
    batchId, orderIds: orderNos.map((no) => `order:tb1:${no}`), kinds, actor: warehouse, sort: 'time', reprintOrderIds: [], ...extra,
  });
  const row = await t.db.em().findOneOrFail(PrintBatch, { id: batchId }, { populate: ['pdf'] });
  return { batchId, result, row, pdf: row.pdf! };
}

/** Page sizes in points, as pdfinfo reports them. */
function pageSizes(pdf: Buffer): Array<{ w: number; h: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gj-print-'));
  try {
    const file = path.join(dir, 'batch.pdf');
    fs.writeFileSync(file, pdf);
    const info = execFileSync('pdfinfo', ['-f', '1', '-l', '999', file]).toString();
    return [...info.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) => ({ w: Number(m[1]), h: Number(m[2]) }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('checkPrintable', () => {
  it('lets approved orders print, printed ones reprint, and refuses the rest with the reason staff see', async () => {
    const ids = ['1001', '4001', '4002', '4003', '4004', '4005', '4006', '4007', '4008', 'nope'].map((no) => `order:tb1:${no}`);
    const result = await activities.checkPrintable({ orderIds: ids });
    expect(result.printable).toEqual(['order:tb1:1001', 'order:tb1:4008']);
    expect(result.reprint).toEqual(['order:tb1:4004']);
    expect(Object.fromEntries(result.refused.map((r) => [r.orderId.split(':').pop(), r.reason]))).toEqual({
      4001: '订单未审核',
      4002: '买家申请退款，不要打印/发货',
      4003: '买家申请退款，不要打印/发货',
      4005: '尚未预约物流单号',
      4006: '订单已取消',
      4007: '订单已发货，未在本系统打印过面单',
      nope: '订单不存在',
    });
  });
});

describe('renderPrintBatch', () => {
  it('prints three waybills as three pages, in payment order, each with its receiver and tracking number', async () => {
    const { result, row, pdf } = await printBatch(['1003', '1001', '1002'], ['waybill']);
    expect(result.pageCount).toBe(3);
    expect(pdfPageCount(pdf)).toBe(3);
    const pages = pdfPages(pdf);
    expect(pages[0]).toContain('张伟');
    expect(pages[0]).toContain('781001');
    expect(pages[0]).toContain('中通快递');
    expect(pages[0]).toContain('浙江 杭州');
    expect(pages[1]).toContain('李娜');
    expect(pages[1]).toContain('781002');
    expect(pages[2]).toContain('王芳');
    expect(pages[2]).toContain('781003');
    expect(pages[2]).toContain('北京 朝阳');
    expect(row).toMatchObject({ kinds: 'waybill', pageCount: 3, reprint: false, createdBy: 'cangku' });
    expect(row.orderIds).toEqual(['order:tb1:1001', 'order:tb1:1002', 'order:tb1:1003']);
  });

  it('puts each packing list right after its waybill so the packer gets them together', async () => {
    const { pdf, row } = await printBatch(['1001', '1002', '1003'], ['waybill', 'packing_list'], { sort: 'province' });
    expect(pdfPageCount(pdf)).toBe(6);
    const pages = pdfPages(pdf);
    // Pinyin order of provinces: 北京, 广东, 浙江.
    ['781003', '781002', '781001'].forEach((waybillNo, i) => {
      expect(pages[2 * i]).toContain(waybillNo);
      expect(pages[2 * i]).not.toContain('配货单');
      expect(pages[2 * i + 1]).toContain('配货单');
      expect(pages[2 * i + 1]).toContain(waybillNo);
    });
    expect(pages[5]).toContain('A1001');
    expect(pages[5]).toContain('129.00');
    expect(pages[5]).toContain('送小样两个');
    expect(pages[5]).toContain('仓库小王');
    expect(row.kinds).toBe('waybill,packing_list');
  });

  it('prints on 100×180 mm stock, and on 76×130 mm for a courier with the compact template, in one PDF', async () => {
    const { pdf } = await printBatch(['1001', '2001'], ['waybill', 'packing_list']);
    const sizes = pageSizes(pdf);
    expect(sizes).toHaveLength(4);
    for (const [i, [w, h]] of [[100, 180], [100, 180], [76, 130], [76, 130]].entries()) {
      expect(Math.abs(sizes[i]!.w - w! * MM)).toBeLessThan(1);
      expect(Math.abs(sizes[i]!.h - h! * MM)).toBeLessThan(1);
    }
    expect(pdfPages(pdf)[2]).toContain('圆通速递');
  });

  it('keeps a long packing list on one page and says how many lines it left off', async () => {
    const { pdf } = await printBatch(['3001'], ['packing_list']);
    expect(pdfPageCount(pdf)).toBe(1);
    const text = pdfPages(pdf)[0]!;
    expect(text).toContain('C9');
    expect(text).not.toContain('C10');
    expect(text).toContain('另有 5 项未列出');
    expect(text).toMatch(/合计\s*14\s*件/);
  });

  it('renders a batch once when the activity is retried with the same batch id', async () => {
    const before = pdfRenders;
    const input: RenderPrintBatchInput = {
      batchId: 'retried', orderIds: ['order:tb1:4004'], kinds: ['waybill'], actor: warehouse, sort: 'time',
      reprintOrderIds: ['order:tb1:4004'],
    };
    const first = await activities.renderPrintBatch(input);
    const second = await activities.renderPrintBatch(input);
    expect(second).toEqual(first);
    expect(pdfRenders - before).toBe(1);
    const row = await t.db.em().findOneOrFail(PrintBatch, { id: 'retried' });
    expect(row).toMatchObject({ pageCount: 1, reprint: true });
  });

  it('refuses a batch holding an order whose buyer asked for a refund, and stores nothing', async () => {
    await expect(activities.renderPrintBatch({
      batchId: 'refunded', orderIds: ['order:tb1:1001', 'order:tb1:4002'], kinds: ['waybill'], actor: warehouse, sort: 'time',
      reprintOrderIds: [],
    })).rejects.toThrow('买家申请退款，不要打印/发货');
    expect(await t.db.em().findOne(PrintBatch, { id: 'refunded' })).toBeNull();
  });
});

describe('recordPrintBatchFailure', () => {
  const input = (batchId: string): RenderPrintBatchInput & { reason: string } => ({
    batchId, orderIds: ['order:tb1:1001'], kinds: ['waybill'], actor: warehouse, sort: 'time', reprintOrderIds: [], reason: '打印失败：PDF 渲染器出错（浏览器无法启动）',
  });

  it('keeps the batch as failed with its reason and no PDF', async () => {
    expect(await activities.recordPrintBatchFailure(input('failed-1'))).toBeNull();
    expect(await activities.recordPrintBatchFailure(input('failed-1'))).toBeNull();
    const row = await t.db.em().findOneOrFail(PrintBatch, { id: 'failed-1' }, { populate: ['pdf'] });
    expect(row).toMatchObject({ status: 'failed', error: '打印失败：PDF 渲染器出错（浏览器无法启动）', orderIds: ['order:tb1:1001'], kinds: 'waybill', pdf: null });
  });

  it('leaves a batch whose PDF was stored after all as printed and hands back its numbers', async () => {
    const { result } = await printBatch(['1001'], ['waybill']);
    const batchId = `test-${batches}`;
    expect(await activities.recordPrintBatchFailure(input(batchId))).toEqual(result);
    expect(await t.db.em().findOneOrFail(PrintBatch, { id: batchId })).toMatchObject({ status: 'printed', error: '' });
  });
});

describe('recordClosedOrderPrints', () => {
  it('records the reprint of a finished order once per batch, with its audit row and print count', async () => {
    const em = t.db.em();
    em.persist(order('5001', { status: 'done', printCount: 1 }));
    await em.flush();
    const notice = { batchId: 'closed-1', orderIds: ['order:tb1:5001'], actor: warehouse, at: '2026-11-27T02:00:00.000Z', kinds: 'waybill' };
    await activities.recordClosedOrderPrints(notice);
    await activities.recordClosedOrderPrints(notice);
    expect(await t.db.em().findOneOrFail(Order, { id: 'order:tb1:5001' })).toMatchObject({ status: 'done', printCount: 2, printedAt: new Date(notice.at) });
    const audit = await t.db.em().find(AuditEvent, { entityId: 'order:tb1:5001' });
    expect(audit.map((a) => [a.action, a.actor, a.reason])).toEqual([['reprint', 'cangku', '批次 closed-1（waybill），订单已完成']]);
  });
});
