/** Keeps one Temporal Schedule per active shop that runs its order pull (抓单) at the shop's interval. */
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { Shop } from '../db/entities';
import type { Db } from '../db/orm';

export function shopPullScheduleId(shopCode: string): string {
  return `shop-pull:${shopCode}`;
}

function scheduleFor(shop: Shop, taskQueue: string): ScheduleOptions {
  return {
    scheduleId: shopPullScheduleId(shop.code),
    spec: { intervals: [{ every: `${Math.max(10, shop.pullIntervalSeconds)}s` }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'shopPullWorkflow',
      workflowId: shopPullScheduleId(shop.code),
      taskQueue,
      args: [{ shopCode: shop.code }],
    },
    // A slow pull must not pile up a second one for the same shop; missed runs are not worth replaying.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
    state: { paused: !shop.active, note: `抓单 ${shop.name}` },
  };
}

/** Creates or updates every shop's schedule; returns the schedule ids. */
export async function ensureShopPullSchedules(client: Client, db: Db, taskQueue: string): Promise<string[]> {
  const shops = await db.em().find(Shop, {}, { orderBy: { id: 'asc' } });
  const ids: string[] = [];
  for (const shop of shops) {
    const options = scheduleFor(shop, taskQueue);
    try {
      await client.schedule.create(options);
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(options.scheduleId).update((prev) => ({
        ...prev,
        spec: options.spec,
        action: { ...prev.action, ...options.action } as typeof prev.action,
        policies: { ...prev.policies, ...options.policies },
        state: { ...prev.state, paused: !shop.active },
      }));
    }
    ids.push(options.scheduleId);
  }
  return ids;
}

/** Removes a shop's schedule (shop deleted or pulls switched off for good). */
export async function deleteShopPullSchedule(client: Client, shopCode: string): Promise<void> {
  try {
    await client.schedule.getHandle(shopPullScheduleId(shopCode)).delete();
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
}
