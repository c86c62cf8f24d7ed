import { EntitySchema, OptionalProps } from '@mikro-orm/core';

export type MoneyKind = 'refund' | 'postage_refund' | 'collect' | 'reissue_cost';

/**
 * One confirmed amount of money in or out (现金银行流水): who confirmed it, through which account and reference. Its key
 * (case + step) makes a retried confirmation write it once; finance lists and exports these by day, account and kind.
 */
export class MoneyEntry {
  [OptionalProps]?: 'account' | 'reference' | 'caseNo' | 'orderId' | 'note' | 'at';
  id!: number;
  entryKey!: string;
  kind!: MoneyKind;
  /** +1 money in, −1 money out. */
  direction!: number;
  amountFen!: number;
  channel!: string;
  account = '';
  reference = '';
  shopCode!: string;
  caseNo = '';
  orderId = '';
  confirmedBy!: string;
  note = '';
  at: Date = new Date();
}

export const MoneyEntrySchema = new EntitySchema<MoneyEntry>({
  class: MoneyEntry,
  tableName: 'money_entry',
  indexes: [{ properties: ['at'] }, { properties: ['caseNo'] }, { properties: ['account', 'at'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    entryKey: { type: 'string', length: 191, unique: true },
    kind: { type: 'string', length: 20 },
    direction: { type: 'integer' },
    amountFen: { type: 'integer' },
    channel: { type: 'string', length: 20 },
    account: { type: 'string', length: 100, default: '' },
    reference: { type: 'string', length: 100, default: '' },
    shopCode: { type: 'string', length: 40 },
    caseNo: { type: 'string', length: 60, default: '' },
    orderId: { type: 'string', length: 120, default: '' },
    confirmedBy: { type: 'string', length: 60 },
    note: { type: 'string', length: 255, default: '' },
    at: { type: 'datetime' },
  },
});
