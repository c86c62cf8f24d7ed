/**
 * Keeps one Temporal Schedule per API shop that runs its order pull (抓单) at the shop's interval: running while the
 * shop is active and its authorisation good, paused (with the reason as its note) otherwise; a CSV-only shop has none.
 */
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleOptions,
} from '@temporalio/client';
import type { ShopPullControl } from '../activities/shop-api';
import { Shop } from '../db/entities';
import type { Db } from '../db/orm';
import { shopHasApi } from '../db/settings/shop-fields';

export function shopPullScheduleId(shopCode: string): string {
  return `shop-pull:${shopCode}`;
}

/** Why a shop's pulls are paused, in the words its page and the Temporal UI show; null when they run. */
export function pauseNoteFor(shop: Shop): string | null {
  if (!shop.active) return `店铺已停用：${shop.name}`;
  if (shop.authExpiredAt) return `授权已过期：${shop.name}，保存新的 SessionKey 后恢复抓单`;
  return null;
}

function scheduleFor(shop: Shop, taskQueue: string): ScheduleOptions {
  const note = pauseNoteFor(shop);
  return {
    scheduleId: shopPullScheduleId(shop.code),
    spec: { intervals: [{ every: `${Math.max(10, shop.pullIntervalSeconds)}s` }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'shopPullWorkflow',
      workflowId: shopPullScheduleId(shop.code),
      taskQueue,
      // Only the code: the workflow's history must never hold the shop's credentials; the activity reads them.
      args: [{ shopCode: shop.code }],
    },
    // A slow pull must not pile up a second one for the same shop; missed runs are not worth replaying.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
    state: { paused: note !== null, note: note ?? `抓单 ${shop.name}` },
  };
}

/** Creates, updates or pauses one shop's schedule (a CSV-only shop's is removed); returns its id, or null when it has none. */
export async function syncShopPullSchedule(client: Client, shop: Shop, taskQueue: string): Promise<string | null> {
  if (!shopHasApi(shop.platform)) {
    await deleteShopPullSchedule(client, shop.code);
    return null;
  }
  const options = scheduleFor(shop, taskQueue);
  try {
    await client.schedule.create(options);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    const handle = client.schedule.getHandle(options.scheduleId);
    await handle.update((prev) => ({
      ...prev,
      spec: options.spec,
      action: { ...prev.action, ...options.action } as typeof prev.action,
      policies: { ...prev.policies, ...options.policies },
    }));
    // Pause and unpause carry the note the Temporal UI shows; update() would keep the old one.
    const paused = options.state?.paused ?? false;
    const note = options.state?.note ?? '';
    if (paused) await handle.pause(note);
    else await handle.unpause(note);
  }
  return options.scheduleId;
}

/** Creates or updates every shop's schedule; returns the schedule ids. */
export async function ensureShopPullSchedules(client: Client, db: Db, taskQueue: string): Promise<string[]> {
  const shops = await db.em().find(Shop, {}, { orderBy: { id: 'asc' } });
  const ids: string[] = [];
  for (const shop of shops) {
    const id = await syncShopPullSchedule(client, shop, taskQueue);
    if (id) ids.push(id);
  }
  return ids;
}

/** Removes a shop's schedule (a shop turned CSV-only, or pulls switched off for good). */
export async function deleteShopPullSchedule(client: Client, shopCode: string): Promise<void> {
  try {
    await client.schedule.getHandle(shopPullScheduleId(shopCode)).delete();
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
}

/** 立即抓单: one run now, by the schedule itself, so its overlap rule still keeps one pull per shop at a time. */
export async function triggerShopPull(client: Client, shopCode: string): Promise<void> {
  await client.schedule.getHandle(shopPullScheduleId(shopCode)).trigger(ScheduleOverlapPolicy.SKIP);
}

export interface ShopPullScheduleState {
  exists: boolean;
  paused: boolean;
  note: string;
  nextRunAt: Date | null;
  /** The pull workflows it started most recently, newest first. */
  recentWorkflowIds: string[];
}

/** What the schedule says now, for the shop page; null when Temporal cannot be asked. */
export async function describeShopPullSchedule(client: Client, shopCode: string): Promise<ShopPullScheduleState | null> {
  let d: ScheduleDescription;
  try {
    d = await client.schedule.getHandle(shopPullScheduleId(shopCode)).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return { exists: false, paused: false, note: '', nextRunAt: null, recentWorkflowIds: [] };
    return null;
  }
  return {
    exists: true,
    paused: d.state.paused,
    note: d.state.note ?? '',
    nextRunAt: d.state.paused ? null : d.info.nextActionTimes[0] ?? null,
    recentWorkflowIds: [...d.info.recentActions].reverse().map((a) => a.action.workflow.workflowId),
  };
}

/** What the worker's pull activity uses to pause a shop whose authorisation the platform refused. */
export function shopPullControl(client: Client): ShopPullControl {
  return {
    async pause(shopCode, note) {
      try {
        await client.schedule.getHandle(shopPullScheduleId(shopCode)).pause(note);
      } catch (err) {
        // A shop pulled by hand without a schedule has nothing to pause; its page still says 授权已过期.
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      }
    },
    async resume(shopCode, note) {
      try {
        await client.schedule.getHandle(shopPullScheduleId(shopCode)).unpause(note);
      } catch (err) {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      }
    },
  };
}
