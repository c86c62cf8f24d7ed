/**
 * /api/v1 for stock: levels and their export, a SKU's ledger, and a transfer driven as a script would — created once
 * per actionId, approved out and in through the workflow, refused with 409 on a stale version and 403 for a role
 * that may only look — on the real Temporal server.
 */
import { createApp } from '../../api/app';
import type { AppDeps } from '../../api/env';
import { Sku } from '../../db/entities';
import { eventually, startStack, type Stack } from '../helpers/stack';
import { apiClient, createApiToken, type ApiClient } from './api-client';
import { webDeps } from '../helpers/web-deps';

const deps = {} as AppDeps;
const app = createApp(deps);
let stack: Stack;
let cangku: ApiClient;
let kefu: ApiClient;
let skuCode: string;
let seq = 0;
const actionId = () => `57a9c0de-0000-4000-8000-${String(++seq).padStart(12, '0')}`;

beforeAll(async () => {
  stack = await startStack({ seed: 97 });
  Object.assign(deps, webDeps(stack));
  cangku = apiClient(app, await createApiToken(stack.db, 'cangku'));
  kefu = apiClient(app, await createApiToken(stack.db, 'kefu'));
  skuCode = (await stack.db.em().find(Sku, { isBundle: false }, { orderBy: { code: 'desc' }, limit: 1 }))[0]!.code;
});
afterAll(() => stack?.close());

type Level = { skuCode: string; warehouseCode: string; onHand: number; available: number; inTransit: number };
const levelOf = async (warehouseCode: string) =>
  (await kefu.get<{ items: Level[] }>(`/api/v1/stock/levels?q=${encodeURIComponent(skuCode)}&warehouse=${warehouseCode}&show=all`)).body.items.find((l) => l.skuCode === skuCode);

