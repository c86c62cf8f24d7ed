/**
 * Real workers on a task queue of their own for one suite: for a page or API that must start work no other suite's
 * workers pick up, or for a print worker set up differently (e.g. a Chromium that is missing) beside the stack's.
 */
import { randomBytes } from 'node:crypto';
import { createWorkers, type RunningWorkers } from '../../api/create-workers';
import type { Db } from '../../db/orm';

export interface OwnWorkers extends RunningWorkers {
  taskQueue: string;
}

/** A task queue name no other suite uses. */
export function ownTaskQueue(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/**
 * `queue`: a name from ownTaskQueue, or a prefix for a new one; `env` is set only while the workers are built
 * (the print renderer reads CHROMIUM_PATH then).
 */
export async function workersOnOwnQueue(db: Db, queue: string | { taskQueue: string }, env: Record<string, string> = {}): Promise<OwnWorkers> {
  const taskQueue = typeof queue === 'string' ? ownTaskQueue(queue) : queue.taskQueue;
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  let workers: RunningWorkers;
  try {
    workers = await createWorkers({
      db,
      temporalAddress: process.env.TEMPORAL_ADDRESS!,
      namespace: 'default',
      taskQueue,
      workflowBundle: process.env.GJ_WORKFLOW_BUNDLE ? { codePath: process.env.GJ_WORKFLOW_BUNDLE } : undefined,
    });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  void workers.run();
  return Object.assign(workers, { taskQueue });
}
