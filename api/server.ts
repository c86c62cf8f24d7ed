/** Starts the web process: reads its settings, opens the database, waits for Temporal, listens, and closes all on SIGINT/SIGTERM. */
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { initORM } from '../db/orm';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { ensureShopPullSchedules } from './shop-pull-schedules';
import { ensureRetentionSchedule } from './privacy/retention-schedule';
import { temporalConnectionSettings } from './temporal-connection';
import { KeyRingError } from './temporal/key-ring';
import { guanjiaClientOptions, temporalSecrets } from './temporal/temporal-security';

async function connectTemporal(address: string, namespace: string, stopping: () => boolean): Promise<Client> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { tls, apiKey } = temporalConnectionSettings();
      const connection = await Connection.connect({ address, ...(tls ? { tls } : {}), ...(apiKey ? { apiKey } : {}) });
      return new Client({ connection, namespace, ...guanjiaClientOptions() });
    } catch (err) {
      if (stopping()) throw err;
      // The embedded dev server may still be starting; keep trying, quietly after the first few notes.
      if (attempt <= 3 || attempt % 10 === 0) console.warn(`[web] Temporal at ${address} not reachable yet (attempt ${attempt}): ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, Math.min(5000, 500 * attempt)));
    }
  }
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
    temporalSecrets();
  } catch (err) {
    if (err instanceof ConfigError || err instanceof KeyRingError) {
      console.error(`[web] configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  let stopping = false;
  const db = await initORM();
  const temporal = await connectTemporal(config.temporalAddress, config.temporalNamespace, () => stopping);
  // Each shop's pull runs from a Temporal Schedule; keeping them here means any deployment has them.
  const schedules = await ensureShopPullSchedules(temporal, db, config.app.taskQueue);
  console.log(`[web] shop pull schedules: ${schedules.join(', ') || '(no shops yet)'}`);
  // The daily purge of data past its retention period (数据保留) runs from its own Schedule, made here too.
  console.log(`[web] retention schedule: ${await ensureRetentionSchedule(temporal, config.app.taskQueue)}`);
  const app = createApp({ db, temporal, config: config.app });
  const server = serve({ fetch: app.fetch, port: config.port }, (info) => {
    console.log(`[web] listening on http://127.0.0.1:${info.port} (Temporal ${config.temporalAddress}, namespace ${config.temporalNamespace})`);
  });

  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`[web] ${signal}: closing`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close(() => {
      void Promise.allSettled([temporal.connection.close(), db.close()]).then(() => process.exit(0));
    });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error('[web] failed to start:', err);
  process.exit(1);
});
