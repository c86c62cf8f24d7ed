/**
 * 货品 and 货品对应 the way staff use them, in Chromium against the whole system: a reviewer finds an order waiting
 * with 货品未匹配 on the review page, opens 对应货品 in the row, searches for the SKU the warehouse really ships, picks
 * it and saves; the row comes back without the reason and the order is approved. An admin imports a goods file with
 * a bad row: the page names the row and nothing changes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { OrderLine, PlatformSkuMapping, Sku } from '../../db/entities';
import { orderWorkflowId } from '../../domain/order-draft';
import type { SandboxTrade } from '../../integrations/sandbox/sandbox-state';
import { openBrowserJourney, type BrowserJourney } from '../helpers/browser-session';
import { orderDriver } from '../helpers/order-driver';
import { orderSteps } from '../helpers/order-steps';
import type { Stack } from '../helpers/stack';

const STEP_MS = 90_000;

let stack: Stack | undefined;
let journey: BrowserJourney | undefined;
let page: Page;
let orderId = '';

const url = (p: string) => b().url(p);
const s = () => stack!;
const b = () => journey!.session;

/** A paid trade for the given outer id, to a region the couriers serve, placed a minute ago so the next pull sees it. */
function tradeFor(outerSkuId: string): SandboxTrade {
  for (let i = 0; i < 200; i++) {
    const [trade] = s().sandbox.generateTrades(1, { from: new Date(Date.now() - 90_000), to: new Date(Date.now() - 61_000), outerSkuIds: [outerSkuId] });
    if (trade && trade.status === 'WAIT_SELLER_SEND_GOODS' && !/新疆|西藏|内蒙古/.test(trade.receiver_state) && !trade.buyer_message && !trade.seller_memo) return trade;
  }
  throw new Error('no plain trade in 200 tries');
}

beforeAll(async () => {
  journey = await openBrowserJourney('goods', { realPasswords: true, seed: 47 });
  ({ stack, page } = journey);
}, 180_000);

afterAll(() => journey?.close());

describe('an order waiting with 货品未匹配, mapped from the review page', () => {
  it('shows the order on the review page with the reason and a 对应货品 button', async () => {
    // The seller lists a new colour on Taobao with an outer id Guanjia has never heard of; a buyer orders it.
    const item = s().sandbox.listItem({ title: '纯棉圆领短袖T恤 新色', outerId: 'TX-NEW', priceFen: 6900, skus: [{ outerId: 'TXN-M-GRN', props: '尺码:M;颜色:绿' }] });
    const trade = tradeFor('TXN-M-GRN');
    expect(trade.orders.order[0]).toMatchObject({ num_iid: item.num_iid, outer_sku_id: 'TXN-M-GRN' });
    const steps = orderSteps(s());
    await steps.pull();
    orderId = orderWorkflowId(s().shopCode, trade.tid);
    const waiting = await steps.waitForStatus(orderId, ['review']);
    expect(waiting.reviewReasons).toContain('货品未匹配: TXN-M-GRN');

    await b().signIn('shendan');
    await b().submit('a.nav-item[href="/review"]');
    const row = `tr[data-order-id="${orderId}"]`;
    await page.waitForSelector(row);
    expect(await b().text(`${row} td.notes`)).toContain('货品未匹配: TXN-M-GRN');
    await b().screenshot('review-unmatched');
  }, STEP_MS);

  it('maps the line in the row: search, pick the SKU, 对应; the row comes back without the reason', async () => {
    const row = `tr[data-order-id="${orderId}"]`;
    await page.click(`${row} [data-testid="map-goods"]`);
    await page.waitForSelector(`${row} [data-testid="inline-map"]`);
    expect(await b().text(`${row} [data-testid="inline-map-line"]`)).toContain('TXN-M-GRN');
    // Saving without a pick says what to do next to the field, and maps nothing.
    await page.click(`${row} [data-testid="inline-map-save"]`);
    await page.waitForSelector(`${row} [data-testid="inline-map-error"]`);
    expect(await b().text(`${row} [data-testid="inline-map-error"]`)).toBe('请先搜索并选择要对应的货品');
    expect(await s().db.em().fork().count(PlatformSkuMapping, { outerId: 'TXN-M-GRN', skuCode: { $ne: '' } })).toBe(0);

    await page.type(`${row} [data-testid="inline-map-q"]`, 'TX-05');
    await page.waitForSelector(`${row} [data-testid="inline-map-pick"] option[value="TX-05"]`);
    await page.select(`${row} [data-testid="inline-map-pick"]`, 'TX-05');
    await b().screenshot('review-inline-map');
    await page.click(`${row} [data-testid="inline-map-save"]`);
    // The row refreshes by itself once the order has re-checked its lines.
    await page.waitForFunction((sel) => {
      const notes = document.querySelector(`${sel} td.notes`);
      return !!notes && !notes.textContent?.includes('货品未匹配');
    }, { timeout: 30_000 }, row);
    await page.waitForSelector(`${row} [data-testid="approve"]`);
    await b().screenshot('review-mapped');
    const lines = await s().db.em().fork().find(OrderLine, { orderId });
    expect(lines.map((l) => l.skuCode)).toEqual(['TX-05']);
  }, STEP_MS);

  it('lets the reviewer approve the order', async () => {
    const row = `tr[data-order-id="${orderId}"]`;
    await page.click(`${row} [data-testid="approve"]`);
    const driver = orderDriver(s());
    const approved = await driver.waitForRow(orderId, (o) => o.status !== 'review', 'approved');
    expect(approved.reviewReasons).toBe('');
    expect(['ready_to_print', 'waybill_pending']).toContain(approved.status);
    expect(approved.reviewedBy).toBe('shendan');
  }, STEP_MS);
});

