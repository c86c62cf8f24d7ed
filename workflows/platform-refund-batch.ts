/**
 * 批量退款: the refunds finance confirmed together go to the platform in as few rp.refunds.agree calls as its limits
 * allow (≤ 20 refunds and ≤ ¥6,000 a call), and each case is told its own answer; a case that hears nothing, or
 * hears a failure, asks on its own, so a lost batch never loses a refund and a paid one is never paid twice.
 */
import { getExternalWorkflowHandle, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { innermostMessage } from '../domain/failure-message';
import { platformRefundResultSignal, type PlatformRefundBatchInput, type PlatformRefundResult } from './after-sale-messages';

const remote = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 3 },
});

export async function platformRefundBatchWorkflow({ shopCode, items }: PlatformRefundBatchInput): Promise<PlatformRefundResult[]> {
  let results: PlatformRefundResult[];
  try {
    results = await remote.refundBatchOnPlatform({ shopCode, items: items.map(({ refundId, amountFen, phase }) => ({ refundId, amountFen, phase })) });
  } catch (err) {
    const message = innermostMessage(err);
    results = items.map((i) => ({ refundId: i.refundId, ok: false, alreadyDone: false, message }));
  }
  for (const item of items) {
    const answer = results.find((r) => r.refundId === item.refundId) ?? { refundId: item.refundId, ok: false, alreadyDone: false, message: '平台没有回答这笔退款' };
    try {
      await getExternalWorkflowHandle(item.caseWorkflowId).signal(platformRefundResultSignal, answer);
    } catch {
      // A case that is gone (closed meanwhile) needs no answer; one that missed it asks the platform itself.
    }
  }
  return results;
}
