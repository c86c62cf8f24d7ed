/**
 * 导入订单 the way customer service uses it, in Chromium against the whole system: choose the shop and the two
 * report files, submit, land on the import's own page at once, watch it follow the background submission until
 * done, and read every bad row; then find the import in 最近导入.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import type { ElementHandle, Page } from 'puppeteer-core';
import { ImportBatch, Order } from '../../db/entities';
import { DEMO_CATALOGUE } from '../../db/seeders/demo-catalogue';
import { itemReport, itemRow, orderReport, orderRow } from '../../integrations/csv/fixtures/taobao-report';
import { openBrowserJourney, type BrowserJourney } from '../helpers/browser-session';
import type { Stack } from '../helpers/stack';
import { ownTaskQueue, workersOnOwnQueue, type OwnWorkers } from '../helpers/workers-on-own-queue';

let stack: Stack | undefined;
/** The import's workers: started only once the upload has been answered, so the page is seen waiting first. */
let importQueue: string;
let importWorkers: OwnWorkers | undefined;
let journey: BrowserJourney | undefined;
let dir: string | undefined;
let page: Page;

const url = (p: string) => journey!.session.url(p);

/** 450 paid orders (three chunks of the import workflow) and one whose amount is not a number, as GBK files. */
function writeExport(shopCode: string): { orders: string; items: string; nos: string[] } {
  const sku = DEMO_CATALOGUE[0]!;
  const nos = Array.from({ length: 450 }, (_, i) => String(3900000000000300000n + BigInt(i)));
  const orders = orderReport([
    ...nos.map((no) => orderRow({ 订单编号: no, 订单状态: '交易成功', 店铺名称: shopCode })),
    orderRow({ 订单编号: '3900000000000399999', 买家实际支付金额: '五十九' }),
  ]);
  const items = itemReport([
    ...nos.map((no) => itemRow({ 订单编号: no, 标题: sku.productName, 价格: '59.00', 商家编码: sku.code })),
    itemRow({ 订单编号: '3900000000000399999', 商家编码: sku.code }),
  ]);
  const files = { orders: path.join(dir!, 'ExportOrderList.csv'), items: path.join(dir!, 'ExportOrderDetailList.csv') };
  fs.writeFileSync(files.orders, iconv.encode(orders, 'gbk'));
  fs.writeFileSync(files.items, iconv.encode(items, 'gbk'));
  return { ...files, nos };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gj-import-browser-'));
  importQueue = ownTaskQueue('gj-import-browser');
  journey = await openBrowserJourney('import', { realPasswords: true }, { taskQueue: importQueue, timeoutMs: 60_000 });
  ({ stack, page } = journey);
}, 120_000);

afterAll(async () => {
  await importWorkers?.shutdown().catch(() => undefined);
  await journey?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('导入订单 in the browser', () => {
  it('uploads an export, follows its progress on the import page until done, and lists the bad row', async () => {
    await journey!.session.signIn('kefu');

    const files = writeExport(stack!.shopCode);
    await page.goto(url('/import'), { waitUntil: 'networkidle0' });
    await page.select('[data-testid="import-shop"]', stack!.shopCode);
    const fileInput = async (testId: string) => (await page.$(`[data-testid="${testId}"]`)) as ElementHandle<HTMLInputElement>;
    await (await fileInput('import-orders')).uploadFile(files.orders);
    await (await fileInput('import-items')).uploadFile(files.items);
    await journey!.session.submit('[data-testid="import-submit"]');

    // The upload answered with the import's own page at once, while no worker has taken the import yet.
    expect(new URL(page.url()).pathname).toMatch(/^\/import\/\d+$/);
    const batch = await stack!.db.em().findOneOrFail(ImportBatch, { shopCode: stack!.shopCode }, { orderBy: { id: 'desc' } });
    expect(batch.orderCount).toBe(450);
    expect(await page.$eval('[data-testid="import-batch"]', (el) => el.getAttribute('data-status'))).toBe('submitting');
    expect(await page.$eval('[data-testid="import-progress"]', (el) => (el as HTMLElement).innerText)).toContain('0 / 450');
    // The bad row is known from the files and shown while the orders are still being submitted.
    expect(await page.$eval('[data-testid="import-errors"] tbody', (el) => (el as HTMLElement).innerText)).toContain('五十九');

    importWorkers = await workersOnOwnQueue(stack!.db, { taskQueue: importQueue });
    await page.waitForSelector('[data-testid="import-done"]', { timeout: 90_000 });
    const stat = (id: string) => page.$eval(`[data-testid="${id}"]`, (el) => (el as HTMLElement).innerText.trim());
    expect(await stat('import-skipped')).toBe('450');
    expect(await stat('import-error-count')).toBe('1');
    const bad = await page.$eval('[data-testid="import-errors"] tbody', (el) => (el as HTMLElement).innerText);
    expect(bad).toContain('3900000000000399999');
    expect(bad).toContain('五十九');
    // Polling stopped with the import: the fragment no longer asks for progress.
    expect(await page.$eval('[data-testid="import-batch"]', (el) => el.getAttribute('hx-get'))).toBeNull();

    await page.goto(url('/import'), { waitUntil: 'networkidle0' });
    expect(await page.$eval(`a[href="/import/${batch.id}"]`, (a) => (a.closest('tr') as HTMLElement).innerText)).toContain('已完成');
    // Finished trades are kept as platform orders but not submitted as orders to work on.
    expect(await stack!.db.em().count(Order, { shopCode: stack!.shopCode, platformOrderNo: { $in: files.nos } })).toBe(0);
  });
});
