import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { endOrphanedBrowsers } from './orphaned-browsers';

function deadPid(): number {
  return spawnSync('true').pid!;
}

/** A process whose command line carries a browser profile flag, as Chromium's does (node, so no shell can exec it away). */
function lookalike(profile: string): { proc: ChildProcess; ended: Promise<NodeJS.Signals | null> } {
  fs.mkdirSync(profile, { recursive: true });
  const proc = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', '--', `--user-data-dir=${profile}`], { stdio: 'ignore' });
  // Listened for at once: another suite's print worker starting meanwhile may end it first, which is right too.
  const ended = new Promise<NodeJS.Signals | null>((resolve) => proc.once('exit', (_code, signal) => resolve(signal)));
  return { proc, ended };
}

const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`waited ${ms} ms for ${what}`)), ms).unref())]);

describe('browsers of print workers that were killed hard', () => {
  it('are ended and their profile folders removed; a live worker\'s browser is left alone', async () => {
    const orphanProfile = path.join(os.tmpdir(), `guanjia-print-${deadPid()}-1`);
    const liveProfile = path.join(os.tmpdir(), `guanjia-print-${process.pid}-99`);
    const orphan = lookalike(orphanProfile);
    const live = lookalike(liveProfile);
    try {
      await new Promise((r) => setTimeout(r, 300));
      endOrphanedBrowsers();
      expect(await within(orphan.ended, 10_000, 'the orphan to end')).toBe('SIGKILL');
      expect(fs.existsSync(orphanProfile)).toBe(false);
      expect(live.proc.exitCode).toBeNull();
      expect(live.proc.signalCode).toBeNull();
      expect(fs.existsSync(liveProfile)).toBe(true);
    } finally {
      live.proc.kill('SIGKILL');
      orphan.proc.kill('SIGKILL');
      fs.rmSync(liveProfile, { recursive: true, force: true });
      fs.rmSync(orphanProfile, { recursive: true, force: true });
    }
  });
});
