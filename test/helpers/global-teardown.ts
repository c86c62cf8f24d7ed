/** Stops the Temporal dev server global-setup started. */
import type { TestWorkflowEnvironment } from '@temporalio/testing';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __GJ_TEMPORAL__?: TestWorkflowEnvironment }).__GJ_TEMPORAL__?.teardown();
}
