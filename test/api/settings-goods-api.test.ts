/**
 * 货品 and 货品对应 through /api/v1, on the real Temporal server and the sandbox platform: an order for an item the
 * seller listed but never set up waits with 货品未匹配; goods pulled from the shop and mapped release it at once, and it
 * is approved and shipped as the SKU it was mapped to; the next order of that item matches by itself. A bulk upsert
 * or a CSV/XLSX import with one bad row writes nothing and names the row; an export imports back unchanged; only
 * admins change goods.
 */
import { PassThrough } from 'node:stream';
import { createApp } from '../../api/app';
import type { AppDeps } from '../../api/env';
import { writeGoodsXlsx } from '../../api/settings/goods-file';
import { goodsQuery } from '../../api/settings/goods-list';
import { importGoodsFile } from '../../api/settings/goods-import';
import { AuditEvent, BundleComponent, OrderLine, Sku } from '../../db/entities';
import { orderWorkflowId } from '../../domain/order-draft';
import type { SandboxTrade } from '../../integrations/sandbox/sandbox-state';
import { orderDriver } from '../helpers/order-driver';
import { orderSteps } from '../helpers/order-steps';
import { actors, startStack, type Stack } from '../helpers/stack';
import { apiClient, createApiToken, type ApiClient } from './api-client';

const deps = {} as AppDeps;
const app = createApp(deps);
let stack: Stack;
let admin: ApiClient;
let reviewer: ApiClient;
let kefu: ApiClient;

beforeAll(async () => {
  stack = await startStack({ seed: 131 });
  Object.assign(deps, {
    db: stack.db,
    temporal: stack.client,
    config: { taskQueue: stack.taskQueue, baseUrl: 'http://127.0.0.1:3000', secureCookies: false, sessionHours: 12, temporalUiUrl: 'http://127.0.0.1:8233' },
  } satisfies AppDeps);
  admin = apiClient(app, await createApiToken(stack.db, 'admin'));
  reviewer = apiClient(app, await createApiToken(stack.db, 'shendan'));
  kefu = apiClient(app, await createApiToken(stack.db, 'kefu'));
});
afterAll(() => stack?.close());

/** A paid trade for the given outer id, to a region the couriers serve, placed a minute ago so the next pull sees it. */
function tradeFor(outerSkuId: string): SandboxTrade {
  for (let i = 0; i < 200; i++) {
    const [trade] = stack.sandbox.generateTrades(1, { from: new Date(Date.now() - 90_000), to: new Date(Date.now() - 61_000), outerSkuIds: [outerSkuId] });
    if (trade && trade.status === 'WAIT_SELLER_SEND_GOODS' && !/新疆|西藏|内蒙古/.test(trade.receiver_state)) return trade;
  }
  throw new Error('no plain trade in 200 tries');
}

