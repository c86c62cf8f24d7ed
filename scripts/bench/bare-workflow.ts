/** The yardstick for intake: a workflow that does nothing but run as many activities as an order does to reach review. */
import { defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';

interface BareActivities {
  step(n: number): Promise<number>;
}

const { step } = proxyActivities<BareActivities>({ startToCloseTimeout: '30 seconds' });
export const bareSignal = defineSignal<[unknown]>('platformUpdate');

export async function bareWorkflow({ activities }: { activities: number }): Promise<void> {
  setHandler(bareSignal, () => undefined);
  for (let i = 0; i < activities; i++) await step(i);
}
