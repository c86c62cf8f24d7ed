import { EntitySchema, OptionalProps } from '@mikro-orm/core';

export type WarehouseKind = 'normal' | 'returns' | 'out_of_area';

/** A place stock lives in: the normal ship-from warehouse, the returns warehouse or the 超区 parking lot. */
export class Warehouse {
  [OptionalProps]?: 'allowNegative' | 'isDefault' | 'active' | 'contactName' | 'contactPhone' | 'province' | 'city' | 'district' | 'detail';
  id!: number;
  code!: string;
  name!: string;
  kind!: WarehouseKind;
  /** Whether available stock may go below zero (presales). */
  allowNegative = false;
  isDefault = false;
  active = true;
  /** The sender printed on labels of parcels shipped from here, and the address e-waybills are applied for with. */
  contactName = '';
  contactPhone = '';
  province = '';
  city = '';
  district = '';
  detail = '';
}

export const WarehouseSchema = new EntitySchema<Warehouse>({
  class: Warehouse,
  tableName: 'warehouse',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    code: { type: 'string', length: 40, unique: true },
    name: { type: 'string', length: 100 },
    kind: { type: 'string', length: 20 },
    allowNegative: { type: 'boolean', default: false },
    isDefault: { type: 'boolean', default: false },
    active: { type: 'boolean', default: true },
    contactName: { type: 'string', length: 60, default: '' },
    contactPhone: { type: 'string', length: 40, default: '' },
    province: { type: 'string', length: 40, default: '' },
    city: { type: 'string', length: 40, default: '' },
    district: { type: 'string', length: 40, default: '' },
    detail: { type: 'string', length: 255, default: '' },
  },
});
