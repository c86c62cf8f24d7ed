import { EntitySchema, OptionalProps } from '@mikro-orm/core';

/**
 * How long buyers' data is kept (one row, id 1): print-run PDFs, the verbatim platform JSON of finished orders, and the
 * personal-data access log, each in days; the daily retention-purge schedule reads it.
 */
export class RetentionSetting {
  [OptionalProps]?: 'printPdfDays' | 'platformOrderDays' | 'accessLogDays' | 'updatedBy' | 'updatedAt';
  id!: number;
  printPdfDays = 30;
  platformOrderDays = 90;
  accessLogDays = 365;
  updatedBy = '';
  updatedAt: Date = new Date();
}

export const RetentionSettingSchema = new EntitySchema<RetentionSetting>({
  class: RetentionSetting,
  tableName: 'retention_setting',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: false },
    printPdfDays: { type: 'integer', default: 30 },
    platformOrderDays: { type: 'integer', default: 90 },
    accessLogDays: { type: 'integer', default: 365 },
    updatedBy: { type: 'string', length: 60, default: '' },
    updatedAt: { type: 'datetime' },
  },
});
