import { EntitySchema, OptionalProps } from '@mikro-orm/core';

export type NumberRollImportKind = 'range' | 'list';

/** One import into a courier's number roll (号段): what was asked for, what was added and what was already there. */
export class NumberRollImport {
  [OptionalProps]?: 'source' | 'duplicateSamples' | 'createdAt';
  id!: number;
  courierCode!: string;
  kind!: NumberRollImportKind;
  /** "SF1000..SF1999" for a range, the file's name for a list. */
  source = '';
  /** Numbers read (a range's count, a list's non-empty lines). */
  requested!: number;
  added!: number;
  /** Numbers listed more than once in this import. */
  duplicates!: number;
  /** Numbers the roll already held (free, reserved or void). */
  alreadyPresent!: number;
  /** The first few duplicated or already-present numbers, to show the person who imported. */
  duplicateSamples: string[] = [];
  createdBy!: string;
  createdAt: Date = new Date();
}

export const NumberRollImportSchema = new EntitySchema<NumberRollImport>({
  class: NumberRollImport,
  tableName: 'number_roll_import',
  indexes: [{ properties: ['courierCode', 'createdAt'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    courierCode: { type: 'string', length: 20 },
    kind: { type: 'string', length: 10 },
    source: { type: 'string', length: 200, default: '' },
    requested: { type: 'integer' },
    added: { type: 'integer' },
    duplicates: { type: 'integer' },
    alreadyPresent: { type: 'integer' },
    duplicateSamples: { type: 'json' },
    createdBy: { type: 'string', length: 60 },
    createdAt: { type: 'datetime' },
  },
});
