/** Reads a PDF as a person would check it: how many pages, and what text is on them (poppler's tools). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function withFile<T>(pdf: Buffer, fn: (file: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gj-pdf-'));
  const file = path.join(dir, 'doc.pdf');
  fs.writeFileSync(file, pdf);
  try {
    return fn(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function pdfPageCount(pdf: Buffer): number {
  return withFile(pdf, (file) => {
    const info = execFileSync('pdfinfo', [file]).toString();
    return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? 0);
  });
}

/** Text of each page, in order. */
export function pdfPages(pdf: Buffer): string[] {
  return withFile(pdf, (file) => execFileSync('pdftotext', ['-layout', file, '-']).toString().split('\f').slice(0, -1));
}
