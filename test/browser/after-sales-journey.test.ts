/**
 * One return the way the staff handle it, in Chromium against the whole system: customer service registers it from
 * the order number, after-sales agrees it from the queue, the warehouse scans the parcel in at the returns desk and
 * QCs it with the keyboard alone (and may not approve money), after-sales approves the refund, finance confirms it
 * offline; good units go back on sale, the defective one to the returns warehouse, and the money entry is listed.
 */
import type { Page } from 'puppeteer-core';
import { AfterSaleCase, MoneyEntry, Order, OrderLine, StockLevel } from '../../db/entities';
import { openBrowserJourney, type BrowserJourney } from '../helpers/browser-session';
import { orderDriver } from '../helpers/order-driver';
import { eventually, type Stack } from '../helpers/stack';

const STEP_MS = 90_000;
const RETURN_WAYBILL = `YT${Date.now()}`;

let stack: Stack | undefined;
let journey: BrowserJourney | undefined;
let page: Page;

let order: Order;
let line: OrderLine;
let caseNo = '';
let stockBefore = { main: 0, retDefective: 0 };

const s = () => stack!;
const url = (p: string) => b().url(p);
const b = () => journey!.session;

const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');

/** Types into the focused field and presses Enter, as a barcode scanner does, and waits for the answer page. */
async function scanAndWait(code: string): Promise<void> {
  await page.keyboard.type(code);
  await b().toNextPage(() => page.keyboard.press('Enter'));
}

async function caseRow(): Promise<AfterSaleCase> {
  return s().db.em().findOneOrFail(AfterSaleCase, { caseNo });
}

async function stage(expected: string): Promise<AfterSaleCase> {
  return eventually(async () => {
    const row = await caseRow();
    return row.stage === expected ? row : null;
  }, `case ${caseNo} ${expected}`);
}

async function level(skuCode: string, warehouseCode: string, quality: 'good' | 'defective'): Promise<number> {
  return (await s().db.em().findOne(StockLevel, { skuCode, warehouseCode, quality }))?.onHand ?? 0;
}

beforeAll(async () => {
  journey = await openBrowserJourney('after-sales', { realPasswords: true, seed: 23 });
  ({ stack, page } = journey);

  const { id } = await orderDriver(stack).shippedOrder();
  order = await stack.db.em().findOneOrFail(Order, { id });
  const lines = await stack.db.em().find(OrderLine, { orderId: id, isGift: false, amountFen: { $gt: 0 } }, { orderBy: { lineNo: 'asc' } });
  line = lines[0]!;
  stockBefore = { main: await level(line.skuCode, 'MAIN', 'good'), retDefective: await level(line.skuCode, 'RET', 'defective') };
}, 180_000);

afterAll(() => journey?.close());

