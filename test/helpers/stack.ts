/**
 * The whole system in one test process: a fresh database with the demo data, the sandbox platform on a
 * free port, and real workers on a task queue of their own on the shared Temporal dev server.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { createWorkers, type RunningWorkers } from '../../api/create-workers';
import { hashPassword } from '../../api/auth/passwords';
import type { Db } from '../../db/orm';
import { seedDemoData } from '../../db/seeders/demo-data';
import type { Actor } from '../../domain/roles';
import { createOrderIntake, type OrderIntake } from '../../integrations/order-intake';
import { SANDBOX_DEMO_APP_KEY, SANDBOX_DEMO_APP_SECRET, SANDBOX_DEMO_CATALOGUE, SANDBOX_DEMO_SESSION_KEY } from '../../integrations/sandbox/sandbox-demo-app';
import { createSandboxPlatform, type SandboxApp, type SandboxPlatform, type SandboxServer } from '../../integrations/sandbox/sandbox-platform';
import { createTestDb } from './test-db';


export interface Stack {
  /** Unique per stack: workflow ids (order:<shop>:<tid>) never collide between suites on one server. */
  shopCode: string;
  db: Db;
  client: Client;
  taskQueue: string;
  sandbox: SandboxPlatform;
  sandboxServer: SandboxServer;
  intake: OrderIntake;
  workers: RunningWorkers;
  close(): Promise<void>;
}

export const actors = {
  reviewer: { username: 'shendan', displayName: '审单 阿强', roles: ['reviewer'] } as Actor,
  warehouse: { username: 'cangku', displayName: '仓库 大刘', roles: ['warehouse'] } as Actor,
  customerService: { username: 'kefu', displayName: '客服 小美', roles: ['customer_service'] } as Actor,
  admin: { username: 'admin', displayName: '管理员 老王', roles: ['admin'] } as Actor,
};

/** Cheap hashing for seeded users in tests that never log in; suites that do log in use the real one. */
const fastHash = async (p: string) => `test$${p}`;

/** A fresh database with the demo data for a shop of its own, whose platform is a sandbox on a free port. */
export async function startSeededShop(options: { shopPrefix: string; seed: number; realPasswords?: boolean; extraApps?: SandboxApp[] }) {
  const testDb = await createTestDb();
  const shopCode = `${options.shopPrefix}${randomBytes(3).toString('hex')}`;
  const sandbox = createSandboxPlatform({
    // Extra apps are other shops' credentials on the same platform (a shop added through the settings pages).
    apps: [{ appKey: SANDBOX_DEMO_APP_KEY, appSecret: SANDBOX_DEMO_APP_SECRET, sessionKey: SANDBOX_DEMO_SESSION_KEY }, ...(options.extraApps ?? [])],
    catalogue: SANDBOX_DEMO_CATALOGUE,
    seed: options.seed,
  });
  const sandboxServer = await sandbox.listen(0);
  await seedDemoData(testDb.db, {
    shopCode, sandboxUrl: sandboxServer.routerUrl, appKey: SANDBOX_DEMO_APP_KEY, appSecret: SANDBOX_DEMO_APP_SECRET,
    sessionKey: SANDBOX_DEMO_SESSION_KEY, pullIntervalSeconds: 60, hashPassword: options.realPasswords ? hashPassword : fastHash,
  });
  return { testDb, shopCode, sandbox, sandboxServer };
}

export async function startStack(options: { realPasswords?: boolean; seed?: number; extraApps?: SandboxApp[] } = {}): Promise<Stack> {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set: run the tests with "npm test" (jest global setup starts Temporal)');
  const { testDb, shopCode, sandbox, sandboxServer } = await startSeededShop({ shopPrefix: 'tb', seed: options.seed ?? 7, realPasswords: options.realPasswords, extraApps: options.extraApps });
  const taskQueue = `gj-test-${randomBytes(4).toString('hex')}`;
  const workers = await createWorkers({
    db: testDb.db,
    temporalAddress: address,
    namespace: 'default',
    taskQueue,
    workflowBundle: process.env.GJ_WORKFLOW_BUNDLE ? { codePath: process.env.GJ_WORKFLOW_BUNDLE } : undefined,
  });
  void workers.run();
  const intake = createOrderIntake({ db: testDb.db, temporal: workers.client, taskQueue });
  return {
    shopCode,
    db: testDb.db,
    client: workers.client,
    taskQueue,
    sandbox,
    sandboxServer,
    intake,
    workers,
    async close() {
      await workers.shutdown();
      await sandbox.shutdown();
      await testDb.drop();
    },
  };
}

/** Waits until the read model says so (workflows write it asynchronously). */
export async function eventually<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
