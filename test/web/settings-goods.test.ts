/**
 * 设置 → 货品 and 货品对应 through the pages (createApp().request) on the demo catalogue: the list searches, filters and
 * pages; a duplicate code or a bad price is refused with the message under its field and nothing changes; an edit is
 * shown in the change history in words; only admins change goods; the review row's 对应货品 fragment searches SKUs,
 * refuses a save without a pick or with an unknown code, and maps the line.
 */
import { createApp } from '../../api/app';
import type { AppDeps } from '../../api/env';
import { AuditEvent, PlatformSkuMapping, Sku } from '../../db/entities';
import { DEMO_PASSWORD } from '../../db/seeders/demo-data';
import { saveSkus } from '../../db/settings/save-skus';
import { actors, startStack, type Stack } from '../helpers/stack';
import { loginAgent, seedOrders, type Agent } from './web-fixture';

const deps = {} as AppDeps;
const app = createApp(deps);
const request = async (path: string, init?: RequestInit) => app.request(path, init);

let stack: Stack;
let admin: Agent;
let reviewer: Agent;
let kefu: Agent;

const em = () => stack.db.em().fork();
const codesIn = (html: string) => [...html.matchAll(/data-testid="goods-row" data-code="([^"]+)"/g)].map((m) => m[1]);
const flash = (html: string) => /data-testid="flash">([^<]*)/.exec(html)?.[1]?.trim() ?? '';
const fieldError = (html: string, field: string) => new RegExp(`data-testid="error-${field}">([^<]*)<`).exec(html)?.[1] ?? '';
const skuForm = (over: Record<string, string> = {}) => ({ code: 'NEW-01', barcode: '6900000099991', name: '新品一号', spec: '颜色:红', productCode: '', weightGrams: '200', cost: '10.00', price: '29.90', active: '1', components: '', ...over });

beforeAll(async () => {
  stack = await startStack({ realPasswords: true, seed: 53 });
  Object.assign(deps, {
    db: stack.db,
    temporal: stack.client,
    config: { taskQueue: stack.taskQueue, baseUrl: 'http://127.0.0.1:3000', secureCookies: false, sessionHours: 12, temporalUiUrl: 'http://127.0.0.1:8233' },
  } satisfies AppDeps);
  admin = await loginAgent(request, 'admin', DEMO_PASSWORD);
  reviewer = await loginAgent(request, 'shendan', DEMO_PASSWORD);
  kefu = await loginAgent(request, 'kefu', DEMO_PASSWORD);
});
afterAll(() => stack?.close());

describe('the goods list', () => {
  beforeAll(async () => {
    // Enough socks for a second page of 50.
    const rows = Array.from({ length: 40 }, (_, i) => ({ row: i + 1, input: { code: `PG-${String(i + 1).padStart(2, '0')}`, barcode: '', name: '翻页测试袜', spec: `款${i + 1}`, productCode: '', weightGrams: 50, costFen: 500, priceFen: 1500, active: true, components: [] } }));
    expect(await saveSkus(em(), actors.admin, rows, 'create')).toMatchObject({ ok: true });
  });

  it('searches by code or name, filters bundles and pages through the catalogue', async () => {
    const tshirts = await (await kefu.get('/settings/products?q=' + encodeURIComponent('短袖T恤'))).text();
    expect(codesIn(tshirts)).toEqual(['TX-01', 'TX-02', 'TX-03', 'TX-04', 'TX-05', 'TX-06']);
    expect(codesIn(await (await kefu.get('/settings/products?q=6900000000120')).text())).toEqual(['TX-05']);
    expect(codesIn(await (await kefu.get('/settings/products?kind=bundle')).text())).toEqual(['TZ-GIFT-01']);

    const all = await em().count(Sku, { active: true });
    const page2 = await (await kefu.get('/settings/products?size=50&page=2')).text();
    expect(codesIn(page2)).toHaveLength(all - 50);
    expect(page2).toContain(`第 51–${all} 条，共 ${all} 条`);
    const page1 = codesIn(await (await kefu.get('/settings/products?size=50&page=1')).text());
    expect(page1).toHaveLength(50);
    expect(page1.filter((c) => codesIn(page2).includes(c))).toEqual([]);
    // Staff read the list without the forms that change it.
    expect(page2).not.toContain('data-testid="goods-new"');
    expect(page2).not.toContain('data-testid="goods-import"');
  });

  it('says so when nothing matches', async () => {
    const html = await (await kefu.get('/settings/products?q=no-such-thing')).text();
    expect(codesIn(html)).toEqual([]);
    expect(html).toContain('没有找到符合条件的货品');
  });
});

