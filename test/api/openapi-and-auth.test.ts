import type { z } from 'zod';
import type { ApiErrorBody } from '../../api/api-v1/api-error';
import type { OrderDetailSchema } from '../../api/api-v1/api-schemas';
import type { OrderListSchema } from '../../api/api-v1/order-api';
import { ApiToken } from '../../db/entities';
import { seedOrders, startWebFixture, type WebFixture } from '../web/web-fixture';
import { apiClient, createApiToken, orderPath, type ApiClient } from './api-client';

let web: WebFixture;
let reviewer: ApiClient;
let warehouse: ApiClient;
let anonymous: ApiClient;

beforeAll(async () => {
  web = await startWebFixture();
  reviewer = apiClient(web.app, await createApiToken(web.db, 'shendan'));
  warehouse = apiClient(web.app, await createApiToken(web.db, 'cangku'));
  anonymous = apiClient(web.app, null);
  await seedOrders(web.db, [
    { platformOrderNo: '4200000000000000001', province: '湖南省', paidFen: 99_900 },
    { platformOrderNo: '4200000000000000002', status: 'printed', waybillNo: 'ZT0000000001' },
    { platformOrderNo: '4200000000000000003', shopCode: 'hongyun' },
  ]);
});
afterAll(() => web.close());

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[]; 'x-permission'?: string }>>;
  components: { securitySchemes: Record<string, { type: string; scheme: string }> };
  security: Array<Record<string, unknown>>;
}

describe('the OpenAPI document', () => {
  it('is served without a token and describes every endpoint with its bearer security and errors', async () => {
    const res = await anonymous.get<OpenApiDocument>('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    const expected: Array<[string, string]> = [
      ['post', '/api/v1/imports'],
      ['get', '/api/v1/orders'],
      ['get', '/api/v1/orders/{id}'],
      ['post', '/api/v1/orders/{id}/approve'],
      ['post', '/api/v1/review/approve'],
      ['post', '/api/v1/orders/{id}/reserve-waybill'],
      ['post', '/api/v1/print-batches'],
      ['get', '/api/v1/print-batches/{id}'],
      ['get', '/api/v1/print-batches/{id}/pdf'],
      ['post', '/api/v1/orders/{id}/ship'],
      ['get', '/api/v1/waybills/{waybillNo}'],
      ['get', '/api/v1/sync'],
      ['post', '/api/v1/orders/{id}/sync/retry'],
      ['post', '/api/v1/orders/{id}/sync/mark-synced'],
    ];
    for (const [method, path] of expected) {
      const op = doc.paths[path]?.[method];
      expect({ path, method, defined: !!op }).toEqual({ path, method, defined: true });
      const statuses = Object.keys(op!.responses);
      expect(statuses.some((s) => /^2\d\d$/.test(s))).toBe(true);
      expect(statuses).toEqual(expect.arrayContaining(['401', '403', '500']));
      expect(op!['x-permission']).toBeDefined();
    }
    expect(doc.paths['/api/v1/print-batches']!.post!.responses['201']).toBeDefined();
    expect(doc.paths['/api/v1/orders/{id}/sync/mark-synced']!.post!['x-permission']).toBe('sync.markSynced');
    expect(JSON.stringify(doc)).not.toMatch(/gj_[A-Za-z0-9_-]{20,}/);
  });
});

describe('signing in with a token', () => {
  it('answers 401 in the one error shape without a token or with an unknown or revoked one', async () => {
    const none = await anonymous.get<ApiErrorBody>('/api/v1/orders');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(none.body.error).toEqual({ code: 'unauthorized', message: '需要有效的 API 令牌（Authorization: Bearer gj_…）' });

    const forged = await apiClient(web.app, `gj_${'x'.repeat(43)}`).get<ApiErrorBody>('/api/v1/orders');
    expect(forged.status).toBe(401);
    const token = await createApiToken(web.db, 'kefu');
    await web.db.em().nativeUpdate(ApiToken, { tokenHash: { $ne: '' }, name: 'test kefu' }, { revokedAt: new Date() });
    expect((await apiClient(web.app, token).get('/api/v1/orders')).status).toBe(401);
  });

  it('speaks English when the caller asks for it', async () => {
    const res = await anonymous.get<ApiErrorBody>('/api/v1/orders', { 'accept-language': 'en-US,en;q=0.9,zh-CN;q=0.5' });
    expect(res.body.error.message).toBe('A valid API token is required (Authorization: Bearer gj_…)');
    const forbidden = await warehouse.post<ApiErrorBody>(orderPath('order:zhiyuan:4200000000000000001', '/approve'), {}, { 'accept-language': 'en' });
    expect(forbidden.body.error.message).toBe('Not permitted: this needs one of these roles: Reviewer, Admin');
  });

  it('refuses approval to a warehouse token with the roles that may, before reading the request', async () => {
    /** A request body that records whether anyone read it; it is not even valid JSON. */
    const watchedBody = () => {
      const bytes = new TextEncoder().encode('{"actionId": "7d0a6c1e-0000-4000-8000-000000000001", "expectedVersion": ');
      const watch = { read: false };
      const stream = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            watch.read = true;
            controller.enqueue(bytes);
            controller.close();
          },
        },
        { highWaterMark: 0 },
      );
      // A declared length lets the body limit judge the size without reading, as it does for a real client.
      const init = { method: 'POST', body: stream, duplex: 'half', headers: { 'content-type': 'application/json', 'content-length': String(bytes.length) } };
      return { watch, init: init as RequestInit };
    };
    const path = orderPath('order:zhiyuan:4200000000000000001', '/approve');

    const refused = watchedBody();
    const res = await warehouse.raw(path, refused.init);
    expect(res.status).toBe(403);
    expect(((await res.json()) as ApiErrorBody).error).toEqual({ code: 'forbidden', message: '没有权限：此操作需要以下角色之一：审单、管理员' });
    expect(refused.watch.read).toBe(false);

    // The same body sent by a reviewer is read, and refused for what it is: the watch above can see a read.
    const allowed = watchedBody();
    const bad = await reviewer.raw(path, allowed.init);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ApiErrorBody).error.code).toBe('bad_request');
    expect(allowed.watch.read).toBe(true);
  });
});

