/**
 * Starts a workflow whose id names one business action (a print run, an import) exactly once: a second start of the
 * same id, running or finished, gets the first run's handle instead, so a resent request never does the work twice.
 */
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';

export async function startWorkflowOnce(
  temporal: Client,
  workflowType: string,
  options: { workflowId: string; taskQueue: string; args: unknown[] },
): Promise<{ handle: WorkflowHandle; repeated: boolean }> {
  try {
    const handle = await temporal.workflow.start(workflowType, { ...options, workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE });
    return { handle, repeated: false };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return { handle: temporal.workflow.getHandle(options.workflowId), repeated: true };
  }
}
