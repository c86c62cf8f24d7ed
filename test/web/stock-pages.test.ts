/**
 * 库存查询, the ledger and 调拨单 through the web app, on the real Temporal server: levels filtered and sorted with what
 * is in transit, CSV and XLSX exports holding exactly the page's rows, a transfer created from scanned barcodes and
 * taken out and in by the warehouse with a difference approved by someone else, a reverse only an admin approves, and
 * the ledger linking each movement to its transfer.
 */
import ExcelJS from 'exceljs';
import { createApp } from '../../api/app';
import type { AppDeps } from '../../api/env';
import { Sku, StockLevel, StockTransfer } from '../../db/entities';
import { DEMO_PASSWORD } from '../../db/seeders/demo-data';
import { startStack, type Stack } from '../helpers/stack';
import { pdfPages } from '../helpers/pdf';
import { loginAgent, type Agent } from './web-fixture';
import { webDeps } from '../helpers/web-deps';

const deps = {} as AppDeps;
const app = createApp(deps);
const request = async (path: string, init?: RequestInit) => app.request(path, init);

let stack: Stack;
let cangku: Agent;
let admin: Agent;
let kefu: Agent;
let sku: Sku;
let seq = 0;
const actionId = () => `57c0c0de-0000-4000-8000-${String(++seq).padStart(12, '0')}`;

beforeAll(async () => {
  stack = await startStack({ realPasswords: true, seed: 91 });
  Object.assign(deps, webDeps(stack));
  [cangku, admin, kefu] = await Promise.all([loginAgent(request, 'cangku', DEMO_PASSWORD), loginAgent(request, 'admin', DEMO_PASSWORD), loginAgent(request, 'kefu', DEMO_PASSWORD)]);
  sku = (await stack.db.em().find(Sku, { isBundle: false }, { orderBy: { code: 'asc' }, limit: 1 }))[0]!;
});
afterAll(() => stack?.close());

const level = async (warehouseCode: string) => (await stack.db.em().fork().findOne(StockLevel, { skuCode: sku.code, warehouseCode, quality: 'good' }))?.onHand ?? 0;
/** Each stock row of the page as the person reads it: sku@warehouse on hand / reserved / available / in transit. */
const rowsOf = (html: string) => [...html.matchAll(/data-testid="stock-row" data-sku="([^"]+)" data-warehouse="([^"]+)"[\s\S]*?data-testid="on-hand">(-?\d+)<[\s\S]*?data-testid="reserved">(-?\d+)<[\s\S]*?data-testid="available">(-?\d+)<[\s\S]*?data-testid="in-transit">(-?\d+)</g)]
  .map((m) => `${m[1]}@${m[2]} ${m[3]}/${m[4]}/${m[5]}/${m[6]}`);
const stageOf = (html: string) => /data-testid="transfer-stage">([^<]+)</.exec(html)?.[1];
const messageOf = (html: string) => /data-testid="decision-message">([^<]+)</.exec(html)?.[1];
const versionOf = (html: string, form: string) => new RegExp(`data-testid="${form}"[\\s\\S]*?name="expectedVersion" value="(\\d+)"`).exec(html)?.[1] ?? '';

async function createTransfer(agent: Agent, lines: string): Promise<string> {
  const res = await agent.post('/stock/transfers', { actionId: actionId(), from: 'MAIN', to: 'RET', quality: 'good', costBasis: 'same_price', memo: '网页调拨', lines });
  expect(res.status).toBe(303);
  return decodeURIComponent(/\/stock\/transfers\/([^?]+)/.exec(res.headers.get('location') ?? '')?.[1] ?? '');
}

describe('库存查询', () => {
  it('lists each SKU per warehouse with on hand, reserved and available, filtered by code and sorted by available', async () => {
    const page = await (await kefu.get(`/stock/levels?q=${encodeURIComponent(sku.code)}&warehouse=MAIN`)).text();
    const onHand = await level('MAIN');
    expect(rowsOf(page)).toEqual([`${sku.code}@MAIN ${onHand}/0/${onHand}/0`]);
    const byBarcode = await (await kefu.get(`/stock/levels?q=${encodeURIComponent(sku.barcode)}`)).text();
    expect(rowsOf(byBarcode).map((r) => r.split(' ')[0])).toContain(`${sku.code}@MAIN`);
    const sorted = rowsOf(await (await kefu.get('/stock/levels?sort=available&dir=desc&size=200')).text()).map((r) => Number(r.split(' ')[1]!.split('/')[2]));
    expect(sorted.length).toBeGreaterThan(3);
    expect(sorted).toEqual([...sorted].sort((a, b) => b - a));
    const bad = await kefu.get('/stock/levels?size=7');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('banner-error');
  });

  it('exports the same rows as CSV and XLSX, streamed as downloads', async () => {
    const page = rowsOf(await (await kefu.get('/stock/levels?warehouse=MAIN&size=200')).text());
    const csv = await kefu.get('/stock/levels/export?warehouse=MAIN&format=csv');
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="stock-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('商家编码,品名,规格,条码,仓库,品质,在库,已占用,可用,在途');
    expect(lines.length - 1).toBe(page.length);
    const xlsx = await kefu.get('/stock/levels/export?warehouse=MAIN&format=xlsx');
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    const sheet = book.worksheets[0]!;
    expect(sheet.rowCount - 1).toBe(page.length);
    const first = sheet.getRow(2).values as unknown[];
    expect(`${String(first[1])}@MAIN ${String(first[7])}/${String(first[8])}/${String(first[9])}/${String(first[10])}`).toBe(page[0]);
  });
});

