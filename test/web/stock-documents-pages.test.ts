/**
 * 入库/出库, 盘点 and 今日断货 through the web app on the real Temporal server: a stock-out from scanned barcodes
 * approved by the warehouse, a stock-out that would go below zero refused with the figures, a count sheet counted in
 * two rounds with a variance a second person approves, and today's stock-outs listing what ran out.
 */
import { createApp } from '../../api/app';
import type { AppDeps } from '../../api/env';
import { Sku, StockLevel } from '../../db/entities';
import { DEMO_PASSWORD } from '../../db/seeders/demo-data';
import { startStack, type Stack } from '../helpers/stack';
import { loginAgent, type Agent } from './web-fixture';
import { webDeps } from '../helpers/web-deps';

const deps = {} as AppDeps;
const app = createApp(deps);
const request = async (path: string, init?: RequestInit) => app.request(path, init);

let stack: Stack;
let cangku: Agent;
let admin: Agent;
let kefu: Agent;
let skus: Sku[];
let seq = 0;
const actionId = () => `5d0c0de0-0000-4000-8000-${String(++seq).padStart(12, '0')}`;

beforeAll(async () => {
  stack = await startStack({ realPasswords: true, seed: 103 });
  Object.assign(deps, webDeps(stack));
  [cangku, admin, kefu] = await Promise.all([loginAgent(request, 'cangku', DEMO_PASSWORD), loginAgent(request, 'admin', DEMO_PASSWORD), loginAgent(request, 'kefu', DEMO_PASSWORD)]);
  skus = await stack.db.em().find(Sku, { isBundle: false }, { orderBy: { code: 'asc' } });
});
afterAll(() => stack?.close());

const onHand = async (skuCode: string) => (await stack.db.em().fork().findOne(StockLevel, { skuCode, warehouseCode: 'MAIN', quality: 'good' }))?.onHand ?? 0;
const messageOf = (html: string) => /data-testid="decision-message">([^<]+)</.exec(html)?.[1];
const chip = (html: string, id: string) => new RegExp(`data-testid="${id}">([^<]+)<`).exec(html)?.[1];
const versionOf = (html: string, form: string) => new RegExp(`data-testid="${form}"[\\s\\S]*?name="expectedVersion" value="(\\d+)"`).exec(html)?.[1] ?? '';
const noFrom = (res: Response, path: string) => decodeURIComponent(new RegExp(`/stock/${path}/([^?]+)`).exec(res.headers.get('location') ?? '')?.[1] ?? '');

describe('入库/出库 on the pages', () => {
  it('takes scanned units out on approval, refuses one that would go below zero, and lists the SKU under 今日断货 once it runs out', async () => {
    const sku = skus[0]!;
    const before = await onHand(sku.code);
    const created = await cangku.post('/stock/documents', { actionId: actionId(), direction: 'out', reason: 'sample', warehouse: 'MAIN', quality: 'good', lines: `${sku.barcode}\n${sku.barcode}` });
    expect(created.status).toBe(303);
    const ck = noFrom(created, 'documents');
    expect(ck).toMatch(/^CK\d{8}-\d{4}$/);
    let page = await (await cangku.get(`/stock/documents/${ck}`)).text();
    expect(chip(page, 'doc-stage')).toBe('待审核');
    expect((await kefu.post(`/stock/documents/${ck}/approve`, { actionId: actionId(), expectedVersion: versionOf(page, 'doc-approve-form') })).status).toBe(403);
    page = await (await cangku.post(`/stock/documents/${ck}/approve`, { actionId: actionId(), expectedVersion: versionOf(page, 'doc-approve-form') })).text();
    expect(messageOf(page)).toBe('已审核出库');
    expect(await onHand(sku.code)).toBe(before - 2);

    const all = await cangku.post('/stock/documents', { actionId: actionId(), direction: 'out', reason: 'loss', warehouse: 'MAIN', quality: 'good', lines: `${sku.code} ${before - 2}` });
    const tooMuch = await cangku.post('/stock/documents', { actionId: actionId(), direction: 'out', reason: 'loss', warehouse: 'MAIN', quality: 'good', lines: `${sku.code} 1` });
    let allPage = await (await cangku.get(`/stock/documents/${noFrom(all, 'documents')}`)).text();
    const tooMuchNo = noFrom(tooMuch, 'documents');
    allPage = await (await cangku.post(`/stock/documents/${noFrom(all, 'documents')}/approve`, { actionId: actionId(), expectedVersion: versionOf(allPage, 'doc-approve-form') })).text();
    expect(messageOf(allPage)).toBe("已审核出库");
    expect(await onHand(sku.code)).toBe(0);
    let refused = await (await cangku.get(`/stock/documents/${tooMuchNo}`)).text();
    refused = await (await cangku.post(`/stock/documents/${tooMuchNo}/approve`, { actionId: actionId(), expectedVersion: versionOf(refused, 'doc-approve-form') })).text();
    expect(messageOf(refused)).toBe(`库存不足，未出库：${sku.code} 需要 1，可用 0`);
    expect(chip(refused, 'doc-stage')).toBe('待审核');

    const outages = await (await kefu.get('/stock/outages')).text();
    expect(outages).toMatch(new RegExp(`data-testid="outage-row" data-sku="${sku.code}"[\\s\\S]*?data-testid="available">0<`));
  });
});

