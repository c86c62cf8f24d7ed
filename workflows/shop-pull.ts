/**
 * One pull of a shop's changed orders (抓单), run by the shop's Temporal Schedule: the activity walks the
 * modified-time windows from the shop's cursor, heartbeating its page, and submits every order it sees.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ShopPullInput, ShopPullResult } from './messages';

const pull = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  // A stuck pull is noticed within a minute; the retry resumes from the last heartbeated page.
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 10 },
});

export async function shopPullWorkflow({ shopCode }: ShopPullInput): Promise<ShopPullResult> {
  return await pull.pullShopOrders({ shopCode });
}
