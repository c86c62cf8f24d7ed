/**
 * Runs the embedded stack's processes (Temporal dev server, sandbox, worker, web) as children and
 * restarts any that dies, for `npm start` and the fault drill alike; stopping ends the app processes
 * before the Temporal server, so nothing is cut off from its server mid-shutdown.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { guanjiaClientOptions } from '../api/temporal/temporal-security';
import { PROJECT_ROOT } from '../db/config';

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

export interface SupervisedChild extends ChildSpec {
  proc?: ChildProcess;
  /** How often it has exited and been started again. */
  restarts: number;
}

export interface SupervisorOptions {
  env?: NodeJS.ProcessEnv;
  /** Each line a child writes, with the child it came from. */
  output(child: SupervisedChild, line: string): void;
  /** Notes on exits and restarts. */
  say(message: string): void;
  /** How long to wait before starting a child that exited; default backs off from 2 s to 30 s. */
  restartDelayMs?(child: SupervisedChild): number;
}

export interface Supervisor {
  readonly children: readonly SupervisedChild[];
  start(spec: ChildSpec): SupervisedChild;
  /** SIGTERM to every child (app processes first, Temporal last), SIGKILL after 10 s. */
  stopAll(): Promise<void>;
}

export const TEMPORAL_CHILD = 'temporal';

const backoffMs = (child: SupervisedChild) => Math.min(30_000, 1_000 * 2 ** Math.min(child.restarts, 5));

export function createSupervisor(options: SupervisorOptions): Supervisor {
  const children: SupervisedChild[] = [];
  let stopping = false;

  function launch(child: SupervisedChild): void {
    // Each child leads a process group of its own: what it started (a worker's Chromium) goes with it when it dies,
    // and Ctrl-C reaches the supervisor alone, which stops the app before Temporal.
    const proc = spawn(child.command, child.args, { cwd: PROJECT_ROOT, env: { ...(options.env ?? process.env), ...child.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.proc = proc;
    for (const stream of [proc.stdout, proc.stderr]) {
      let buf = '';
      stream?.on('data', (chunk: Buffer) => {
        buf += chunk.toString();
        const lines = buf.split('\n');
        buf = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) options.output(child, line);
      });
    }
    proc.on('exit', (code, signal) => {
      // A child killed hard (kill -9, out of memory) leaves its own children running: end them before a restart.
      killGroup(proc, 'SIGKILL');
      if (stopping || child.proc !== proc) return;
      child.restarts += 1;
      const delay = (options.restartDelayMs ?? backoffMs)(child);
      options.say(`${child.name} exited (${signal ?? code}); restarting in ${(delay / 1000).toFixed(1)}s`);
      setTimeout(() => !stopping && launch(child), delay).unref();
    });
  }

  // Children in their own groups outlive a supervisor that exits without stopAll (an uncaught error, SIGHUP).
  process.once('exit', () => {
    for (const c of children) if (c.proc) killGroup(c.proc, 'SIGKILL');
  });

  return {
    children,
    start(spec) {
      const child: SupervisedChild = { ...spec, restarts: 0 };
      children.push(child);
      launch(child);
      return child;
    },
    async stopAll() {
      stopping = true;
      const stop = (list: SupervisedChild[]) =>
        Promise.all(list.filter((c) => c.proc && c.proc.exitCode === null && c.proc.signalCode === null).map((c) => new Promise<void>((resolve) => {
          c.proc!.once('exit', () => resolve());
          killGroup(c.proc!, 'SIGTERM');
          setTimeout(() => killGroup(c.proc!, 'SIGKILL'), 10_000).unref();
        })));
      await stop(children.filter((c) => c.name !== TEMPORAL_CHILD));
      await stop(children.filter((c) => c.name === TEMPORAL_CHILD));
    },
  };
}

function killGroup(proc: ChildProcess, signal: NodeJS.Signals): void {
  if (!proc.pid) return;
  try {
    process.kill(-proc.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** A TypeScript entry point of this project, run by the same Node with tsx. */
export function tsxChild(name: string, file: string, env: NodeJS.ProcessEnv = {}): ChildSpec {
  return { name, command: process.execPath, args: ['--import', 'tsx', path.join(PROJECT_ROOT, file)], env };
}

/** The Temporal CLI dev server from .tools/, keeping its state in dbFile so a restart (or a kill) loses nothing. */
/** `codecEndpoint`: the web app's /codec, so the UI shows encrypted payloads to a signed-in admin. */
export function temporalDevChild(settings: { dbFile: string; port: number; uiPort?: number; namespace: string; codecEndpoint?: string }): ChildSpec {
  return {
    name: TEMPORAL_CHILD,
    command: temporalCliPath(),
    args: ['server', 'start-dev', '--db-filename', settings.dbFile, '--ip', '127.0.0.1', '--port', String(settings.port),
      ...(settings.uiPort ? ['--ui-port', String(settings.uiPort)] : ['--headless']),
      ...(settings.uiPort && settings.codecEndpoint ? ['--ui-codec-endpoint', settings.codecEndpoint] : []),
      '--namespace', settings.namespace, '--log-level', 'warn'],
  };
}

export function temporalCliPath(): string {
  return path.join(PROJECT_ROOT, '.tools', 'venv', 'bin', 'temporal');
}

/** A client for the server at address, waiting up to timeoutMs for it to come up. */
export async function connectTemporal(address: string, namespace: string, timeoutMs = 60_000): Promise<Client> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      return new Client({ connection, namespace, ...guanjiaClientOptions() });
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`Temporal at ${address} is not reachable: ${String(err)}`, { cause: err });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