describe('adding and changing a SKU', () => {
  it('refuses a duplicate code with the message under the code, and adds nothing', async () => {
    const before = await em().count(Sku, {});
    const res = await admin.post('/settings/products', skuForm({ code: 'TX-05', name: '重复的编码' }));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(fieldError(html, 'code')).toBe('商家编码 TX-05 已存在，请换一个编码或去修改那个货品');
    expect(await em().count(Sku, {})).toBe(before);
    expect((await em().findOneOrFail(Sku, { code: 'TX-05' })).name).toBe('纯棉圆领短袖T恤');
  });

  it('refuses a bad price with the message under the price and keeps what was typed', async () => {
    const res = await admin.post('/settings/products', skuForm({ price: '29.999' }));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(fieldError(html, 'price')).toBe('成本价和售价应为金额（元，最多两位小数）');
    expect(html).toContain('value="29.999"');
    expect(await em().count(Sku, { code: 'NEW-01' })).toBe(0);
  });

  it('saves an edit, shows it in the change history in words, and refuses a bad edit without changing anything', async () => {
    const saved = await admin.post('/settings/products/TX-05', skuForm({ code: 'TX-05', barcode: '6900000000120', name: '纯棉圆领短袖T恤', spec: '尺码:M;颜色:黑', productCode: 'TX', weightGrams: '220', cost: '21.00', price: '59.00' }));
    expect(saved.status).toBe(200);
    const html = await saved.text();
    expect(flash(html)).toBe('已保存');
    expect((await em().findOneOrFail(Sku, { code: 'TX-05' })).priceFen).toBe(5900);
    const history = /data-testid="goods-history"[\s\S]*?<\/ol>/.exec(html)?.[0] ?? '';
    expect(history).toContain('售价：¥69.00 → ¥59.00');
    expect(history).not.toContain('priceFen');
    const audit = await em().find(AuditEvent, { entityType: 'sku', entityId: 'TX-05', action: 'sku_update' });
    expect(audit.map((a) => [a.before?.priceFen, a.after?.priceFen])).toEqual([[6900, 5900]]);

    const bad = await admin.post('/settings/products/TX-05', skuForm({ code: 'TX-05', barcode: '6900000000137', price: '-1' }));
    expect(bad.status).toBe(400);
    expect(fieldError(await bad.text(), 'barcode')).toBe('条码 6900000000137 已被货品 TX-06 使用');
    const after = await em().findOneOrFail(Sku, { code: 'TX-05' });
    expect([after.barcode, after.priceFen]).toEqual(['6900000000120', 5900]);
  });

  it('lets only admins change goods', async () => {
    expect((await kefu.post('/settings/products', skuForm())).status).toBe(403);
    expect((await reviewer.post('/settings/products/TX-05', skuForm({ code: 'TX-05', price: '1.00' }))).status).toBe(403);
    expect((await kefu.post('/settings/products/TX-05/active', { active: '0' })).status).toBe(403);
    expect((await kefu.get('/settings/products/new')).status).toBe(403);
    expect((await em().findOneOrFail(Sku, { code: 'TX-05' })).priceFen).toBe(5900);
    expect(await em().count(Sku, { code: 'NEW-01' })).toBe(0);
  });
});

