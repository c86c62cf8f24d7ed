/** Worker entry point: `npm run worker` (WORKER_QUEUES=main,print selects what this process serves). */
import { initORM } from '../db/orm';
import { createWorkers } from './create-workers';
import { temporalConnectionSettings } from './temporal-connection';
import { KeyRingError } from './temporal/key-ring';
import { temporalSecrets } from './temporal/temporal-security';

async function main(): Promise<void> {
  const temporal = temporalConnectionSettings();
  try {
    temporalSecrets();
  } catch (err) {
    if (!(err instanceof KeyRingError)) throw err;
    console.error(`worker: ${err.message}`);
    process.exit(2);
  }
  const db = await initORM();
  const queues = (process.env.WORKER_QUEUES ?? 'main,print').split(',').map((q) => q.trim()).filter((q): q is 'main' | 'print' => q === 'main' || q === 'print');
  const workers = await createWorkers({
    db,
    temporalAddress: temporal.address,
    namespace: temporal.namespace,
    tls: temporal.tls,
    apiKey: temporal.apiKey,
    taskQueue: process.env.TASK_QUEUE ?? 'guanjia',
    queues,
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void workers.shutdown().finally(() => db.close());
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  console.log(`worker: serving ${queues.join(' + ')} on task queue ${process.env.TASK_QUEUE ?? 'guanjia'}`);
  await workers.run();
  await db.close();
}

main().catch((err: unknown) => {
  console.error('worker failed:', err);
  process.exit(1);
});
