import { randomUUID } from 'node:crypto';
import iconv from 'iconv-lite';
import type { Hono } from 'hono';
import type { z } from 'zod';
import { createApp } from '../../api/app';
import type { ApiErrorBody } from '../../api/api-v1/api-error';
import type { ImportResultSchema } from '../../api/api-v1/api-schemas';
import { loadConfig } from '../../api/config';
import type { AppEnv } from '../../api/env';
import { ImportBatch, ImportBatchOrder, Order, PlatformOrder } from '../../db/entities';
import { DEMO_CATALOGUE } from '../../db/seeders/demo-catalogue';
import { itemReport, itemRow, orderReport, orderRow } from '../../integrations/csv/fixtures/taobao-report';
import { eventually, startStack, type Stack } from '../helpers/stack';
import { apiClient, createApiToken, type ApiClient } from './api-client';

type ImportResult = z.infer<typeof ImportResultSchema>;

let stack: Stack;
let app: Hono<AppEnv>;
let customerService: ApiClient;

beforeAll(async () => {
  stack = await startStack();
  app = createApp({ db: stack.db, temporal: stack.client, config: { ...loadConfig({}).app, taskQueue: stack.taskQueue } });
  customerService = apiClient(app, await createApiToken(stack.db, 'kefu'));
});
afterAll(() => stack?.close());

const sku = DEMO_CATALOGUE[0]!;
const GOOD = '3900000000000000101';
const BAD = '3900000000000000102';

/** The seller centre's export as downloaded: GBK, one good order and one whose amount is not a number. */
function exportFiles(shopCode: string): FormData {
  const orders = orderReport([
    orderRow({ 订单编号: GOOD, 买家会员名: 'tb_导入', 买家应付货款: '59.00', 总金额: '59.00', 买家实际支付金额: '59.00', 店铺名称: shopCode }),
    orderRow({ 订单编号: BAD, 买家实际支付金额: '五十九' }),
  ]);
  const items = itemReport([
    itemRow({ 订单编号: GOOD, 标题: sku.productName, 价格: '59.00', 商家编码: sku.code }),
    itemRow({ 订单编号: BAD, 商家编码: sku.code }),
  ]);
  const form = new FormData();
  form.append('shopCode', shopCode);
  form.append('orders', new File([new Uint8Array(iconv.encode(orders, 'gbk'))], 'ExportOrderList202611.csv', { type: 'text/csv' }));
  form.append('items', new File([new Uint8Array(iconv.encode(items, 'gbk'))], 'ExportOrderDetailList202611.csv', { type: 'text/csv' }));
  return form;
}

/** Polls the import until its background submission is done, as a script would. */
async function finished(importId: number): Promise<ImportResult> {
  return eventually(async () => {
    const res = await customerService.get<ImportResult>(`/api/v1/imports/${importId}`);
    expect(res.status).toBe(200);
    return res.body.status === 'done' ? res.body : null;
  }, `import ${importId} to finish`);
}

