/** Turns print pages into a PDF with one warm Chromium per worker, so a batch pays for layout, not for a browser start. */
import fs from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import type { PrintPage } from './print/print-page';
import { loadPrintTemplates } from './print/load-print-templates';
import { browserProfileDir, endOrphanedBrowsers } from './print/orphaned-browsers';

export interface PrintRendererOptions {
  /** Chromium binary; defaults to $CHROMIUM_PATH, then Debian's /usr/bin/chromium. */
  executablePath?: string;
  /** Folder of the print templates; defaults to ui-templates/print. */
  templatesDir?: string;
  /** Pages rendered at once; each PDF keeps a renderer process busy, so about one per core. */
  concurrency?: number;
}

export interface PrintRenderer {
  /** Whether a page template of that name exists (a courier's label template is configured by name). */
  hasTemplate(template: string): boolean;
  /** One HTML document of the given pages, from templates compiled once. */
  renderHtml(pages: readonly PrintPage[]): string;
  renderPdf(html: string): Promise<Buffer>;
  close(): Promise<void>;
}

/** Flags for Chromium on a server: no sandbox as root, no GPU, and no calls home on a closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
  '--font-render-hinting=none',
];

// A 200-label batch takes seconds; Puppeteer's 30 s default would fail a large batch on a busy worker.
const RENDER_TIMEOUT_MS = 180_000;

/**
 * Keeps one Chromium for the life of the worker and starts a new one when it crashed or was closed, so a
 * dead browser costs one retry, never a stuck print queue; pages are limited so two batches do not starve each other.
 */
export function createPrintRenderer(options: PrintRendererOptions = {}): PrintRenderer {
  const executablePath = options.executablePath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const templates = loadPrintTemplates(options.templatesDir ?? path.resolve(__dirname, '..', 'ui-templates', 'print'));
  const limit = Math.max(1, options.concurrency ?? 2);
  // A worker that starts cleans up after one that was killed hard before it.
  endOrphanedBrowsers();
  let browser: Promise<Browser> | null = null;
  let launches = 0;
  let active = 0;
  const waiting: Array<() => void> = [];
  let closed = false;

  function warmBrowser(): Promise<Browser> {
    if (!browser) {
      const userDataDir = browserProfileDir(++launches);
      const launching = puppeteer.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, userDataDir });
      // A profile folder of our own is not removed by Puppeteer; it goes once the browser process has exited.
      void launching.then((b) => b.process()?.once('exit', () => fs.rm(userDataDir, { recursive: true, force: true }, () => undefined)), () => undefined);
      browser = launching;
      void launching.then(
        (b) => b.once('disconnected', () => { if (browser === launching) browser = null; }),
        () => { if (browser === launching) browser = null; },
      );
    }
    return browser;
  }

  async function slot(): Promise<() => void> {
    // A freed slot is handed straight to the next waiter, so a newcomer cannot slip in between and exceed the limit.
    if (active < limit) active += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    return () => {
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    };
  }

  async function print(html: string): Promise<Buffer> {
    const page = await (await warmBrowser()).newPage();
    try {
      await page.setContent(html, { waitUntil: 'load', timeout: RENDER_TIMEOUT_MS });
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true, timeout: RENDER_TIMEOUT_MS });
      return Buffer.from(pdf);
    } finally {
      await page.close().catch(() => undefined);
    }
  }

  return {
    hasTemplate: (template) => templates.has(template),
    renderHtml: (pages) => templates.document(pages),
    async renderPdf(html) {
      if (closed) throw new Error('打印渲染器已关闭');
      const release = await slot();
      try {
        return await print(html);
      } catch (err) {
        // A browser that died under this page is replaced once here; any other failure is the activity's to retry.
        const current = browser;
        const b = await current?.catch(() => null);
        if (b?.connected) throw err;
        if (browser === current) browser = null;
        return await print(html);
      } finally {
        release();
      }
    },
    async close() {
      closed = true;
      const b = await browser?.catch(() => null);
      browser = null;
      await b?.close();
    },
  };
}
