import { EntitySchema, OptionalProps } from '@mikro-orm/core';

export type WaybillProvider = 'pool' | 'cainiao';

/** A courier with where its tracking numbers come from and which provinces it does not serve. */
export class Courier {
  [OptionalProps]?: 'settings' | 'regionsNotServed' | 'template' | 'isDefault' | 'active' | 'privacyWaybill';
  id!: number;
  code!: string;
  name!: string;
  provider!: WaybillProvider;
  /** Provider settings, e.g. the e-waybill cp_code and sender address. */
  settings: Record<string, unknown> = {};
  /** Province short names (新疆, 西藏…) this courier does not deliver to. */
  regionsNotServed: string[] = [];
  /** Label template: waybill-76x130 or waybill-100x180. */
  template = 'waybill-100x180';
  isDefault = false;
  active = true;
  /** 隐私面单: the courier accepts labels with the buyer's phone masked, so ours print it masked. */
  privacyWaybill = false;
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
  },
});