describe('调拨单 on the pages', () => {
  it('is created from scanned barcodes, approved out (in transit on 库存查询) and in with a difference someone else approves; the ledger links it', async () => {
    const [main, ret] = [await level('MAIN'), await level('RET')];
    // A scanner types the barcode and Enter: three scans are three units, a typed line adds two more.
    const no = await createTransfer(cangku, `${sku.barcode}\n${sku.barcode}\n${sku.barcode}\n${sku.code} 2`);
    let page = await (await cangku.get(`/stock/transfers/${no}?created=1`)).text();
    expect(stageOf(page)).toBe('待出库审核');
    expect(page).toMatch(new RegExp(`data-testid="transfer-line" data-sku="${sku.code}"><td class="mono">${sku.code}</td><td>[^<]*<span class="muted small">[^<]*</span></td><td class="num">5</td>`));
    expect((await cangku.get(`/stock/transfers/${no}/note.pdf`)).status).toBe(404);
    page = await (await cangku.post(`/stock/transfers/${no}/print`, { actionId: actionId() })).text();
    expect(messageOf(page)).toBe('出库单已生成（1 页）');
    const note = await cangku.get(`/stock/transfers/${no}/note.pdf`);
    expect(note.headers.get('content-type')).toBe('application/pdf');
    const notePages = pdfPages(Buffer.from(await note.arrayBuffer()));
    expect(notePages).toHaveLength(1);
    expect(notePages[0]).toContain(no);

    page = await (await cangku.post(`/stock/transfers/${no}/outbound`, { actionId: actionId(), expectedVersion: versionOf(page, 'outbound-form') })).text();
    expect(messageOf(page)).toContain('已出库审核');
    expect(stageOf(page)).toBe('在途（待入库审核）');
    expect(await level('MAIN')).toBe(main - 5);
    const levels = rowsOf(await (await kefu.get(`/stock/levels?q=${encodeURIComponent(sku.code)}`)).text());
    expect(levels).toContain(`${sku.code}@RET ${ret}/0/${ret}/5`);

    page = await (await cangku.post(`/stock/transfers/${no}/inbound`, { actionId: actionId(), expectedVersion: versionOf(page, 'inbound-form'), received_0: '4' })).text();
    expect(stageOf(page)).toBe('入库差异待审核');
    const refused = await (await cangku.post(`/stock/transfers/${no}/difference`, { actionId: actionId(), expectedVersion: versionOf(page, 'difference-form'), decision: 'approve' })).text();
    expect(messageOf(refused)).toBe('入库差异需由另一人审核');
    page = await (await admin.post(`/stock/transfers/${no}/difference`, { actionId: actionId(), expectedVersion: versionOf(page, 'difference-form'), decision: 'approve' })).text();
    expect(stageOf(page)).toBe('已完成');
    expect(await level('RET')).toBe(ret + 4);

    const ledger = await (await kefu.get(`/stock/ledger?sku=${encodeURIComponent(sku.code)}`)).text();
    const movements = [...ledger.matchAll(/data-testid="ledger-row" data-kind="([a-z_]+)"[\s\S]*?data-testid="on-hand-after">(-?\d+)<[\s\S]*?data-testid="ledger-document">([^<]+)</g)].map((m) => `${m[1]}:${m[2]}:${m[3]}`);
    expect(movements.slice(0, 2)).toEqual([`transfer_in:${ret + 4}:${no}`, `transfer_out:${main - 5}:${no}`]);
    expect(ledger).toContain(`href="/stock/transfers/${no}"`);
  });

  it('lets everyone look but only the warehouse create; a reverse asked by the warehouse waits for an admin, who puts the goods back', async () => {
    expect((await kefu.get('/stock/transfers')).status).toBe(200);
    expect((await kefu.get('/stock/transfers/new')).status).toBe(403);
    expect((await kefu.post('/stock/transfers', { actionId: actionId(), from: 'MAIN', to: 'RET', lines: `${sku.code} 1` })).status).toBe(403);
    const main = await level('MAIN');
    const no = await createTransfer(cangku, `${sku.code} 3`);
    let page = await (await cangku.get(`/stock/transfers/${no}`)).text();
    page = await (await cangku.post(`/stock/transfers/${no}/outbound`, { actionId: actionId(), expectedVersion: versionOf(page, 'outbound-form') })).text();
    page = await (await cangku.post(`/stock/transfers/${no}/reverse-request`, { actionId: actionId(), expectedVersion: versionOf(page, 'reverse-request-form'), reason: '调错仓' })).text();
    expect(stageOf(page)).toBe('冲销待审批');
    expect(page).not.toContain('data-testid="reverse-decision-form"');
    expect((await cangku.post(`/stock/transfers/${no}/reverse-decision`, { actionId: actionId(), expectedVersion: '1', decision: 'approve' })).status).toBe(403);
    page = await (await admin.get(`/stock/transfers/${no}`)).text();
    page = await (await admin.post(`/stock/transfers/${no}/reverse-decision`, { actionId: actionId(), expectedVersion: versionOf(page, 'reverse-decision-form'), decision: 'approve' })).text();
    expect(stageOf(page)).toBe('已冲销');
    expect(await level('MAIN')).toBe(main);
  });

  it('refuses a form with an unknown code or a bad quantity, creating nothing', async () => {
    const before = await stack.db.em().fork().count(StockTransfer, {});
    for (const lines of ['NO-SUCH 1', `${sku.code} 0`, `${sku.code} 2.5`, '']) {
      const res = await cangku.post('/stock/transfers', { actionId: actionId(), from: 'MAIN', to: 'RET', quality: 'good', costBasis: 'same_price', lines });
      expect({ lines, status: res.status }).toEqual({ lines, status: 400 });
      expect(await res.text()).toContain('data-testid="form-error"');
    }
    expect(await stack.db.em().fork().count(StockTransfer, {})).toBe(before);
  });
});