describe('对应货品 in a review row', () => {
  let orderId = '';
  beforeAll(async () => {
    const [order] = await seedOrders(stack.db, [{ shopCode: stack.shopCode, reviewReasons: '货品未匹配: TXW-L-RED', lines: [{ skuCode: 'TXW-L-RED', title: '纯棉T恤 新色', spec: '尺码:L;颜色:红', qty: 2 }] }]);
    orderId = order!.id;
  });
  const inlinePath = () => `/settings/sku-mappings/order/${encodeURIComponent(orderId)}/inline`;

  it('shows the unmatched line with a SKU search; the search offers matching active SKUs', async () => {
    const html = await (await reviewer.get(inlinePath(), { 'hx-request': 'true' })).text();
    expect(html).toContain('data-testid="inline-map-line" data-outer-id="TXW-L-RED"');
    expect(html).toContain('先在左边搜索货品');
    const options = await (await reviewer.get('/settings/sku-mappings/sku-options?q=TX-0', { 'hx-request': 'true' })).text();
    expect([...options.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1])).toEqual(['TX-01', 'TX-02', 'TX-03', 'TX-04', 'TX-05', 'TX-06']);
    expect(await (await reviewer.get('/settings/sku-mappings/sku-options?q=zzz', { 'hx-request': 'true' })).text()).toContain('没有找到“zzz”');
  });

  it('refuses a save without a pick or with an unknown code, next to the field, and maps nothing', async () => {
    const line = { oid: '', numIid: '', skuId: '', outerId: 'TXW-L-RED', title: '纯棉T恤 新色', spec: '尺码:L;颜色:红' };
    const none = await reviewer.post(inlinePath(), { ...line, q: '', skuCode: '' }, { headers: { 'hx-request': 'true' } });
    expect(none.status).toBe(400);
    expect(await none.text()).toMatch(/data-testid="inline-map-error">请先搜索并选择要对应的货品</);
    const unknown = await reviewer.post(inlinePath(), { ...line, q: 'TX', skuCode: 'NOPE-9' }, { headers: { 'hx-request': 'true' } });
    expect(await unknown.text()).toMatch(/data-testid="inline-map-error">商家编码 NOPE-9 不存在，请先在货品档案中添加</);
    expect(await em().count(PlatformSkuMapping, { outerId: 'TXW-L-RED' })).toBe(0);
    expect((await kefu.post(inlinePath(), { ...line, skuCode: 'TX-03' })).status).toBe(403);
  });

  it('maps the line and says so', async () => {
    const res = await reviewer.post(inlinePath(), { oid: '', numIid: '', skuId: '', outerId: 'TXW-L-RED', title: '纯棉T恤 新色', spec: '尺码:L;颜色:红', q: 'TX-03', skuCode: 'TX-03' }, { headers: { 'hx-request': 'true', 'hx-current-url': 'http://127.0.0.1/review?status=review' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('已对应');
    // The row on the review list it came from is read back (the order's own workflow re-checks its lines).
    expect(html).toContain('hx-get="/review?status&#x3D;review"');
    expect(html).toContain(`hx-select="#o-${orderId.replace(/[^A-Za-z0-9_-]/g, '_')}"`);
    // Without a review list to go back to (the order page, say), it only says what it did.
    const again = await reviewer.post(inlinePath(), { oid: '', numIid: '', skuId: '', outerId: 'TXW-L-RED', title: '纯棉T恤 新色', spec: '尺码:L;颜色:红', q: '', skuCode: 'TX-03' }, { headers: { 'hx-request': 'true', 'hx-current-url': 'http://127.0.0.1/orders/x' } });
    expect(await again.text()).not.toContain('hx-select="#o-');
    const mapping = await em().findOneOrFail(PlatformSkuMapping, { shopCode: stack.shopCode, outerId: 'TXW-L-RED' });
    expect(mapping.skuCode).toBe('TX-03');
  });
});

describe('获取平台商品 from the mapping page', () => {
  it('starts the pull in the background for admins only, and the page shows its progress and then its outcome', async () => {
    expect((await kefu.post('/settings/sku-mappings/pull', { shopCode: stack.shopCode })).status).toBe(403);
    expect((await admin.post('/settings/sku-mappings/pull', { shopCode: 'no-such-shop' })).status).toBe(404);
    const started = await admin.post('/settings/sku-mappings/pull', { shopCode: stack.shopCode });
    expect(started.status).toBe(303);
    expect(started.headers.get('location')).toBe(`/settings/sku-mappings?shop=${encodeURIComponent(stack.shopCode)}`);
    let fragment = '';
    for (let i = 0; i < 120 && !fragment.includes('goods-pull-result'); i++) {
      fragment = await (await kefu.get(`/settings/sku-mappings/pull-status?shop=${encodeURIComponent(stack.shopCode)}`, { 'hx-request': 'true' })).text();
      if (!fragment.includes('goods-pull-result')) {
        // While it runs the panel asks again by itself.
        expect(fragment).toContain('data-testid="goods-pull-progress"');
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    expect(fragment).toMatch(/已从 .+ 获取 \d+ 个在售商品、\d+ 个平台 SKU，其中 \d+ 个是新的/);
    const seen = await em().count(PlatformSkuMapping, { shopCode: stack.shopCode, pulledAt: { $ne: null } });
    expect(seen).toBeGreaterThan(20);
    // The list page shows the last outcome above the platform SKUs it found.
    const list = await (await kefu.get(`/settings/sku-mappings?shop=${encodeURIComponent(stack.shopCode)}&show=unmapped`)).text();
    expect(list).toContain('data-testid="goods-pull-result"');
    expect(list).toContain('data-testid="mapping-row"');
  });
});