describe('importing a Taobao order export', () => {
  it('starts the good orders in the background, reports every bad row, and starts nothing twice when the file comes again', async () => {
    const first = await customerService.postForm<ImportResult>('/api/v1/imports', exportFiles(stack.shopCode));
    expect(first.status).toBe(202);
    expect(first.headers.get('location')).toBe(`/api/v1/imports/${first.body.importId}`);
    expect(first.body).toMatchObject({ status: 'submitting', orderRows: 2, itemRows: 2, orders: 1 });
    const done = await finished(first.body.importId);
    expect(done).toMatchObject({
      shopCode: stack.shopCode,
      fileName: 'ExportOrderList202611.csv + ExportOrderDetailList202611.csv',
      orderRows: 2,
      itemRows: 2,
      orders: 1,
      submitted: 1,
      started: 1,
      signalled: 0,
      unchanged: 0,
      skipped: 0,
      lastError: '',
      previousImport: null,
    });
    expect(done.errors).toEqual([{ file: 'orders', row: 3, orderNo: BAD, reason: expect.stringContaining('五十九') as string }]);
    const order = await eventually(async () => stack.db.em().findOne(Order, { id: `order:${stack.shopCode}:${GOOD}` }), 'the imported order');
    expect(order).toMatchObject({ buyerNick: 'tb_导入', paidFen: 5900, source: expect.any(String) as string });
    // The staged copy is dropped once intake has kept the order verbatim.
    expect(await stack.db.em().count(ImportBatchOrder, { importId: first.body.importId })).toBe(0);

    const second = await customerService.postForm<ImportResult>('/api/v1/imports', exportFiles(stack.shopCode));
    expect(second.status).toBe(202);
    const again = await finished(second.body.importId);
    expect(again).toMatchObject({ started: 0, signalled: 0, unchanged: 1 });
    expect(again.errors).toHaveLength(1);
    expect(again.previousImport).toMatchObject({ importId: first.body.importId, createdBy: 'kefu' });
    expect(await stack.db.em().count(ImportBatch, { shopCode: stack.shopCode })).toBe(2);
    expect(await stack.db.em().count(Order, { shopCode: stack.shopCode, platformOrderNo: { $in: [GOOD, BAD] } })).toBe(1);
  });

  it('answers the same upload sent twice (one Idempotency-Key) with the one import it started', async () => {
    const key = randomUUID();
    const first = await customerService.postForm<ImportResult>('/api/v1/imports', exportFiles(stack.shopCode), { 'idempotency-key': key });
    const second = await customerService.postForm<ImportResult>('/api/v1/imports', exportFiles(stack.shopCode), { 'idempotency-key': key });
    expect(second.status).toBe(202);
    expect(second.body.importId).toBe(first.body.importId);
    await finished(first.body.importId);
    expect(await stack.db.em().count(ImportBatch, { createdBy: 'kefu', actionId: key })).toBe(1);
  });

  it('submits a large export a chunk at a time and counts every order once', async () => {
    const nos = Array.from({ length: 450 }, (_, i) => String(3900000000000100000n + BigInt(i)));
    const form = new FormData();
    form.append('shopCode', stack.shopCode);
    const orders = orderReport(nos.map((no) => orderRow({ 订单编号: no, 订单状态: '交易成功', 店铺名称: stack.shopCode })));
    const items = itemReport(nos.map((no) => itemRow({ 订单编号: no, 标题: sku.productName, 价格: '59.00', 商家编码: sku.code })));
    form.append('orders', new File([orders], 'big.csv', { type: 'text/csv' }));
    form.append('items', new File([items], 'big-items.csv', { type: 'text/csv' }));
    const res = await customerService.postForm<ImportResult>('/api/v1/imports', form);
    expect(res.status).toBe(202);
    const done = await finished(res.body.importId);
    // Finished trades are kept as platform orders but not submitted: 450 read, 450 counted, none twice.
    expect(done).toMatchObject({ orders: 450, submitted: 450, started: 0, skipped: 450, errors: [] });
    expect(await stack.db.em().count(PlatformOrder, { shopCode: stack.shopCode, platformOrderNo: { $in: nos } })).toBe(450);
  });

  it('closes an import whose web process stopped while reading it, submitting nothing half-read', async () => {
    // What a web process killed mid-read leaves behind: a batch still "reading", with part of its orders staged.
    const em = stack.db.em();
    const batch = em.create(ImportBatch, {
      shopCode: stack.shopCode, fileName: 'ExportOrderList-killed.csv', fileHash: 'f'.repeat(64), createdBy: 'kefu',
      actionId: randomUUID(), createdAt: new Date(Date.now() - 10 * 60_000), status: 'reading',
    });
    await em.flush();
    await em.insert(ImportBatchOrder, { importId: batch.id, seq: 0, draft: { orderId: 'x' } as never, raw: '{}' });

    const res = await customerService.get<ImportResult>(`/api/v1/imports/${batch.id}`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('done');
    expect(res.body.errors).toHaveLength(1);
    expect(JSON.stringify(res.body)).toContain('读取中断');
    expect(await stack.db.em().count(ImportBatchOrder, { importId: batch.id })).toBe(0);

    // A batch being read right now is left alone.
    const reading = em.create(ImportBatch, {
      shopCode: stack.shopCode, fileName: 'ExportOrderList-now.csv', fileHash: 'e'.repeat(64), createdBy: 'kefu',
      actionId: randomUUID(), createdAt: new Date(), status: 'reading',
    });
    await em.flush();
    expect((await customerService.get<ImportResult>(`/api/v1/imports/${reading.id}`)).body.status).toBe('reading');
    await stack.db.em().nativeDelete(ImportBatch, { id: reading.id });
  });

  it('asks for a known shop and the order file, importing nothing', async () => {
    const noShop = exportFiles('nope');
    const res = await customerService.postForm<ApiErrorBody>('/api/v1/imports', noShop);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'bad_request', message: '请选择店铺' });

    const noOrders = new FormData();
    noOrders.append('shopCode', stack.shopCode);
    const missing = await customerService.postForm<ApiErrorBody>('/api/v1/imports', noOrders, { 'accept-language': 'en' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('bad_request');
    expect(missing.body.error.message).toBe('Choose the order report file');
    expect(await stack.db.em().count(ImportBatch, { shopCode: 'nope' })).toBe(0);
  });

  it('is kept to the roles that may import', async () => {
    const warehouse = apiClient(app, await createApiToken(stack.db, 'cangku'));
    const res = await warehouse.postForm<ApiErrorBody>('/api/v1/imports', exportFiles(stack.shopCode));
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe('没有权限：此操作需要以下角色之一：客服、审单、管理员');
  });
});