describe('stock through the API', () => {
  it('creates a transfer once per actionId, takes it out and in through the workflow, and shows it in transit meanwhile', async () => {
    const before = (await levelOf('MAIN'))!;
    const body = { actionId: actionId(), fromWarehouseCode: 'MAIN', toWarehouseCode: 'RET', lines: [{ code: skuCode, qty: 4 }], memo: 'API 调拨' };
    const created = await cangku.post<{ transferNo: string; repeated: boolean }>('/api/v1/stock/transfers', body);
    expect(created).toMatchObject({ status: 201, body: { repeated: false } });
    const again = await cangku.post<{ transferNo: string; repeated: boolean }>('/api/v1/stock/transfers', body);
    expect(again.body).toEqual({ transferNo: created.body.transferNo, repeated: true });
    const no = created.body.transferNo;

    expect((await kefu.post(`/api/v1/stock/transfers/${no}/outbound`, { actionId: actionId(), expectedVersion: 1 })).status).toBe(403);
    const stale = await cangku.post<{ error: { code: string; message: string } }>(`/api/v1/stock/transfers/${no}/outbound`, { actionId: actionId(), expectedVersion: 99 });
    expect(stale).toMatchObject({ status: 409, body: { error: { code: 'refused', message: '调拨单已被他人修改，请刷新后重试' } } });
    const out = await cangku.post<{ ok: boolean; stage: string; version: number }>(`/api/v1/stock/transfers/${no}/outbound`, { actionId: actionId(), expectedVersion: 1 });
    expect(out).toMatchObject({ status: 200, body: { ok: true, stage: 'in_transit' } });
    expect(await levelOf('MAIN')).toMatchObject({ onHand: before.onHand - 4 });
    expect(await levelOf('RET')).toMatchObject({ inTransit: 4 });

    const inbound = await cangku.post<{ ok: boolean; stage: string }>(`/api/v1/stock/transfers/${no}/inbound`, { actionId: actionId(), expectedVersion: out.body.version, received: [{ skuCode, qty: 4 }] });
    expect(inbound).toMatchObject({ status: 200, body: { ok: true, stage: 'done' } });
    expect(await levelOf('RET')).toMatchObject({ inTransit: 0 });
    const transfer = await kefu.get<{ stage: string; lines: Array<{ receivedQty: number }> }>(`/api/v1/stock/transfers/${no}`);
    expect(transfer.body).toMatchObject({ stage: 'done', lines: [{ receivedQty: 4 }] });

    const ledger = await kefu.get<{ items: Array<{ kind: string; refId: string; onHandDelta: number }> }>(`/api/v1/stock/ledger?sku=${encodeURIComponent(skuCode)}`);
    expect(ledger.body.items.slice(0, 2).map((r) => `${r.kind}:${r.refId}:${r.onHandDelta}`)).toEqual([`transfer_in:${no}:4`, `transfer_out:${no}:-4`]);
  });

  it('refuses bad input with 400 and changes nothing, and exports levels as CSV', async () => {
    const bad = await cangku.post<{ error: { code: string; message: string } }>('/api/v1/stock/transfers', { actionId: actionId(), fromWarehouseCode: 'MAIN', toWarehouseCode: 'MAIN', lines: [{ code: skuCode, qty: 1 }] });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'bad_request', message: '调出仓库和调入仓库不能相同' } } });
    expect((await kefu.get<{ total: number }>('/api/v1/stock/transfers')).body.total).toBe(1);
    const csv = await kefu.raw(`/api/v1/stock/levels/export?q=${encodeURIComponent(skuCode)}&format=csv`);
    expect(csv.status).toBe(200);
    expect((await csv.text()).split('\r\n')[1]).toMatch(new RegExp(`^${skuCode},`));
  });

  it('creates a stock-in once per actionId and approves it through its workflow, and lists today\'s stock-outs', async () => {
    const body = { actionId: actionId(), direction: 'in', reason: 'purchase', warehouseCode: 'MAIN', lines: [{ code: skuCode, qty: 7 }] };
    const made = await cangku.post<{ no: string; repeated: boolean }>('/api/v1/stock/documents', body);
    expect(made).toMatchObject({ status: 201, body: { repeated: false } });
    expect((await cangku.post<{ no: string }>('/api/v1/stock/documents', body)).body.no).toBe(made.body.no);
    const before = (await levelOf('MAIN'))!.onHand;
    const doc = await kefu.get<{ version: number; stage: string }>(`/api/v1/stock/documents/${made.body.no}`);
    expect(doc.body.stage).toBe('draft');
    expect((await kefu.post(`/api/v1/stock/documents/${made.body.no}/approve`, { actionId: actionId(), expectedVersion: 1 })).status).toBe(403);
    const approved = await cangku.post<{ ok: boolean; stage: string }>(`/api/v1/stock/documents/${made.body.no}/approve`, { actionId: actionId(), expectedVersion: 1 });
    expect(approved).toMatchObject({ status: 200, body: { ok: true, stage: 'approved' } });
    expect((await levelOf('MAIN'))!.onHand).toBe(before + 7);
    expect((await kefu.get<{ items: unknown[] }>('/api/v1/stock/outages')).status).toBe(200);
    const docs = await kefu.get<{ total: number; items: Array<{ docNo: string; stage: string }> }>('/api/v1/stock/documents');
    expect(docs.body).toMatchObject({ total: 1, items: [{ docNo: made.body.no, stage: 'approved' }] });
  });

  it('prints a transfer\'s outbound note and serves its PDF, as the page does', async () => {
    const created = await cangku.post<{ transferNo: string }>('/api/v1/stock/transfers', { actionId: actionId(), fromWarehouseCode: 'MAIN', toWarehouseCode: 'RET', lines: [{ code: skuCode, qty: 1 }] });
    const no = created.body.transferNo;
    expect((await kefu.raw(`/api/v1/stock/transfers/${no}/note.pdf`)).status).toBe(404);
    expect((await kefu.post(`/api/v1/stock/transfers/${no}/print`, { actionId: actionId() })).status).toBe(403);
    expect(await cangku.post<{ ok: boolean }>(`/api/v1/stock/transfers/${no}/print`, { actionId: actionId() })).toMatchObject({ status: 200, body: { ok: true } });
    const pdf = await kefu.raw(`/api/v1/stock/transfers/${no}/note.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('lists count sheets and cancels one with a reason, as the page does', async () => {
    const made = await cangku.post<{ no: string }>('/api/v1/stock/stocktakes', { actionId: actionId(), warehouseCode: 'MAIN' });
    expect(made.status).toBe(201);
    const sheets = await kefu.get<{ total: number; items: Array<{ stocktakeNo: string; version: number }> }>('/api/v1/stock/stocktakes');
    expect(sheets.body).toMatchObject({ total: 1, items: [{ stocktakeNo: made.body.no }] });
    // The count begins once the workflow has taken the ledger watermark; the version to send is the one after it.
    const sheet = await eventually(async () => {
      const r = await kefu.get<{ version: number; ledgerWatermark: number }>(`/api/v1/stock/stocktakes/${made.body.no}`);
      return r.body.ledgerWatermark > 0 ? r.body : null;
    }, 'the count to begin');
    const version = sheet.version;
    expect((await kefu.post(`/api/v1/stock/stocktakes/${made.body.no}/cancel`, { actionId: actionId(), expectedVersion: version, reason: '盘错仓' })).status).toBe(403);
    expect(await cangku.post<{ error: { message: string } }>(`/api/v1/stock/stocktakes/${made.body.no}/cancel`, { actionId: actionId(), expectedVersion: version })).toMatchObject({ status: 409, body: { error: { message: '取消请填写原因' } } });
    expect(await cangku.post(`/api/v1/stock/stocktakes/${made.body.no}/cancel`, { actionId: actionId(), expectedVersion: version, reason: '盘错仓' })).toMatchObject({ status: 200, body: { ok: true, stage: 'cancelled' } });
  });
});
