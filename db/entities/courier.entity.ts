import { EntitySchema, OptionalProps } from '@mikro-orm/core';

export type WaybillProvider = 'pool' | 'cainiao';

/** A courier with where its tracking numbers come from and which provinces it does not serve. */
export class Courier {
  [OptionalProps]?: 'settings' | 'regionsNotServed' | 'template' | 'isDefault' | 'active' | 'privacyWaybill' | 'reuseCancelled' | 'lowRollThreshold';
  id!: number;
  code!: string;
  name!: string;
  provider!: WaybillProvider;
  /** Provider settings: the e-waybill cpCode, branchCode and shopCode (whose e-waybill account issues the numbers). */
  settings: Record<string, unknown> = {};
  /** Province short names (新疆, 西藏…) this courier does not deliver to. */
  regionsNotServed: string[] = [];
  /** Label template: waybill-76x130 or waybill-100x180. */
  template = 'waybill-100x180';
  isDefault = false;
  active = true;
  /** 隐私面单: the courier accepts labels with the buyer's phone masked, so ours print it masked. */
  privacyWaybill = false;
  /** 号段: whether a cancelled, never-printed number goes back to the roll (else it is void). */
  reuseCancelled = true;
  /** 号段: below this many free numbers the pages warn that the roll runs low. */
  lowRollThreshold = 200;
}

export const CourierSchema = new EntitySchema<Courier>({
  class: Courier,
  tableName: 'courier',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    code: { type: 'string', length: 20, unique: true },
    name: { type: 'string', length: 60 },
    provider: { type: 'string', length: 20 },
    settings: { type: 'json' },
    regionsNotServed: { type: 'json' },
    template: { type: 'string', length: 40, default: 'waybill-100x180' },
    isDefault: { type: 'boolean', default: false },
    active: { type: 'boolean', default: true },
    privacyWaybill: { type: 'boolean', default: false },
    reuseCancelled: { type: 'boolean', default: true },
    lowRollThreshold: { type: 'integer', default: 200 },
  },
});
