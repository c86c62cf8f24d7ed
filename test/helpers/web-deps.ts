/** The web app's dependencies on a test stack: its database, its Temporal client and task queue, plain-HTTP cookies. */
import type { AppDeps } from '../../api/env';
import type { Stack } from './stack';

export function webDeps(stack: Pick<Stack, 'db' | 'client' | 'taskQueue'>): AppDeps {
  return {
    db: stack.db,
    temporal: stack.client,
    config: { taskQueue: stack.taskQueue, baseUrl: 'http://127.0.0.1:3000', secureCookies: false, sessionHours: 12, temporalUiUrl: 'http://127.0.0.1:8233' },
  };
}
