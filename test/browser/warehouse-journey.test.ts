/**
 * The warehouse's stock work the way the staff do it, in Chromium against the whole system. A transfer: the clerk opens
 * 货品调拨 from the menu, scans barcodes into a new transfer, approves the outbound (the goods show in transit on
 * 库存查询), counts one short at the destination, is refused approving his own difference, and an admin books what
 * arrived; the ledger links both movements to the transfer. A stocktake: the clerk starts a count sheet from 盘点,
 * scans and types the shelf, submits and sees the variance; he may not approve it, an admin does.
 */
import type { Page } from 'puppeteer-core';
import { Sku, StockLevel } from '../../db/entities';
import { openBrowserJourney, type BrowserJourney } from '../helpers/browser-session';
import type { Stack } from '../helpers/stack';

const STEP_MS = 90_000;

let stack: Stack | undefined;
let journey: BrowserJourney | undefined;
let page: Page;
let sku: Sku;
let transferNo = '';
let stocktakeNo = '';
const before = { main: 0, ret: 0 };

const url = (p: string) => b().url(p);
const b = () => journey!.session;

const level = async (warehouseCode: string) => (await stack!.db.em().fork().findOne(StockLevel, { skuCode: sku.code, warehouseCode, quality: 'good' }))?.onHand ?? 0;

beforeAll(async () => {
  journey = await openBrowserJourney('warehouse', { realPasswords: true, seed: 29 });
  ({ stack, page } = journey);
  sku = (await stack.db.em().find(Sku, { isBundle: false }, { orderBy: { code: 'asc' }, limit: 1 }))[0]!;
  before.main = await level('MAIN');
  before.ret = await level('RET');
}, 180_000);

afterAll(() => journey?.close());

describe('a transfer from MAIN to the returns warehouse, in the browser', () => {
  it('lets the warehouse scan barcodes into a new transfer from the 库存 menu', async () => {
    await b().signIn('cangku');
    await b().submit('a.nav-item[href="/stock/transfers"]');
    await b().submit('[data-testid="new-transfer"]');
    await page.select('[data-testid="transfer-to"]', 'RET');
    await page.click('[data-testid="transfer-lines"]');
    // The scanner types each barcode and presses Enter: six scans, six units.
    for (let i = 0; i < 6; i++) {
      await page.keyboard.type(sku.barcode);
      await page.keyboard.press('Enter');
    }
    await page.type('[data-testid="transfer-memo"]', '退货仓补样品');
    await b().screenshot('transfer-form');
    await b().submit('[data-testid="transfer-create"]');
    transferNo = await b().text('[data-testid="transfer-no"]');
    expect(transferNo).toMatch(/^DB\d{8}-\d{4}$/);
    expect(await b().text('[data-testid="transfer-stage"]')).toBe('待出库审核');
    expect(await b().text(`[data-testid="transfer-line"][data-sku="${sku.code}"]`)).toContain('6');
    await b().screenshot('transfer-created');
  }, STEP_MS);

  it('takes the goods out at 出库审核 and shows them in transit on 库存查询', async () => {
    await b().submit('[data-testid="outbound"]');
    expect(await b().text('[data-testid="decision-message"]')).toContain('已出库审核');
    expect(await b().text('[data-testid="transfer-stage"]')).toBe('在途（待入库审核）');
    await b().screenshot('outbound-approved');
    expect(await level('MAIN')).toBe(before.main - 6);
    await page.goto(url(`/stock/levels?q=${encodeURIComponent(sku.code)}`), { waitUntil: 'networkidle0' });
    expect(await b().text(`[data-testid="stock-row"][data-warehouse="RET"] [data-testid="in-transit"]`)).toBe('6');
    expect(await b().text(`[data-testid="stock-row"][data-warehouse="MAIN"] [data-testid="on-hand"]`)).toBe(String(before.main - 6));
    await b().screenshot('stock-in-transit');
  }, STEP_MS);

  it('records a count one short at 入库审核, refuses the counter approving it, and an admin books what arrived', async () => {
    await page.goto(url(`/stock/transfers/${transferNo}`), { waitUntil: 'networkidle0' });
    const field = `[data-testid="received-${sku.code}"]`;
    await page.click(field, { clickCount: 3 });
    await page.keyboard.type('5');
    await b().submit('[data-testid="inbound"]');
    expect(await b().text('[data-testid="transfer-stage"]')).toBe('入库差异待审核');
    expect(await b().text('[data-testid="differences"]')).toContain(`${sku.code}：出库 6，实收 5`);
    await b().submit('[data-testid="difference-approve"]');
    expect(await b().text('[data-testid="decision-message"]')).toBe('入库差异需由另一人审核');
    await b().screenshot('difference-refused');

    await b().signIn('admin');
    await page.goto(url(`/stock/transfers/${transferNo}`), { waitUntil: 'networkidle0' });
    await b().submit('[data-testid="difference-approve"]');
    expect(await b().text('[data-testid="transfer-stage"]')).toBe('已完成');
    expect(await b().text('[data-testid="difference-by"]')).toContain('admin');
    await b().screenshot('transfer-done');
    expect(await level('RET')).toBe(before.ret + 5);

    await page.goto(url(`/stock/ledger?sku=${encodeURIComponent(sku.code)}`), { waitUntil: 'networkidle0' });
    const kinds = await page.$$eval('[data-testid="ledger-row"]', (rows) => rows.slice(0, 2).map((r) => `${r.getAttribute('data-kind')}:${r.querySelector('[data-testid="ledger-document"]')?.textContent ?? ''}`));
    expect(kinds).toEqual([`transfer_in:${transferNo}`, `transfer_out:${transferNo}`]);
    await b().screenshot('ledger');
  }, STEP_MS);
});

