import { EntitySchema, OptionalProps } from '@mikro-orm/core';

/** A seller store on one platform, with the API credentials used to pull its orders. */
export class Shop {
  [OptionalProps]?: 'pullCursor' | 'refundCursor' | 'returnRemindDays' | 'returnCloseDays' | 'lastPullAt' | 'lastPullError' | 'authExpiredAt' | 'active' | 'createdAt';
  id!: number;
  code!: string;
  platform!: string;
  name!: string;
  apiUrl!: string;
  appKey!: string;
  /** Sealed (db/shop-secret-box.ts); opened only by the activities that call the platform and by 测试连接. */
  appSecret!: string;
  /** Sealed like appSecret; '' for a CSV-only shop. */
  sessionKey!: string;
  signMethod!: string;
  pullIntervalSeconds!: number;
  shipByHours!: number;
  /** A return parcel not received this many days after the return was agreed: the case reminds, then closes. */
  returnRemindDays = 7;
  returnCloseDays = 15;
  /** Modified-time up to which orders have been pulled (the shop-pull cursor). */
  pullCursor: Date | null = null;
  /** Refunds are pulled by their own modified time: everything up to here has been read. */
  refundCursor: Date | null = null;
  lastPullAt: Date | null = null;
  lastPullError: string | null = null;
  /** When the platform said the session key is invalid or expired (授权已过期): pulls stay paused until a new one is saved. */
  authExpiredAt: Date | null = null;
  active = true;
  createdAt: Date = new Date();
}

export const ShopSchema = new EntitySchema<Shop>({
  class: Shop,
  tableName: 'shop',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    code: { type: 'string', length: 40, unique: true },
    platform: { type: 'string', length: 20 },
    name: { type: 'string', length: 100 },
    apiUrl: { type: 'string', length: 255 },
    appKey: { type: 'string', length: 100 },
    appSecret: { type: 'string', length: 500 },
    sessionKey: { type: 'string', length: 500 },
    signMethod: { type: 'string', length: 20, default: 'md5' },
    pullIntervalSeconds: { type: 'integer', default: 60 },
    shipByHours: { type: 'integer', default: 48 },
    returnRemindDays: { type: 'integer', default: 7 },
    returnCloseDays: { type: 'integer', default: 15 },
    pullCursor: { type: 'datetime', nullable: true },
    refundCursor: { type: 'datetime', nullable: true },
    lastPullAt: { type: 'datetime', nullable: true },
    lastPullError: { type: 'text', nullable: true },
    authExpiredAt: { type: 'datetime', nullable: true },
    active: { type: 'boolean', default: true },
    createdAt: { type: 'datetime' },
  },
});