describe('goods import through the page', () => {
  it('names the bad row and changes nothing', async () => {
    await b().signIn('admin');
    await page.goto(url('/settings/products'), { waitUntil: 'networkidle0' });
    await b().screenshot('list');
    const before = await s().db.em().fork().find(Sku, {}, { orderBy: { code: 'asc' } });
    const file = path.join(b().shotsDir, 'goods-bad.csv');
    fs.writeFileSync(file, '商家编码,条码,货品名称,规格,货品编号,重量(克),成本价,售价,启用,组合明细\nNEW-01,6900000000011,新品一号,M,,200,10.00,29.00,是,\nNEW-02,6900000000028,新品二号,L,,200,10.00,二十九,是,\n');
    const input = await page.$('[data-testid="goods-import-file"]');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(file);
    await b().submit('[data-testid="goods-import"] button[type="submit"]');
    expect(await b().text('[data-testid="flash"]')).toContain('整个文件都没有导入');
    expect(await b().text('[data-testid="import-errors"]')).toContain('第 3 行');
    expect(await b().text('[data-testid="import-errors"]')).toContain('NEW-02');
    await b().screenshot('import-refused');
    const after = await s().db.em().fork().find(Sku, {}, { orderBy: { code: 'asc' } });
    expect(after.map((k) => [k.code, k.priceFen])).toEqual(before.map((k) => [k.code, k.priceFen]));
  }, STEP_MS);

  it('pulls the shop’s goods in the background, showing progress and then what it found', async () => {
    await page.goto(url('/settings/sku-mappings'), { waitUntil: 'networkidle0' });
    // Before any pull only the platform SKU mapped from the review page is known, its price not yet read.
    expect(await page.$$eval('[data-testid="mapping-row"]', (rows) => rows.map((r) => r.getAttribute('data-outer-id')))).toEqual(['TXN-M-GRN']);
    expect(await b().text('[data-testid="mapping-row"] td.num')).toBe('—');
    await b().submit('[data-testid="mapping-pull"]');
    await page.waitForSelector('[data-testid="goods-pull-progress"], [data-testid="goods-pull-result"]');
    await page.waitForSelector('[data-testid="goods-pull-result"]', { timeout: 60_000 });
    expect(await b().text('[data-testid="goods-pull-result"]')).toMatch(/^已从 .+ 获取 \d+ 个在售商品、\d+ 个平台 SKU，其中 \d+ 个是新的/);
    await b().screenshot('pull-done');
    await b().submit('[data-testid="goods-pull-show"]');
    expect(await page.$$eval('[data-testid="mapping-row"]', (rows) => rows.length)).toBeGreaterThan(0);
    expect(await page.$$eval('[data-testid="maps-to"]', (cells) => cells.every((c) => c.textContent?.includes('未对应')))).toBe(true);
    await b().screenshot('mappings-pulled');
  }, STEP_MS);

  it('shows a SKU page, the new-SKU form with an error next to the field, and the mapping list', async () => {
    await page.goto(url('/settings/products/TX-05'), { waitUntil: 'networkidle0' });
    await b().screenshot('edit');
    await page.goto(url('/settings/products/new'), { waitUntil: 'networkidle0' });
    await page.type('[data-testid="goods-code"]', 'TX-05');
    await page.type('[data-testid="goods-name"]', '重复的编码');
    await b().submit('[data-testid="goods-save"]');
    await b().screenshot('new-duplicate');
    await page.goto(url('/settings/sku-mappings'), { waitUntil: 'networkidle0' });
    await b().screenshot('mappings');
    await page.goto(url(`/settings/sku-mappings/order/${encodeURIComponent(orderId)}`), { waitUntil: 'networkidle0' });
    await b().screenshot('mapping-order');
  }, STEP_MS);
});
