/** A Temporal server for a script (benchmarks, history recording): TEMPORAL_ADDRESS if set, else a fresh in-memory dev server from .tools/. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../db/config';
import { freePort, waitForPort } from './ports';

// The CLI runs as a child process, not through the SDK's test environment, so this process's SDK
// runtime is the workers' own (one runtime per process).
export async function startTemporalDevServer(): Promise<{ address: string; stop(): Promise<void> }> {
  if (process.env.TEMPORAL_ADDRESS) return { address: process.env.TEMPORAL_ADDRESS, stop: async () => undefined };
  const port = await freePort();
  const child = spawn(path.join(PROJECT_ROOT, '.tools', 'venv', 'bin', 'temporal'),
    ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'error'], { stdio: 'ignore' });
  await waitForPort(port);
  return {
    address: `127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
