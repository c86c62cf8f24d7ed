import { EntitySchema, OptionalProps } from '@mikro-orm/core';

export type WarehouseKind = 'normal' | 'returns' | 'out_of_area';

/** A place stock lives in: the normal ship-from warehouse, the returns warehouse or the 超区 parking lot. */
export class Warehouse {
  [OptionalProps]?: 'allowNegative' | 'isDefault' | 'active';
  id!: number;
  code!: string;
  name!: string;
  kind!: WarehouseKind;
  /** Whether available stock may go below zero (presales). */
  allowNegative = false;
  isDefault = false;
  active = true;
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
  },
});