describe('a return from registration to the money entry, in the browser', () => {
  it('lets customer service find the shipped order by its number and register a return of one line', async () => {
    await b().signIn('kefu');
    await b().submit('a.nav-item[href="/after-sales/register"]');
    expect(await focused()).toBe('order-search-input');
    await page.keyboard.type(order.platformOrderNo);
    await b().toNextPage(() => page.keyboard.press('Enter'));
    await page.waitForSelector('[data-testid="register-form"]');
    await page.select('[data-testid="case-type"]', 'return');
    await page.select('[data-testid="case-reason"]', '质量问题');
    await page.type('[data-testid="case-note"]', '杯盖有裂纹');
    await page.type('[data-testid="return-waybill"]', RETURN_WAYBILL);
    const qty = `[data-testid="qty-${line.oid}"]`;
    await page.click(qty, { clickCount: 3 });
    await page.keyboard.type(String(line.qty));
    await b().screenshot('register-form');
    await b().submit('[data-testid="register-submit"]');

    caseNo = await b().text('[data-testid="case-no"]');
    expect(caseNo).toMatch(/^SH\d{8}-\d{4}$/);
    expect(await b().text('[data-testid="decision-message"]')).toBe(`已登记售后单 ${caseNo}`);
    expect(await b().text('[data-testid="return-waybill"]')).toContain(RETURN_WAYBILL);
    await b().screenshot('registered');
    expect(await stage('registered')).toMatchObject({ type: 'return', orderId: order.id, returnWaybillNo: RETURN_WAYBILL, createdBy: 'kefu' });
  }, STEP_MS);

  it('lets after-sales agree it from the 待审核 queue with the batch button', async () => {
    await b().signIn('shouhou');
    expect(new URL(page.url()).pathname).toBe('/after-sales/cases');
    const row = `tr[data-case="${caseNo}"]`;
    await page.waitForSelector(row);
    expect(Number(await b().text('[data-testid="count-registered"]'))).toBeGreaterThanOrEqual(1);
    await page.click(`${row} input[data-row-check]`);
    await b().submit('[data-testid="batch-agree"]');
    await page.waitForSelector(`[data-testid="decision-results"] li[data-case="${caseNo}"].is-ok`);
    await b().screenshot('agreed');
    await stage('awaiting_parcel');
  }, STEP_MS);

  it('lets the warehouse scan the parcel in at the returns desk: the cursor waits in the scan field, the answer is big and green', async () => {
    await b().signIn('cangku');
    await b().submit('a.nav-item[href="/after-sales/returns"]');
    expect(await focused()).toBe('returns-scan');
    await scanAndWait(RETURN_WAYBILL);
    expect(await page.$eval('[data-testid="returns-banner"]', (el) => el.className)).toContain('scan-banner-ok');
    expect(await b().text('[data-testid="returns-banner"]')).toContain(caseNo);
    // Ready for the next parcel at once; one that matches nothing is kept as a 无头件.
    expect(await focused()).toBe('returns-scan');
    await scanAndWait('YT-NO-CASE-0001');
    expect(await page.$eval('[data-testid="returns-banner"]', (el) => el.className)).toContain('scan-banner-error');
    expect(await b().text('[data-testid="unmatched"]')).toContain('YT-NO-CASE-0001');
    await b().screenshot('returns-desk');
    await stage('awaiting_qc');
  }, STEP_MS);

  it('lets the warehouse QC by keyboard alone, one unit defective, and shows it no approval', async () => {
    await b().submit('a.nav-item[href="/after-sales/qc"]');
    expect(await focused()).toBe('qc-scan');
    await scanAndWait(RETURN_WAYBILL);
    expect(new URL(page.url()).pathname).toBe(`/after-sales/qc/${caseNo}`);
    expect(await focused()).toBe('good-0');
    await page.keyboard.down('Control');
    await page.keyboard.press('KeyA');
    await page.keyboard.up('Control');
    await page.keyboard.type(String(line.qty - 1));
    await page.keyboard.press('Tab');
    await page.keyboard.type('1');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type('杯盖裂');
    await b().screenshot('qc-form');
    await b().toNextPage(() => page.keyboard.press('Enter'));
    expect(await page.$eval('[data-testid="qc-banner"]', (el) => el.className)).toContain('scan-banner-ok');
    await b().screenshot('qc-done');
    const row = await stage('awaiting_approval');
    expect(row.snapshot?.qc).toEqual([{ oid: line.oid, good: line.qty - 1, defective: 1, missing: 0, wrong: 0, note: '杯盖裂' }]);

    await page.goto(url(`/after-sales/cases/${caseNo}`), { waitUntil: 'networkidle0' });
    expect(await page.$('[data-testid="approve-form"]')).toBeNull();
    expect(await b().text(`[data-testid="qc-${line.oid}"]`)).toContain('次品 1');
  }, STEP_MS);

  it('lets after-sales approve the refund of what was paid for the line', async () => {
    await b().signIn('shouhou');
    await page.goto(url(`/after-sales/cases/${caseNo}`), { waitUntil: 'networkidle0' });
    expect(await page.$eval('[data-testid="refund-input"]', (el) => (el as HTMLInputElement).value)).toBe((line.amountFen / 100).toFixed(2));
    await b().submit('[data-testid="approve"]');
    expect(await page.$eval('[data-testid="decision-message"]', (el) => el.className)).toContain('banner-ok');
    await b().screenshot('approved');
    expect(await stage('awaiting_finance')).toMatchObject({ refundFen: line.amountFen });
  }, STEP_MS);

  it('lets finance confirm it offline with account and reference, and lists the money entry', async () => {
    await b().signIn('caiwu');
    expect(new URL(page.url()).pathname).toBe('/finance/refunds');
    const row = `tr[data-case="${caseNo}"]`;
    await page.waitForSelector(row);
    expect(await b().text(`${row} [data-testid="finance-amount"]`)).toBe(`¥${(line.amountFen / 100).toFixed(2)}`);
    expect(await b().text(row)).toContain('线下转账');
    expect(await b().text(row)).toContain('次品 1');
    await page.click(`${row} input[data-row-check]`);
    await page.type('[data-testid="finance-account"]', '招商银行 6225');
    await page.type('[data-testid="finance-reference"]', 'CMB20261127001');
    await b().screenshot('refund-confirm');
    await b().submit('[data-testid="finance-confirm"]');
    await page.waitForSelector(`[data-testid="decision-results"] li[data-case="${caseNo}"].is-ok`);
    await stage('done');

    expect(await level(line.skuCode, 'MAIN', 'good')).toBe(stockBefore.main + line.qty - 1);
    expect(await level(line.skuCode, 'RET', 'defective')).toBe(stockBefore.retDefective + 1);
    const money = await s().db.em().find(MoneyEntry, { caseNo });
    expect(money.map((m) => ({ kind: m.kind, out: -m.direction * m.amountFen, account: m.account, reference: m.reference }))).toEqual([
      { kind: 'refund', out: line.amountFen, account: '招商银行 6225', reference: 'CMB20261127001' },
    ]);

    await b().submit('a.nav-item[href="/finance/entries"]');
    expect(await b().text('[data-testid="money-entries"]')).toContain(caseNo);
    await b().screenshot('cash-bank');
    await page.goto(url(`/after-sales/cases/${caseNo}`), { waitUntil: 'networkidle0' });
    expect(await b().text('[data-testid="case-stage"]')).toBe('已完成');
    expect(await b().text('[data-testid="timeline"]')).toContain('财务确认');
    await b().screenshot('case-done');
  }, STEP_MS);
});
