import { EntitySchema, OptionalProps } from '@mikro-orm/core';

export type PiiAccessAction = 'view' | 'export' | 'print';
export type PiiAccessVia = 'page' | 'api';

/**
 * One look at buyers' personal data in clear: who, which orders (or what list or export), how (view, export, print
 * download), when, from which address and through the pages or an API token. A list page is one row naming the
 * orders it showed, not a row per order.
 */
export class PiiAccessLog {
  [OptionalProps]?: 'orderIds' | 'description' | 'rowCount' | 'clientAddress' | 'at';
  id!: number;
  username!: string;
  action!: PiiAccessAction;
  via!: PiiAccessVia;
  /** The orders shown, one id per line (searchable with LIKE); empty for an export, which is described instead. */
  orderIds = '';
  /** What was looked at in words: the page and its filter, the export's filter, the print batch. */
  description = '';
  /** Orders (or rows) shown or written. */
  rowCount = 0;
  clientAddress = '';
  at: Date = new Date();
}

export const PiiAccessLogSchema = new EntitySchema<PiiAccessLog>({
  class: PiiAccessLog,
  tableName: 'pii_access_log',
  indexes: [{ properties: ['username', 'at'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    username: { type: 'string', length: 60 },
    action: { type: 'string', length: 10 },
    via: { type: 'string', length: 10 },
    orderIds: { type: 'text' },
    description: { type: 'string', length: 500, default: '' },
    rowCount: { type: 'integer', default: 0 },
    clientAddress: { type: 'string', length: 64, default: '' },
    at: { type: 'datetime', index: true },
  },
});
