/** Builds the Temporal workers: orders, pulls and print batches on the main queue, PDF rendering on `<queue>-print`. */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, DefaultLogger, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createPrintRenderer } from '../activities/print-renderer';
import type { Db } from '../db/orm';
import type { TemporalConnectionSettings } from './temporal-connection';
import { createOrderIntake } from '../integrations/order-intake';
import { shopPullControl } from './shop-pull-schedules';
import { actorKeyBundlerHook, guanjiaClientOptions, guanjiaDataConverter, temporalSecrets } from './temporal/temporal-security';

export interface WorkerSettings {
  db: Db;
  temporalAddress: string;
  namespace: string;
  /** mTLS / API key for secured clusters (see api/temporal-connection.ts). */
  tls?: TemporalConnectionSettings['tls'];
  apiKey?: string;
  taskQueue: string;
  /** Which queues this process serves: the main one, the print one, or both (default). */
  queues?: Array<'main' | 'print'>;
  /** A prebuilt workflow bundle (tests build it once); otherwise workflows/ is bundled at start. */
  workflowBundle?: { codePath: string };
  maxConcurrentActivities?: number;
}

export interface RunningWorkers {
  workers: Worker[];
  client: Client;
  /** Resolves when every worker has stopped (after shutdown()). */
  run(): Promise<void>;
  shutdown(): Promise<void>;
}

let loggerInstalled = false;

export async function createWorkers(settings: WorkerSettings): Promise<RunningWorkers> {
  if (!loggerInstalled) {
    loggerInstalled = true;
    // The SDK logs every poll at INFO; staff-facing logs only need warnings.
    const level = (process.env.WORKER_LOG_LEVEL as 'WARN' | undefined) ?? 'WARN';
    Runtime.install({
      logger: new DefaultLogger(level, (entry) => {
        // The print worker has activities only, by design; the SDK warns about it on every start.
        if (entry.message.startsWith('No workflows registered')) return;
        console.error(`[worker] ${entry.level} ${entry.message}`, entry.meta ?? '');
      }),
    });
  }
  const queues = settings.queues ?? ['main', 'print'];
  const secured = { ...(settings.tls ? { tls: settings.tls } : {}), ...(settings.apiKey ? { apiKey: settings.apiKey } : {}) };
  // Codec and actor keys first: a process without them must not start serving with payloads it cannot read.
  const secrets = temporalSecrets();
  const connection = await NativeConnection.connect({ address: settings.temporalAddress, ...secured });
  const clientConnection = await Connection.connect({ address: settings.temporalAddress, ...secured });
  const client = new Client({ connection: clientConnection, namespace: settings.namespace, ...guanjiaClientOptions(secrets) });
  const intake = createOrderIntake({ db: settings.db, temporal: client, taskQueue: settings.taskQueue });
  const renderer = createPrintRenderer();
  const activities = createActivities({ db: settings.db, intake, renderer, shopPulls: shopPullControl(client) });
  const workers: Worker[] = [];
  const common: Partial<WorkerOptions> = { connection, namespace: settings.namespace, activities, dataConverter: guanjiaDataConverter(secrets) };
  if (queues.includes('main')) {
    workers.push(
      await Worker.create({
        ...common,
        taskQueue: settings.taskQueue,
        ...(settings.workflowBundle
          ? { workflowBundle: settings.workflowBundle }
          : { workflowsPath: require.resolve('../workflows'), bundlerOptions: { webpackConfigHook: actorKeyBundlerHook(secrets) } }),
        maxConcurrentActivityTaskExecutions: settings.maxConcurrentActivities ?? 50,
      } as WorkerOptions),
    );
  }
  if (queues.includes('print')) {
    // Chromium uses both cores for a big batch; two renders at once is the most that helps.
    workers.push(await Worker.create({ ...common, taskQueue: `${settings.taskQueue}-print`, maxConcurrentActivityTaskExecutions: 2 } as WorkerOptions));
  }
  let running: Promise<void> | null = null;
  return {
    workers,
    client,
    run() {
      running ??= Promise.all(workers.map((w) => w.run())).then(() => undefined);
      return running;
    },
    async shutdown() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      if (running) await running;
      await renderer.close();
      await clientConnection.close();
      await connection.close();
    },
  };
}