describe('goods pulled from the shop and mapped', () => {
  it('release an order waiting with 货品未匹配, which then approves and ships as the mapped SKU; the next one matches at once', async () => {
    const steps = orderSteps(stack);
    const driver = orderDriver(stack);
    // The seller lists a new T-shirt colour on Taobao with an outer id Guanjia has never heard of.
    const item = stack.sandbox.listItem({ title: '纯棉圆领短袖T恤 新色', outerId: 'TX-NEW', priceFen: 6900, skus: [{ outerId: 'TXN-M-GRN', props: '尺码:M;颜色:绿' }] });
    const skuId = item.skus!.sku[0]!.sku_id;
    const trade = tradeFor('TXN-M-GRN');
    expect(trade.orders.order[0]).toMatchObject({ num_iid: item.num_iid, sku_id: skuId, outer_sku_id: 'TXN-M-GRN' });
    await steps.pull();
    const id = orderWorkflowId(stack.shopCode, trade.tid);
    const waiting = await steps.waitForStatus(id, ['review']);
    expect(waiting.reviewReasons).toContain('货品未匹配: TXN-M-GRN');

    // Pulling goods shows the platform SKU, not mapped yet.
    expect((await kefu.post('/api/v1/settings/goods-pull', { shopCode: stack.shopCode })).status).toBe(403);
    const pulled = await admin.post<{ ok: boolean; seen: number }>('/api/v1/settings/goods-pull', { shopCode: stack.shopCode });
    expect(pulled).toMatchObject({ status: 200, body: { ok: true } });
    expect(pulled.body.seen).toBeGreaterThanOrEqual(20);
    // The pull ran in the background as goods-pull:<shop>; its outcome can be read again.
    const status = await kefu.get<{ stage: string; running: boolean; seen: number }>(`/api/v1/settings/goods-pull/${stack.shopCode}`);
    expect(status).toMatchObject({ status: 200, body: { stage: 'done', running: false, seen: pulled.body.seen } });
    const unmapped = await kefu.get<{ items: Array<{ numIid: string; skuId: string; outerId: string; skuCode: string }> }>(`/api/v1/settings/sku-mappings?shop=${stack.shopCode}&show=unmapped&size=200`);
    expect(unmapped.body.items).toContainEqual(expect.objectContaining({ numIid: item.num_iid, skuId, outerId: 'TXN-M-GRN', skuCode: '' }));

    // A reviewer maps it to the SKU the warehouse really ships (customer service may not).
    const body = { shopCode: stack.shopCode, numIid: item.num_iid, skuId, outerId: 'TXN-M-GRN', skuCode: 'TX-05' };
    expect((await kefu.post('/api/v1/settings/sku-mappings', body)).status).toBe(403);
    const mapped = await reviewer.post<{ ok: boolean; rechecked: string[] }>('/api/v1/settings/sku-mappings', body);
    expect(mapped).toMatchObject({ status: 200, body: { ok: true, rechecked: [id] } });
    const released = await driver.waitForRow(id, (o) => !o.reviewReasons.includes('货品未匹配'), 'no longer 货品未匹配');
    expect(released.status).toBe('review');
    const lines = await stack.db.em().fork().find(OrderLine, { orderId: id });
    expect(lines.map((l) => l.skuCode)).toEqual(['TX-05']);
    const audit = await stack.db.em().fork().find(AuditEvent, { entityType: 'order', entityId: id, action: 'sku_mapped' });
    expect(audit).toEqual([expect.objectContaining({ actor: 'shendan' })]);

    expect(await steps.approve(id)).toMatchObject({ ok: true });
    await steps.markPrinted(id);
    expect(await driver.ship(id)).toMatchObject({ ok: true, status: 'shipped' });

    // The next order of the same platform SKU ships as TX-05 without anyone looking.
    const next = tradeFor('TXN-M-GRN');
    await steps.pull();
    const nextId = orderWorkflowId(stack.shopCode, next.tid);
    const row = await steps.waitForStatus(nextId, ['review']);
    expect(row.reviewReasons).not.toContain('货品未匹配');
    expect((await stack.db.em().fork().find(OrderLine, { orderId: nextId })).map((l) => l.skuCode)).toEqual(['TX-05']);
  });
});

