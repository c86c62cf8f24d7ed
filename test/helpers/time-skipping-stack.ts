/**
 * The system on the time-skipping test server (`temporal-test-server` from .tools/): a fresh database with the
 * demo data, the sandbox platform and a real worker with every activity, so days of timers pass in seconds.
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createPrintRenderer } from '../../activities/print-renderer';
import { shopPullControl } from '../../api/shop-pull-schedules';
import { actorKeyBundlerHook, guanjiaClientOptions, guanjiaDataConverter, temporalSecrets } from '../../api/temporal/temporal-security';
import type { Db } from '../../db/orm';
import { createOrderIntake, type OrderIntake } from '../../integrations/order-intake';
import type { SandboxPlatform } from '../../integrations/sandbox/sandbox-platform';
import { startSeededShop } from './stack';

export interface TimeSkippingStack {
  env: TestWorkflowEnvironment;
  shopCode: string;
  taskQueue: string;
  db: Db;
  client: TestWorkflowEnvironment['client'];
  sandbox: SandboxPlatform;
  intake: OrderIntake;
  close(): Promise<void>;
}

const TEST_SERVER = path.resolve(__dirname, '../../.tools/venv/bin/temporal-test-server');

/**
 * The SDK's environment starts the test server and owns the process's Temporal runtime, so the worker is built here
 * with Worker.create on its connection instead of api/create-workers.ts (which installs a runtime of its own).
 */
export async function startTimeSkippingStack(): Promise<TimeSkippingStack> {
  try {
    // Every failed sync attempt is a warning at the SDK's default level; a process whose workers already installed
    // a runtime (the history recorder) keeps that one.
    Runtime.install({ logger: new DefaultLogger((process.env.WORKER_LOG_LEVEL as LogLevel | undefined) ?? 'WARN') });
  } catch {
    // already installed
  }
  // Decisions are signed with the test server's time, which runs days ahead of the wall clock once timers are skipped.
  const clock: { env?: TestWorkflowEnvironment } = {};
  const serverTime = async () => new Date(clock.env ? await clock.env.currentTimeMs() : Date.now());
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: TEST_SERVER } },
    client: guanjiaClientOptions(temporalSecrets(), serverTime),
  });
  clock.env = env;
  const { testDb, shopCode, sandbox } = await startSeededShop({ shopPrefix: 'ts', seed: 11 });
  const taskQueue = `gj-ts-${randomBytes(4).toString('hex')}`;
  const intake = createOrderIntake({ db: testDb.db, temporal: env.client, taskQueue });
  const renderer = createPrintRenderer();
  const bundle = process.env.GJ_WORKFLOW_BUNDLE;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    dataConverter: guanjiaDataConverter(),
    ...(bundle ? { workflowBundle: { codePath: bundle } } : { workflowsPath: require.resolve('../../workflows'), bundlerOptions: { webpackConfigHook: actorKeyBundlerHook() } }),
    activities: createActivities({ db: testDb.db, intake, renderer, shopPulls: shopPullControl(env.client) }),
  });
  const running = worker.run();
  return {
    env,
    shopCode,
    taskQueue,
    db: testDb.db,
    client: env.client,
    sandbox,
    intake,
    async close() {
      worker.shutdown();
      await running;
      await renderer.close();
      await sandbox.shutdown();
      await testDb.drop();
      await env.teardown();
    },
  };
}
