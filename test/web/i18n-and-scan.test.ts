import fs from 'node:fs';
import path from 'node:path';
import { en } from '../../api/i18n/en';
import { zhCN } from '../../api/i18n/zh-cn';
import { TEMPLATE_ROOT } from '../../api/views';
import { seedOrders, startWebFixture, type Agent, type WebFixture } from './web-fixture';

let web: WebFixture;
let warehouse: Agent;

beforeAll(async () => {
  web = await startWebFixture();
  await seedOrders(web.db, [
    { status: 'printed', platformOrderNo: '7001', waybillNo: 'ZT7001', lines: [{ skuCode: 'CUP-BLUE', barcode: '6901', title: '保温杯', spec: '蓝色', qty: 2 }, { skuCode: 'SLEEVE', barcode: '6902', title: '杯套', qty: 1 }] },
    { status: 'ready_to_print', platformOrderNo: '7002', waybillNo: 'ZT7002' },
    { status: 'shipped', platformOrderNo: '7003', waybillNo: 'ZT7003' },
    { status: 'printed', platformOrderNo: '7004', waybillNo: 'ZT7004', refundStatus: 'WAIT_SELLER_AGREE' },
    // The read model may lack a line's barcode; the scan page takes the SKU's.
    { status: 'printed', platformOrderNo: '7005', waybillNo: 'ZT7005', lines: [{ skuCode: 'CUP-BLUE', barcode: '', title: '保温杯', qty: 1 }] },
  ]);
  warehouse = await web.login('cangku');
});
afterAll(() => web.close());

describe('language', () => {
  it('switches to English with a cookie and back', async () => {
    const a = await web.login('shendan');
    const res = await a.get('/lang/en?next=/review');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/review');
    expect(a.cookies.get('gj_lang')).toBe('en');
    const html = await (await a.get('/review')).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Order review');
    expect(html).toContain('Approve selected');
    expect(html).not.toContain('审核完成');
    await a.get('/lang/zh-CN?next=/review');
    expect(await (await a.get('/review')).text()).toContain('审核完成');
  });

  it('has every key the templates use in both catalogues', () => {
    const keys = new Set<string>();
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.hbs')) for (const m of fs.readFileSync(p, 'utf8').matchAll(/[{(]t "([^"]+)"/g)) keys.add(m[1]!);
      }
    };
    walk(TEMPLATE_ROOT);
    expect(keys.size).toBeGreaterThan(100);
    const missing = [...keys].filter((k) => !(k in zhCN));
    expect(missing).toEqual([]);
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
  });
});

describe('扫描验货', () => {
  const form = (extra: Record<string, string>) => ({ actionId: '11111111-2222-3333-4444-555555555555', orderId: '', scans: '[]', ...extra });
  const scansOf = (html: string): string[] => JSON.parse(/name="scans" value="([^"]*)"/.exec(html)![1]!.replace(/&quot;/g, '"')) as string[];
  const countOf = (html: string): string => /data-testid="scan-count">([^<]*)</.exec(html)?.[1]?.trim() ?? '';

  it('has a focused scan field', async () => {
    const html = await (await warehouse.get('/scan')).text();
    expect(html).toMatch(/id="scan-input"[^>]*autofocus/);
    expect(html).toContain('data-testid="scan-input"');
  });

  it.each([
    ['NOPE123', '未知运单号：NOPE123'],
    ['ZT7002', '尚未打印'],
    ['ZT7003', '已经发货'],
    ['ZT7004', '买家已申请退款，禁止发货'],
  ])('refuses waybill %s loudly', async (code, message) => {
    const res = await warehouse.post('/scan', form({ code }), { headers: { 'hx-request': 'true' } });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('scan-banner-error');
    expect(html).toContain(message);
    expect(html).toContain('data-banner="error"');
  });

  it('checks each item against the order, refusing wrong and extra ones without counting them', async () => {
    const opened = await warehouse.post('/scan', form({ code: 'ZT7001' }), { headers: { 'hx-request': 'true' } });
    expect(opened.status).toBe(200);
    const html = await opened.text();
    expect(html).toContain('data-testid="scan-lines"');
    expect(countOf(html)).toBe('已扫 0 / 3 件');
    const orderId = /name="orderId" value="([^"]+)"/.exec(html)![1]!;
    expect(orderId).toBe('order:zhiyuan:7001');

    /** Sends one scan with the list the page holds, and reads the answer to that request. */
    const step = async (code: string, scans: string[]) => {
      const res = await warehouse.post('/scan', form({ code, orderId, scans: JSON.stringify(scans) }), { headers: { 'hx-request': 'true' } });
      return { status: res.status, html: await res.text() };
    };

    const wrong = await step('9999', []);
    expect(wrong.status).toBe(422);
    expect(wrong.html).toContain('条码 9999 不是本订单的货品');
    expect(scansOf(wrong.html)).toEqual([]);
    expect(countOf(wrong.html)).toBe('已扫 0 / 3 件');

    const first = await step('6901', []);
    expect(first.status).toBe(200);
    expect(first.html).toContain('data-banner="ok"');
    expect(scansOf(first.html)).toEqual(['6901']);
    expect(countOf(first.html)).toBe('已扫 1 / 3 件');

    const second = await step('6901', ['6901']);
    expect(second.status).toBe(200);
    expect(scansOf(second.html)).toEqual(['6901', '6901']);
    expect(second.html).not.toContain('data-testid="ship"');

    const extra = await step('6901', ['6901', '6901']);
    expect(extra.status).toBe(422);
    expect(extra.html).toContain('多扫了一件');
    expect(scansOf(extra.html)).toEqual(['6901', '6901']);
    expect(countOf(extra.html)).toBe('已扫 2 / 3 件');
    expect(extra.html).not.toContain('data-testid="ship"');

    const last = await step('6902', ['6901', '6901']);
    expect(last.status).toBe(200);
    expect(scansOf(last.html)).toEqual(['6901', '6901', '6902']);
    expect(countOf(last.html)).toBe('已扫 3 / 3 件');
    expect(last.html).toContain('data-testid="ship"');
    expect(last.html).toContain('验货完成');
  });

  it('will not ship an incomplete parcel, and starts over when the scans sent back do not add up', async () => {
    const orderId = 'order:zhiyuan:7001';
    const early = await warehouse.post('/scan', form({ orderId, scans: '["6901"]', ship: '1' }), { headers: { 'hx-request': 'true' } });
    expect(early.status).toBe(422);
    expect(await early.text()).toContain('验货未完成');
    const forged = await warehouse.post('/scan', form({ orderId, scans: '["6902","6902"]', code: '6901' }), { headers: { 'hx-request': 'true' } });
    expect(forged.status).toBe(422);
    expect(scansOf(await forged.text())).toEqual([]);
  });

  it('uses the SKU barcode when the line has none', async () => {
    const html = await (await warehouse.post('/scan', form({ code: 'ZT7005' }), { headers: { 'hx-request': 'true' } })).text();
    expect(html).toContain('data-barcode="6901"');
  });

  it('answers a scan without JavaScript with the whole page', async () => {
    const html = await (await warehouse.post('/scan', form({ code: 'ZT7001' }))).text();
    expect(html).toContain('<html');
    expect(html).toContain('data-testid="scan-lines"');
  });
});
