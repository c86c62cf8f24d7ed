/**
 * One pull of a shop's changed orders (抓单), run by the shop's Temporal Schedule: the activity walks the
 * modified-time windows from the shop's cursor, heartbeating its page, and submits every order it sees.
 */
import { proxyActivities } from '@temporalio/workflow';
import { innermostMessage } from '../domain/failure-message';
import type { Activities } from '../activities';
import type { ShopPullInput, ShopPullResult } from './messages';

const pull = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  // A stuck pull is noticed within a minute; the retry resumes from the last heartbeated page. Past three tries the
  // Schedule's next run (a minute later) is the retry, so the shop page shows the error instead of a silent backoff.
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 3 },
});

/** A pull that gives up ends with its error recorded on the shop, never as a failed workflow: the Schedule's next run resumes. */
export async function shopPullWorkflow({ shopCode }: ShopPullInput): Promise<ShopPullResult> {
  try {
    return await pull.pullShopOrders({ shopCode });
  } catch (err) {
    return { shopCode, pulled: 0, started: 0, signalled: 0, unchanged: 0, cursor: '', error: innermostMessage(err) };
  }
}
