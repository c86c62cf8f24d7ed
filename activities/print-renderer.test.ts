import { execFileSync } from 'node:child_process';
import { pdfPageCount, pdfPages } from '../test/helpers/pdf';
import { createPrintRenderer, type PrintRenderer } from './print-renderer';

const html = (text: string): string => `<!doctype html><html><head><meta charset="utf-8">
<style>@page { size: 100mm 180mm; margin: 0 } body { font-family: "Noto Sans CJK SC", sans-serif }</style>
</head><body>${text}</body></html>`;

/** Chromium processes this test process started (puppeteer launches the browser as a direct child). */
function chromiumChildren(): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)]).toString();
  return out.split('\n').map((l) => l.trim().split(/\s+/)).filter(([, comm]) => comm && /chrom/i.test(comm)).map(([pid]) => Number(pid));
}

let renderer: PrintRenderer;

beforeAll(() => {
  renderer = createPrintRenderer();
});

afterAll(async () => {
  await renderer?.close();
});

it('renders Chinese text into a PDF with one warm browser for several batches at once', async () => {
  const pdfs = await Promise.all(['甲批次', '乙批次', '丙批次'].map((t) => renderer.renderPdf(html(t))));
  expect(pdfs.map((p) => pdfPages(p)[0]?.trim())).toEqual(['甲批次', '乙批次', '丙批次']);
  expect(chromiumChildren()).toHaveLength(1);
});

it('starts a new browser when the warm one has died, so the next batch still prints', async () => {
  await renderer.renderPdf(html('预热'));
  const [dead] = chromiumChildren();
  expect(dead).toBeDefined();
  process.kill(dead!, 'SIGKILL');
  const pdf = await renderer.renderPdf(html('重新启动后'));
  expect(pdfPageCount(pdf)).toBe(1);
  expect(pdfPages(pdf)[0]).toContain('重新启动后');
  expect(chromiumChildren()).not.toContain(dead);
});
