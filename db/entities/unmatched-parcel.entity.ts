import { EntitySchema, OptionalProps } from '@mikro-orm/core';

/** 无头件: a return parcel that matched no case when it was scanned in; kept until someone matches it to a case. */
export class UnmatchedParcel {
  [OptionalProps]?: 'company' | 'note' | 'matchedCaseNo' | 'matchedBy' | 'matchedAt' | 'receivedAt';
  id!: number;
  waybillNo!: string;
  company = '';
  warehouseCode!: string;
  note = '';
  receivedBy!: string;
  receivedAt: Date = new Date();
  matchedCaseNo = '';
  matchedBy = '';
  matchedAt: Date | null = null;
}

export const UnmatchedParcelSchema = new EntitySchema<UnmatchedParcel>({
  class: UnmatchedParcel,
  tableName: 'unmatched_parcel',
  indexes: [{ properties: ['matchedCaseNo', 'receivedAt'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    waybillNo: { type: 'string', length: 60, unique: true },
    company: { type: 'string', length: 60, default: '' },
    warehouseCode: { type: 'string', length: 40 },
    note: { type: 'string', length: 255, default: '' },
    receivedBy: { type: 'string', length: 60 },
    receivedAt: { type: 'datetime' },
    matchedCaseNo: { type: 'string', length: 60, default: '' },
    matchedBy: { type: 'string', length: 60, default: '' },
    matchedAt: { type: 'datetime', nullable: true },
  },
});
