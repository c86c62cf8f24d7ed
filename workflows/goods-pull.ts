/**
 * 获取平台商品 for one shop, in the background (workflow id goods-pull:<shop>, one at a time): lists the listings on
 * sale, then reads them with their SKUs a batch at a time, so a shop of hundreds of items neither holds a web request
 * nor starts over when a worker restarts; the mapping page polls its progress. It ends with the platform's refusal
 * in words rather than failing.
 */
import { proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { innermostMessage } from '../domain/failure-message';
import { goodsPullProgressQuery, type GoodsPullInput, type GoodsPullProgress } from './goods-pull-messages';

const platform = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  // Each item is one platform call and a heartbeat; a worker lost mid-batch is noticed within a minute.
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 3 },
});

const DEFAULT_BATCH = 50;

export async function goodsPullWorkflow({ shopCode, batchSize }: GoodsPullInput): Promise<GoodsPullProgress> {
  const size = Math.max(1, Math.min(200, batchSize ?? DEFAULT_BATCH));
  const progress: GoodsPullProgress = { shopCode, stage: 'listing', items: 0, itemsDone: 0, seen: 0, added: 0, error: '' };
  setHandler(goodsPullProgressQuery, () => progress);
  try {
    const numIids = await platform.listOnsaleItems({ shopCode });
    progress.items = numIids.length;
    progress.stage = 'pulling';
    for (let i = 0; i < numIids.length; i += size) {
      const batch = numIids.slice(i, i + size);
      const r = await platform.pullGoodsBatch({ shopCode, numIids: batch });
      progress.itemsDone += batch.length;
      progress.seen += r.seen;
      progress.added += r.added;
    }
    progress.stage = 'done';
  } catch (err) {
    progress.stage = 'failed';
    progress.error = innermostMessage(err);
  }
  return progress;
}
