/**
 * One Chromium page on a test web server, signed in as the demo users sign in: the launch, the sign-in form, numbered
 * screenshots and the clicks that wait for the next page, which every browser journey needs alike.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { CHROMIUM_ARGS } from '../../activities/print-renderer';
import { DEMO_PASSWORD } from '../../db/seeders/demo-data';

export interface BrowserSession {
  browser: Browser;
  page: Page;
  /** Where the screenshots go; a journey may keep the files it makes (a PDF, an upload) next to them. */
  shotsDir: string;
  url(pathname: string): string;
  /** Signs out whoever is signed in, then signs in with the demo password. */
  signIn(username: string): Promise<void>;
  /** Saves a numbered full-page PNG in GJ_SCREENSHOT_DIR (or a temp folder named after the journey). */
  screenshot(name: string): Promise<void>;
  text(selector: string): Promise<string>;
  /** Clicks and waits for the page it leads to. */
  submit(selector: string): Promise<void>;
  /** Does what leads to another page (a key press, a click on a handle) and waits for that page. */
  toNextPage(action: () => Promise<unknown>): Promise<void>;
  close(): Promise<void>;
}

export interface BrowserSessionOptions {
  /** How long a wait may take before it fails (30 s unless told). */
  timeoutMs?: number;
}

export async function openBrowserSession(baseUrl: string, journey: string, options: BrowserSessionOptions = {}): Promise<BrowserSession> {
  const shotsDir = process.env.GJ_SCREENSHOT_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), `gj-${journey}-shots-`));
  fs.mkdirSync(shotsDir, { recursive: true });
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gj-chromium-'));
  const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS, `--user-data-dir=${profileDir}`] });
  const page = await browser.newPage();
  await page.setViewport({ width: 1440, height: 900 });
  page.setDefaultTimeout(options.timeoutMs ?? 30_000);
  let shot = 0;
  const session: BrowserSession = {
    browser,
    page,
    shotsDir,
    url: (pathname) => `${baseUrl}${pathname}`,
    async signIn(username) {
      const logout = await page.$('[data-testid="logout"]');
      if (logout) await session.toNextPage(() => logout.click());
      await page.goto(session.url('/login'), { waitUntil: 'networkidle0' });
      await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'login-username');
      await page.keyboard.type(username);
      await page.type('[data-testid="login-password"]', DEMO_PASSWORD);
      await session.submit('[data-testid="login-submit"]');
    },
    async screenshot(name) {
      shot += 1;
      await page.screenshot({ path: path.join(shotsDir, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
    },
    text: (selector) => page.$eval(selector, (el) => (el as HTMLElement).innerText.trim()),
    submit: (selector) => session.toNextPage(() => page.click(selector)),
    async toNextPage(action) {
      await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }), action()]);
    },
    async close() {
      await browser.close().catch(() => undefined);
      fs.rmSync(profileDir, { recursive: true, force: true });
    },
  };
  return session;
}
