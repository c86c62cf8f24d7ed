import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { endOrphanedBrowsers } from './orphaned-browsers';

function deadPid(): number {
  return spawnSync('true').pid!;
}

describe('browsers of print workers that were killed hard', () => {
  it('are ended and their profile folders removed; a live worker\'s browser is left alone', async () => {
    const orphanProfile = path.join(os.tmpdir(), `guanjia-print-${deadPid()}-1`);
    const liveProfile = path.join(os.tmpdir(), `guanjia-print-${process.pid}-99`);
    fs.mkdirSync(orphanProfile, { recursive: true });
    fs.mkdirSync(liveProfile, { recursive: true });
    // `sh -c` keeps the flag in the command line the way Chromium's own arguments are.
    const orphan = spawn('sh', ['-c', 'sleep 60', `--user-data-dir=${orphanProfile}`], { stdio: 'ignore' });
    const live = spawn('sh', ['-c', 'sleep 60', `--user-data-dir=${liveProfile}`], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 200));
    try {
      const orphanExit = new Promise((resolve) => orphan.once('exit', (_code, signal) => resolve(signal)));
      const result = endOrphanedBrowsers();
      expect(await orphanExit).toBe('SIGKILL');
      expect(result.killed).toBeGreaterThanOrEqual(1);
      expect(fs.existsSync(orphanProfile)).toBe(false);
      expect(live.exitCode).toBeNull();
      expect(fs.existsSync(liveProfile)).toBe(true);
    } finally {
      live.kill('SIGKILL');
      orphan.kill('SIGKILL');
      fs.rmSync(liveProfile, { recursive: true, force: true });
    }
  });
});
