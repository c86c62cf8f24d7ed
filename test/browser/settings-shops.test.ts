/**
 * Adding a shop the way an admin does, in Chromium against the whole system: 设置 → 店铺 from the menu, a new Taobao
 * shop with its own app key, secret and session key; 测试连接 first with a mistyped secret (签名错误) and then the right
 * one; saved, the secret is never shown again; 立即抓单 brings its orders from the sandbox. A customer-service clerk
 * then reads the shop but finds no form to change it.
 */
import { randomBytes } from 'node:crypto';
import type { Page } from 'puppeteer-core';
import { shopPullScheduleId } from '../../api/shop-pull-schedules';
import { PlatformOrder, Shop } from '../../db/entities';
import type { SandboxApp } from '../../integrations/sandbox/sandbox-platform';
import { openBrowserJourney, type BrowserJourney } from '../helpers/browser-session';
import { eventually, type Stack } from '../helpers/stack';

const OWN_APP: SandboxApp = { appKey: '21757777', appSecret: `browser-secret-${randomBytes(6).toString('hex')}`, sessionKey: `6200browser-${randomBytes(6).toString('hex')}` };
const code = `tbweb${randomBytes(3).toString('hex')}`;

let stack: Stack | undefined;
let journey: BrowserJourney | undefined;
let page: Page;

const url = (p: string) => journey!.session.url(p);
const signIn = (username: string) => journey!.session.signIn(username);
const screenshot = (name: string) => journey!.session.screenshot(name);
const text = (selector: string) => journey!.session.text(selector);
const submit = (selector: string) => journey!.session.submit(selector);
async function fill(selector: string, value: string): Promise<void> {
  await page.click(selector, { clickCount: 3 });
  await page.keyboard.press('Backspace');
  await page.type(selector, value);
}

beforeAll(async () => {
  journey = await openBrowserJourney('shop', { realPasswords: true, seed: 47, extraApps: [OWN_APP] });
  ({ stack, page } = journey);
}, 180_000);

afterAll(async () => {
  await stack?.client.schedule.getHandle(shopPullScheduleId(code)).delete().catch(() => undefined);
  await journey?.close();
});

describe('adding a shop in the browser', () => {
  it('tests the connection, saves the shop with its secrets hidden, and pulls its orders', async () => {
    await signIn('admin');
    await submit('a.nav-item[href="/settings/shops"]');
    expect(await text(`[data-testid="shop-row"][data-code="${stack!.shopCode}"] [data-testid="shop-state"]`)).toBe('自动抓单');
    await submit('[data-testid="new-shop"]');
    await page.type('[data-testid="shop-code"]', code);
    await page.type('[data-testid="shop-name"]', '浏览器里开的店');
    await fill('[data-testid="shop-api-url"]', stack!.sandboxServer.routerUrl);
    await page.type('[data-testid="shop-app-key"]', OWN_APP.appKey);
    await page.type('[data-testid="shop-app-secret"]', 'mistyped-secret');
    await page.type('[data-testid="shop-session-key"]', OWN_APP.sessionKey!);
    await page.select('[data-testid="shop-sign-method"]', 'hmac');

    await page.click('[data-testid="test-connection"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="connection-result"]')?.getAttribute('data-ok') === '0');
    expect(await text('[data-testid="connection-message"]')).toContain('签名错误');
    await screenshot('connection-refused');
    await fill('[data-testid="shop-app-secret"]', OWN_APP.appSecret);
    await page.click('[data-testid="test-connection"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="connection-result"]')?.getAttribute('data-ok') === '1');
    expect(await text('[data-testid="connection-message"]')).toContain('连接成功');

    await submit('[data-testid="save-shop"]');
    expect(page.url()).toBe(url(`/settings/shops/${code}?saved=created`));
    expect(await text('[data-testid="notice"]')).toBe('店铺已添加');
    expect(await text('[data-testid="schedule-state"]')).toContain('运行中，每 60 秒一次');
    expect(await page.$eval('[data-testid="shop-app-secret"]', (el) => (el as HTMLInputElement).value)).toBe('');
    expect(await text('[data-testid="app-secret-set"]')).toBe('已设置，留空不修改');
    expect(await page.content()).not.toContain(OWN_APP.appSecret);
    const stored = await stack!.db.em().fork().findOneOrFail(Shop, { code });
    expect(stored.appSecret).not.toContain(OWN_APP.appSecret);

    const trades = stack!.sandbox.generateTrades(2, { from: new Date(Date.now() - 20 * 60_000), to: new Date(Date.now() - 60_000), status: 'WAIT_SELLER_SEND_GOODS' });
    await submit('[data-testid="pull-now"]');
    expect(await text('[data-testid="notice"]')).toContain('已开始抓单');
    await eventually(async () => (await stack!.db.em().fork().count(PlatformOrder, { shopCode: code, platformOrderNo: { $in: trades.map((t) => t.tid) } })) === 2, 'the browser shop’s orders to be pulled', 60_000);
    await page.goto(url(`/settings/shops/${code}`), { waitUntil: 'networkidle0' });
    expect(Number(await text('[data-testid="pulled-today"]'))).toBeGreaterThanOrEqual(2);
    await screenshot('shop-pulled');
  });

  it('shows customer service the shop without a form to change it', async () => {
    await signIn('kefu');
    await page.goto(url(`/settings/shops/${code}`), { waitUntil: 'networkidle0' });
    expect(await text('[data-testid="shop-code"]')).toBe(code);
    expect(await page.$('[data-testid="shop-form"]')).toBeNull();
    expect(await page.$('[data-testid="pull-now"]')).toBeNull();
    expect(await text('[data-testid="shop-settings"]')).toContain('已设置');
  });
});
