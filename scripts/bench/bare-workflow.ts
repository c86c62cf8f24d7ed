/**
 * The yardstick for intake: an order's own first two activities (auto-review, then the read-model write with its
 * two audit rows) with no state machine, handlers or waits around them, ending where an order ends up too:
 * written as waiting for review, and waiting.
 */
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { OrderDraft } from '../../domain/order-draft';
import { SYSTEM_ACTOR } from '../../domain/roles';
import { auditEntry, initialSnapshot } from '../../workflows/order-state';

// The order workflow's database proxy: the same activities, the same retry policy.
const { autoReview, saveOrder } = proxyActivities<Pick<Activities, 'autoReview' | 'saveOrder'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
export const bareSignal = defineSignal<[unknown]>('platformUpdate');

export async function bareWorkflow({ draft }: { draft: OrderDraft }): Promise<void> {
  setHandler(bareSignal, () => undefined);
  const s = initialSnapshot(draft);
  const outcome = await autoReview(draft);
  s.status = outcome.status;
  s.version = 1;
  const at = new Date().toISOString();
  await saveOrder({
    snapshot: s,
    audit: [
      auditEntry(s.id, 1, 'submit', SYSTEM_ACTOR, at, `来源 ${draft.source}`),
      auditEntry(s.id, 2, 'auto_review', SYSTEM_ACTOR, at, outcome.reasons.join('；') || '无异常', null, { status: s.status }),
    ],
  });
  // An order now waits for its reviewer; so does this, and the bench has stopped its clock on the row above.
  await condition(() => false);
}