describe('goods written by integrations and files', () => {
  it('refuses a bulk upsert with one bad item, naming it, and writes none; a good one creates a bundle; non-admins get 403', async () => {
    const items = [
      { code: 'API-001', name: '接口货品一', barcode: '6909000000011', priceFen: 1000 },
      { code: 'API-002', name: '', priceFen: 1000 },
      { code: 'API-KIT', name: '接口组合', components: [{ code: 'API-001', qty: 2 }, { code: 'NOPE', qty: 1 }] },
    ];
    const bad = await admin.post<{ error: { code: string }; errors: Array<{ row: number; message: string }> }>('/api/v1/settings/skus/bulk', { items });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      expect.objectContaining({ row: 2, message: '货品名称不能为空' }),
      expect.objectContaining({ row: 3, message: '组合明细 NOPE 不是已有的商家编码' }),
    ]);
    expect(await stack.db.em().fork().count(Sku, { code: { $in: ['API-001', 'API-002', 'API-KIT'] } })).toBe(0);

    expect((await reviewer.post('/api/v1/settings/skus/bulk', { items: [items[0]] })).status).toBe(403);
    const good = await admin.post<{ created: string[] }>('/api/v1/settings/skus/bulk', { items: [items[0], { ...items[1], name: '接口货品二' }, { ...items[2], components: [{ code: 'API-001', qty: 2 }] }] });
    expect(good).toMatchObject({ status: 200, body: { created: ['API-001', 'API-002', 'API-KIT'] } });
    const kit = await kefu.get<{ isBundle: boolean; components: unknown[] }>('/api/v1/settings/skus/API-KIT');
    expect(kit.body).toMatchObject({ isBundle: true, components: [{ code: 'API-001', qty: 2 }] });
    // A code that is taken is refused for deletion while a bundle holds it; deactivating works.
    const del = await admin.raw('/api/v1/settings/skus/API-001', { method: 'DELETE' });
    expect(del.status).toBe(409);
    expect((await admin.post('/api/v1/settings/skus/API-001/active', { active: false })).status).toBe(200);
    expect((await stack.db.em().fork().findOneOrFail(Sku, { code: 'API-001' })).active).toBe(false);
  });

  it('imports nothing from a CSV or XLSX with a bad row and names the row; an export imports back unchanged', async () => {
    const em = () => stack.db.em().fork();
    const before = await em().count(Sku, {});
    const csv = ['商家编码,条码,货品名称,规格,成本价,售价,组合明细', 'CSV-1,6909000000101,导入一,,1.00,2.50,', 'CSV-2,,导入二,,abc,3.00,', 'CSV-3,,导入三,,1.00,3.00,CSV-1*2;XX*1'].join('\r\n');
    const refused = await importGoodsFile(em(), actors.admin, new File([`\uFEFF${csv}`], 'goods.csv', { type: 'text/csv' }));
    expect(refused).toEqual({ ok: false, errors: [
      expect.objectContaining({ row: 3, message: '成本价“abc”不是有效金额（元，最多两位小数）' }),
      expect.objectContaining({ row: 4, message: '组合明细 XX 不是已有的商家编码' }),
    ] });
    expect(await em().count(Sku, {})).toBe(before);

    // The whole catalogue exported as XLSX, one price changed and one row broken: nothing changes.
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (b: Buffer) => chunks.push(b));
    await writeGoodsXlsx(em(), goodsQuery.parse({ active: '' }), 'zh-CN', out);
    const ExcelJS = (await import('exceljs')).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(new Uint8Array(Buffer.concat(chunks)).buffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.rowCount).toBe(before + 1);
    const file = async () => new File([new Uint8Array(await book.xlsx.writeBuffer())], 'goods.xlsx');
    const unchanged = await importGoodsFile(em(), actors.admin, await file());
    expect(unchanged).toEqual({ ok: true, created: [], updated: [] });
    sheet.getRow(2).getCell(8).value = '99.90';
    sheet.getRow(3).getCell(3).value = '';
    const broken = await importGoodsFile(em(), actors.admin, await file());
    expect(broken).toEqual({ ok: false, errors: [expect.objectContaining({ row: 3, message: '货品名称不能为空' })] });
    const code = String(sheet.getRow(2).getCell(1).value);
    expect((await em().findOneOrFail(Sku, { code })).priceFen).not.toBe(9990);
    sheet.getRow(3).getCell(3).value = 'fixed name';
    const fixed = await importGoodsFile(em(), actors.admin, await file());
    expect(fixed).toMatchObject({ ok: true, created: [] });
    expect((await em().findOneOrFail(Sku, { code })).priceFen).toBe(9990);
    expect(await em().count(BundleComponent, {})).toBeGreaterThan(0);
  });
});
