/**
 * A print worker killed hard (kill -9, out of memory) cannot close its Chromium: Puppeteer starts the browser in a
 * process group of its own, so it outlives the worker. Each worker names its browser's profile folder after its own
 * pid; the next worker to start ends every browser whose worker is gone and removes its folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PREFIX = 'guanjia-print-';

/** The profile folder for this process's browser: `<tmp>/guanjia-print-<pid>-<n>`. */
export function browserProfileDir(n: number): string {
  return path.join(os.tmpdir(), `${PREFIX}${process.pid}-${n}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Ends the browsers (and removes the profile folders) of print workers that no longer run. Linux /proc only; elsewhere nothing. */
export function endOrphanedBrowsers(): { killed: number; removed: number } {
  const ownerOf = (dir: string) => Number(new RegExp(`${PREFIX}(\\d+)-`).exec(dir)?.[1] ?? NaN);
  let killed = 0;
  let removed = 0;
  for (const pid of safeList('/proc').filter((p) => /^\d+$/.test(p))) {
    const cmdline = readOrEmpty(`/proc/${pid}/cmdline`);
    const dir = /--user-data-dir=([^\0]+)/.exec(cmdline)?.[1] ?? '';
    const owner = ownerOf(path.basename(dir));
    if (!dir.startsWith(path.join(os.tmpdir(), PREFIX)) || !Number.isFinite(owner) || alive(owner)) continue;
    try {
      process.kill(Number(pid), 'SIGKILL');
      killed += 1;
    } catch {
      // Gone meanwhile.
    }
  }
  for (const entry of safeList(os.tmpdir())) {
    if (!entry.startsWith(PREFIX) || alive(ownerOf(entry))) continue;
    fs.rmSync(path.join(os.tmpdir(), entry), { recursive: true, force: true });
    removed += 1;
  }
  return { killed, removed };
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function safeList(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
