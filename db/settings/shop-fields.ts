/** What a shop's settings may hold: platforms, sign methods and the limits every writer (pages, API, demo seeder) checks. */
import { TOP_SIGN_METHODS, type TopSignMethod } from '../../domain/taobao';

/** Taobao and Tmall speak TOP with the seller's credentials; a `csv` shop has no API access, only imports. */
export const SHOP_PLATFORMS = ['taobao', 'tmall', 'csv'] as const;
export type ShopPlatform = (typeof SHOP_PLATFORMS)[number];

export const SHOP_PLATFORM_LABELS: Record<ShopPlatform, { zh: string; en: string }> = {
  taobao: { zh: '淘宝（TOP 接口）', en: 'Taobao (TOP API)' },
  tmall: { zh: '天猫（TOP 接口）', en: 'Tmall (TOP API)' },
  csv: { zh: '仅 CSV 导入', en: 'CSV import only' },
};

export const SHOP_SIGN_METHODS: readonly TopSignMethod[] = TOP_SIGN_METHODS;

/** The real TOP router; the demo and tests point shops at the sandbox's /router/rest instead. */
export const TOP_ROUTER_URL = 'https://eco.taobao.com/router/rest';

export const SHOP_LIMITS = {
  code: /^[A-Za-z0-9_-]{2,40}$/,
  nameMax: 100,
  urlMax: 255,
  appKeyMax: 100,
  /** Sealed values must fit the 500-character columns: a secret this long seals to under 500. */
  secretMax: 300,
  pullIntervalSeconds: { min: 10, max: 86_400 },
  shipByHours: { min: 1, max: 720 },
  returnRemindDays: { min: 1, max: 90 },
  returnCloseDays: { min: 1, max: 180 },
} as const;

export function isShopPlatform(value: string): value is ShopPlatform {
  return (SHOP_PLATFORMS as readonly string[]).includes(value);
}

/** Whether pulls, refund checks and shipment syncs go through the platform's API for this shop. */
export function shopHasApi(platform: string): boolean {
  return platform === 'taobao' || platform === 'tmall';
}
