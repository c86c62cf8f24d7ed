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
import { startStack, type Stack } from './stack';
import { startWebServer, type WebServer } from './web-server';

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

/** A browser journey's whole system: the stack, its web server and the Chromium page on it. */
export interface BrowserJourney {
  stack: Stack;
  web: WebServer;
  session: BrowserSession;
  page: Page;
  /** Closes Chromium, the web server and the stack, each even when another fails. */
  close(): Promise<void>;
}

export interface BrowserJourneyOptions extends BrowserSessionOptions {
  /** The task queue the web server starts workflows on (the stack's own unless told). */
  taskQueue?: string;
  temporalUiUrl?: string;
}

/** Starts the stack, its web server and a Chromium page on it; what started is closed again when a later part fails. */
export async function openBrowserJourney(journey: string, stackOptions: Parameters<typeof startStack>[0], options: BrowserJourneyOptions = {}): Promise<BrowserJourney> {
  const stack = await startStack(stackOptions);
  let web: WebServer | undefined;
  try {
    web = await startWebServer(stack, options.taskQueue ?? stack.taskQueue, options.temporalUiUrl);
    const session = await openBrowserSession(web.url, journey, options);
    const started = web;
    return {
      stack,
      web,
      session,
      page: session.page,
      async close() {
        await session.close();
        await started.close().catch(() => undefined);
        await stack.close().catch(() => undefined);
      },
    };
  } catch (err) {
    await web?.close().catch(() => undefined);
    await stack.close().catch(() => undefined);
    throw err;
  }
}
