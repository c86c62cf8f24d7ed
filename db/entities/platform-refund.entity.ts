import { EntitySchema, OptionalProps } from '@mikro-orm/core';

/**
 * 原始退款单: a buyer's refund on the platform, kept verbatim and by refund id; the after-sales case that answers it
 * is Guanjia's own record (after_sale_case), linked by caseNo.
 */
export class PlatformRefund {
  [OptionalProps]?: 'oid' | 'disputeType' | 'refundPhase' | 'goodStatus' | 'hasGoodReturn' | 'refundFeeFen' | 'returnCompany' | 'returnWaybillNo' | 'refundVersion' | 'deadline' | 'caseNo' | 'orderId' | 'receivedAt' | 'updatedAt';
  id!: number;
  shopCode!: string;
  refundId!: string;
  tid!: string;
  oid = '';
  status!: string;
  disputeType = '';
  refundPhase = '';
  goodStatus = '';
  hasGoodReturn = false;
  refundFeeFen = 0;
  returnCompany = '';
  returnWaybillNo = '';
  refundVersion = '';
  /** The platform's deadline (refund_remind_timeout): past it the platform decides for the buyer. */
  deadline: Date | null = null;
  modifiedAt!: Date;
  /** The platform's JSON, byte for byte as received. */
  raw!: string;
  caseNo = '';
  orderId = '';
  receivedAt: Date = new Date();
  updatedAt: Date = new Date();
}

export const PlatformRefundSchema = new EntitySchema<PlatformRefund>({
  class: PlatformRefund,
  tableName: 'platform_refund',
  uniques: [{ properties: ['shopCode', 'refundId'] }],
  indexes: [{ properties: ['shopCode', 'tid'] }, { properties: ['status', 'deadline'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    shopCode: { type: 'string', length: 40 },
    refundId: { type: 'string', length: 40 },
    tid: { type: 'string', length: 64 },
    oid: { type: 'string', length: 64, default: '' },
    status: { type: 'string', length: 40 },
    disputeType: { type: 'string', length: 40, default: '' },
    refundPhase: { type: 'string', length: 20, default: '' },
    goodStatus: { type: 'string', length: 40, default: '' },
    hasGoodReturn: { type: 'boolean', default: false },
    refundFeeFen: { type: 'integer', default: 0 },
    returnCompany: { type: 'string', length: 60, default: '' },
    returnWaybillNo: { type: 'string', length: 60, default: '' },
    refundVersion: { type: 'string', length: 40, default: '' },
    deadline: { type: 'datetime', nullable: true },
    modifiedAt: { type: 'datetime' },
    raw: { type: 'text', columnType: 'mediumtext' },
    caseNo: { type: 'string', length: 60, default: '' },
    orderId: { type: 'string', length: 120, default: '' },
    receivedAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
  },
});