describe('盘点 on the pages', () => {
  it('counts in two rounds (scans and typed), shows the variance against the books at the start, and books it when someone else approves', async () => {
    const [a, b] = [skus[1]!, skus[2]!];
    const [bookA, bookB] = [await onHand(a.code), await onHand(b.code)];
    const created = await cangku.post('/stock/stocktakes', { actionId: actionId(), warehouse: 'MAIN', quality: 'good', memo: '周盘' });
    expect(created.status).toBe(303);
    const no = noFrom(created, 'stocktakes');
    let page = await (await cangku.get(`/stock/stocktakes/${no}`)).text();
    expect(chip(page, 'stocktake-stage')).toBe('盘点中');
    page = await (await cangku.post(`/stock/stocktakes/${no}/count`, { actionId: actionId(), expectedVersion: versionOf(page, 'count-form'), lines: `${a.code} ${bookA - 3}` })).text();
    expect(messageOf(page)).toBe('已记录 1 个商品的盘点数量');
    page = await (await cangku.post(`/stock/stocktakes/${no}/count`, { actionId: actionId(), expectedVersion: versionOf(page, 'count-form'), lines: `${b.code} ${bookB}\n${b.barcode}` })).text();
    page = await (await cangku.post(`/stock/stocktakes/${no}/submit`, { actionId: actionId(), expectedVersion: versionOf(page, 'submit-form') })).text();
    expect(chip(page, 'stocktake-stage')).toBe('待审核');
    const variance = (sku: string) => new RegExp(`data-testid="variance-row" data-sku="${sku}"[\\s\\S]*?data-testid="variance">(-?\\d+)<`).exec(page)?.[1];
    expect([variance(a.code), variance(b.code)]).toEqual(['-3', '1']);

    const self = await (await cangku.post(`/stock/stocktakes/${no}/approve`, { actionId: actionId(), expectedVersion: versionOf(page, 'stocktake-approve-form'), decision: 'approve' })).text();
    expect(messageOf(self)).toBe('盘点差异需由提交人以外的人审核');
    page = await (await admin.get(`/stock/stocktakes/${no}`)).text();
    page = await (await admin.post(`/stock/stocktakes/${no}/approve`, { actionId: actionId(), expectedVersion: versionOf(page, 'stocktake-approve-form'), decision: 'approve' })).text();
    expect(chip(page, 'stocktake-stage')).toBe('已审核调整');
    expect([await onHand(a.code), await onHand(b.code)]).toEqual([bookA - 3, bookB + 1]);
  });
});
