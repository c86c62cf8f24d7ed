/**
 * 号段 the way an admin and the warehouse do it, in Chromium against the whole system: the admin adds a courier whose
 * numbers come from a roll, an order approved for it waits without a number, the admin imports a range (its count
 * shown before importing) and sees the numbers left; the warehouse reserves the order's number on 单据打印 and sees
 * the count go down there and on the order page.
 */
import type { Page } from 'puppeteer-core';
import { Order, WaybillPoolNumber } from '../../db/entities';
import { openBrowserJourney, type BrowserJourney } from '../helpers/browser-session';
import { orderDriver } from '../helpers/order-driver';
import type { Stack } from '../helpers/stack';

const STEP_MS = 90_000;

let stack: Stack | undefined;
let journey: BrowserJourney | undefined;
let page: Page;
let orderId = '';

const s = () => stack!;
const b = () => journey!.session;
const freeShown = (courierCode: string) => page.$eval(`[data-testid="roll-remaining-${courierCode}"]`, (el) => Number(el.getAttribute('data-free')));

beforeAll(async () => {
  journey = await openBrowserJourney('places', { realPasswords: true, seed: 43 });
  ({ stack, page } = journey);
}, 180_000);

afterAll(() => journey?.close());

describe('a number roll imported through the pages and used for an order', () => {
  it('lets the admin add a roll courier from 设置 → 快递', async () => {
    await b().signIn('admin');
    await b().submit('a.nav-item[href="/settings/couriers"]');
    await page.type('[data-testid="add-courier-form"] [data-testid="code"]', 'JT');
    await page.type('[data-testid="add-courier-form"] [data-testid="name"]', '极兔速递');
    await page.select('[data-testid="add-courier-form"] [data-testid="provider"]', 'pool');
    await page.select('[data-testid="add-courier-form"] [data-testid="template"]', 'waybill-76x130');
    await page.$eval('[data-testid="add-courier-form"] [data-testid="lowRollThreshold"]', (el) => { (el as HTMLInputElement).value = '50'; });
    await b().submit('[data-testid="add-courier"]');
    expect(new URL(page.url()).pathname).toBe('/settings/couriers/JT');
    expect(await b().text('[data-testid="notice"]')).toBe('已保存');
    // A roll with nothing in it says so, before any order needs a number from it.
    expect(await freeShown('JT')).toBe(0);
    expect(await b().text('[data-testid="roll-remaining-JT"]')).toContain('极兔速递 的号段已用完');
    await b().screenshot('courier-added');
  }, STEP_MS);

  it('leaves an order approved for that courier waiting for its number', async () => {
    const driver = orderDriver(s());
    orderId = await driver.submit(driver.placeTrade(), ['review']);
    const approved = await driver.approve(orderId, { courierCode: 'JT' });
    expect(approved.ok).toBe(true);
    const row = await driver.waitForRow(orderId, (o) => o.status === 'waybill_pending' && !!o.alert, 'waiting for a number');
    expect(row.alert).toContain('JT 物流单号池已用完');
  }, STEP_MS);

  it('imports a range after showing how many numbers it holds, and shows the numbers left', async () => {
    await page.click('[data-testid="import-roll-link"]');
    await page.waitForSelector('[data-testid="range-form"]');
    expect(await page.$eval('[data-testid="range-courier"]', (el) => (el as HTMLSelectElement).value)).toBe('JT');
    await page.type('[data-testid="prefix"]', 'JT');
    await page.type('[data-testid="start"]', '0000880001');
    await page.type('[data-testid="end"]', '0000880120');
    await page.waitForFunction(() => document.querySelector('[data-testid="roll-preview"]')?.textContent?.includes('共 120 个单号'));
    expect(await b().text('[data-testid="roll-preview"]')).toBe('共 120 个单号：JT0000880001 … JT0000880120');
    await b().screenshot('range-preview');
    await b().submit('[data-testid="import-range"]');
    expect(await b().text('[data-testid="notice"]')).toBe('JT 号段导入完成：读到 120 个单号，新增 120 个');
    expect(await freeShown('JT')).toBe(120);
    expect(await b().text('[data-testid="roll-imports"] tbody tr')).toContain('JT0000880001 .. JT0000880120');
    expect(await s().db.em().count(WaybillPoolNumber, { courierCode: 'JT', status: 'free' })).toBe(120);
    await b().screenshot('range-imported');
  }, STEP_MS);

  it('lets the warehouse reserve the order’s number on 单据打印, and the numbers left go down there and on the order page', async () => {
    await b().signIn('cangku');
    await b().submit('a.nav-item[href="/print"]');
    expect(await freeShown('JT')).toBe(120);
    const row = `tr[data-order-id="${orderId}"]`;
    await page.waitForSelector(row);
    await page.click(`${row} input[data-row-check]`);
    await page.click('[data-testid="reserve-waybill"]');
    await page.waitForSelector(`[data-testid="decision-results"] li[data-order="${orderId}"].is-ok`);
    const order = await s().db.em().findOneOrFail(Order, { id: orderId });
    expect(order.waybillNo).toBe('JT0000880001');
    await page.waitForFunction(() => document.querySelector('[data-testid="roll-remaining-JT"]')?.getAttribute('data-free') === '119');
    await b().screenshot('print-reserved');

    await page.goto(b().url(`/orders/${encodeURIComponent(orderId)}`), { waitUntil: 'networkidle0' });
    expect(await b().text('[data-testid="waybill-no"]')).toBe('JT0000880001');
    expect(await freeShown('JT')).toBe(119);
    expect(await b().text('[data-testid="roll-remaining-JT"]')).toContain('极兔速递 剩余单号 119 个');
    await b().screenshot('order-page');
  }, STEP_MS);
});