describe('bad requests', () => {
  it('answers bad input with 400 and the field at fault, and changes nothing', async () => {
    const res = await reviewer.post<ApiErrorBody>(orderPath('order:zhiyuan:4200000000000000001', '/approve'), { actionId: 'x', expectedVersion: 1 });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'bad_request', message: 'actionId 应为 8–64 位字母、数字或“-”（例如 UUID），未做任何更改' });
    const noVersion = await reviewer.post<ApiErrorBody>(orderPath('order:zhiyuan:4200000000000000001', '/approve'), { actionId: '7d0a6c1e-0000-4000-8000-000000000002' });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error.message).toContain('expectedVersion');
    const unknownCourier = await reviewer.post<ApiErrorBody>(orderPath('order:zhiyuan:4200000000000000001', '/approve'), {
      actionId: '7d0a6c1e-0000-4000-8000-000000000003',
      expectedVersion: 1,
      courierCode: 'NOPE',
    });
    expect(unknownCourier.body.error).toEqual({ code: 'bad_request', message: '快递 NOPE 不存在或已停用' });
  });

  it('names a body that is not JSON, and a body of the wrong type', async () => {
    const broken = await reviewer.raw(orderPath('order:zhiyuan:4200000000000000001', '/approve'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"actionId": ',
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as ApiErrorBody).error.message).toBe('请求体不是有效的 JSON，未做任何更改');
    const form = await reviewer.raw(orderPath('order:zhiyuan:4200000000000000001', '/approve'), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'approve please',
    });
    expect(form.status).toBe(415);
    expect(((await form.json()) as ApiErrorBody).error.code).toBe('unsupported_media_type');
  });

  it('answers an unknown endpoint or order with 404 in the same shape', async () => {
    const path = await reviewer.get<ApiErrorBody>('/api/v1/nothing-here');
    expect(path.status).toBe(404);
    expect(path.body.error).toEqual({ code: 'not_found', message: '没有这个接口：GET /api/v1/nothing-here' });
    const order = await reviewer.get<ApiErrorBody>(orderPath('order:zhiyuan:1'));
    expect(order.status).toBe(404);
    expect(order.body.error).toEqual({ code: 'not_found', message: '订单 order:zhiyuan:1 不存在' });
  });
});

describe('reading orders', () => {
  it('filters like the order search page and reports a bad filter', async () => {
    const list = await warehouse.get<z.infer<typeof OrderListSchema>>('/api/v1/orders?shop=zhiyuan&province=湖南&sort=amount&dir=desc');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);
    const [order] = list.body.orders;
    expect(order).toMatchObject({ platformOrderNo: '4200000000000000001', paidFen: 99_900, status: 'review', receiver: { province: '湖南省' } });
    expect(order!.paidAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(order!.lines).toEqual([expect.objectContaining({ skuCode: 'CUP-BLUE', barcode: '6901', qty: 1, priceFen: 1000 })]);

    const byWaybill = await warehouse.get<z.infer<typeof OrderListSchema>>('/api/v1/orders?waybill=ZT0000000001&status=printed');
    expect(byWaybill.body.orders.map((o) => o.platformOrderNo)).toEqual(['4200000000000000002']);
    expect((await warehouse.get<z.infer<typeof OrderListSchema>>('/api/v1/orders?q=42000000000000000')).body.total).toBe(3);

    const bad = await warehouse.get<ApiErrorBody>('/api/v1/orders?size=7');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toEqual({ code: 'bad_request', message: '每页条数只能是 50、100 或 200' });
    expect((await warehouse.get<ApiErrorBody>('/api/v1/orders?from=2026/11/01')).body.error.message).toBe('日期格式应为 yyyy-MM-dd');
  });

  it('shows one order with its lines and timeline, saying when the workflow history is unavailable', async () => {
    const res = await warehouse.get<z.infer<typeof OrderDetailSchema>>(orderPath('order:hongyun:4200000000000000003'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'order:hongyun:4200000000000000003', shopCode: 'hongyun', version: 1 });
    expect(res.body.lines).toHaveLength(1);
    // Seeded straight into the read model, so there is no workflow behind it: the audit rows alone, and why.
    expect(res.body.timeline).toEqual([]);
    expect(res.body.historyError).not.toBe('');
  });
});
