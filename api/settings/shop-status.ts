/**
 * How a shop's pulls stand, for its page and the API: last pull, cursors, last error, 授权已过期, orders pulled today
 * and the schedule's next run. Never the secrets: only whether each is set.
 */
import type { Client } from '@temporalio/client';
import { AuditEvent, PlatformOrder, Shop } from '../../db/entities';
import type { Db } from '../../db/orm';
import { shopView } from '../../db/settings/save-shop';
import { SHOP_PLATFORM_LABELS, isShopPlatform, shopHasApi } from '../../db/settings/shop-fields';
import { shanghaiDayStart, shanghaiToday } from '../format-time';
import { describeShopPullSchedule, type ShopPullScheduleState } from '../shop-pull-schedules';

export interface ShopStatus {
  lastPullAt: Date | null;
  pullCursor: Date | null;
  refundCursor: Date | null;
  lastPullError: string | null;
  authExpired: boolean;
  authExpiredAt: Date | null;
  pulledToday: number;
  /** null when Temporal could not be asked just now. */
  schedule: ShopPullScheduleState | null;
}

export function platformLabel(platform: string, locale: 'zh-CN' | 'en'): string {
  return isShopPlatform(platform) ? SHOP_PLATFORM_LABELS[platform][locale === 'en' ? 'en' : 'zh'] : platform;
}

export async function pulledToday(db: Db, shopCode: string): Promise<number> {
  return db.em().fork().count(PlatformOrder, { shopCode, source: 'pull', receivedAt: { $gte: shanghaiDayStart(shanghaiToday()) } });
}

export async function shopStatus(db: Db, temporal: Client, shop: Shop): Promise<ShopStatus> {
  return {
    lastPullAt: shop.lastPullAt,
    pullCursor: shop.pullCursor,
    refundCursor: shop.refundCursor,
    lastPullError: shop.lastPullError,
    authExpired: shop.authExpiredAt !== null,
    authExpiredAt: shop.authExpiredAt,
    pulledToday: await pulledToday(db, shop.code),
    schedule: shopHasApi(shop.platform) ? await describeShopPullSchedule(temporal, shop.code) : { exists: false, paused: false, note: '', nextRunAt: null, recentWorkflowIds: [] },
  };
}

export async function listShops(db: Db): Promise<Shop[]> {
  return db.em().fork().find(Shop, {}, { orderBy: { active: 'desc', code: 'asc' } });
}

export async function findShop(db: Db, code: string): Promise<Shop | null> {
  return db.em().fork().findOne(Shop, { code });
}

export async function shopHistory(db: Db, code: string): Promise<AuditEvent[]> {
  return db.em().fork().find(AuditEvent, { entityType: 'shop', entityId: code }, { orderBy: { at: 'desc', id: 'desc' }, limit: 100 });
}

/** The JSON the API answers for a shop: its settings (secrets only as set or not) and how its pulls stand. */
export function shopJson(shop: Shop, status?: ShopStatus): Record<string, unknown> {
  const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
  return {
    ...shopView(shop),
    authExpiredAt: iso(shop.authExpiredAt),
    createdAt: iso(shop.createdAt),
    ...(status
      ? {
          status: {
            lastPullAt: iso(status.lastPullAt), pullCursor: iso(status.pullCursor), refundCursor: iso(status.refundCursor),
            lastPullError: status.lastPullError, authExpired: status.authExpired, pulledToday: status.pulledToday,
            schedule: status.schedule ? { exists: status.schedule.exists, paused: status.schedule.paused, note: status.schedule.note, nextRunAt: iso(status.schedule.nextRunAt) } : null,
          },
        }
      : {}),
  };
}