describe('a stocktake of MAIN, in the browser', () => {
  it('lets the warehouse start a count from the 盘点 menu and count by scanning and typing', async () => {
    const book = await level('MAIN');
    await b().signIn('cangku');
    await b().submit('a.nav-item[href="/stock/stocktakes"]');
    await page.select('[data-testid="stocktake-warehouse"]', 'MAIN');
    await b().submit('[data-testid="stocktake-create"]');
    stocktakeNo = await b().text('[data-testid="stocktake-no"]');
    expect(stocktakeNo).toMatch(/^PD\d{8}-\d{4}$/);
    expect(await b().text('[data-testid="stocktake-stage"]')).toBe('盘点中');
    // Two units scanned, then the rest of the shelf typed as a count: the typed line and the scans add up.
    await page.click('[data-testid="count-lines"]');
    for (let i = 0; i < 2; i++) {
      await page.keyboard.type(sku.barcode);
      await page.keyboard.press('Enter');
    }
    await page.keyboard.type(`${sku.code} ${book - 5}`);
    await b().screenshot('count-typed');
    await b().submit('[data-testid="count-save"]');
    expect(await b().text('[data-testid="decision-message"]')).toBe('已记录 1 个商品的盘点数量');
    expect(await b().text(`[data-testid="variance-row"][data-sku="${sku.code}"] [data-testid="counted"]`)).toBe(String(book - 3));
    await b().submit('[data-testid="count-submit"]');
    expect(await b().text('[data-testid="stocktake-stage"]')).toBe('待审核');
    expect(await b().text(`[data-testid="variance-row"][data-sku="${sku.code}"] [data-testid="variance"]`)).toBe('-3');
    await b().screenshot('variance-report');
  }, STEP_MS);

  it('refuses the counter approving his own count, and an admin books the loss', async () => {
    const book = Number(await b().text(`[data-testid="variance-row"][data-sku="${sku.code}"] [data-testid="counted"]`)) + 3;
    await b().submit('[data-testid="stocktake-approve"]');
    expect(await b().text('[data-testid="decision-message"]')).toBe('盘点差异需由提交人以外的人审核');
    await b().signIn('admin');
    await page.goto(url(`/stock/stocktakes/${stocktakeNo}`), { waitUntil: 'networkidle0' });
    await b().submit('[data-testid="stocktake-approve"]');
    expect(await b().text('[data-testid="stocktake-stage"]')).toBe('已审核调整');
    await b().screenshot('stocktake-approved');
    expect(await level('MAIN')).toBe(book - 3);
    await page.goto(url(`/stock/ledger?sku=${encodeURIComponent(sku.code)}`), { waitUntil: 'networkidle0' });
    const first = await page.$eval('[data-testid="ledger-row"]', (r) => `${r.getAttribute('data-kind')}:${r.querySelector('[data-testid="on-hand-after"]')?.textContent ?? ''}`);
    expect(first).toBe(`adjust:${book - 3}`);
    await b().screenshot('stocktake-ledger');
  }, STEP_MS);
});
