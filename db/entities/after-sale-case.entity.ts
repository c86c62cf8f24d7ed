import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import type { CaseStage, CaseType } from '../../domain/after-sale';
import type { CaseSnapshot } from '../../domain/after-sale-snapshot';

/**
 * The read model of one after-sales case (售后单), written only by its workflow's activities (upsert by case number +
 * version) except for the registration row the page writes first, so a registration sent twice opens one case.
 */
export class AfterSaleCase {
  [OptionalProps]?: 'version' | 'stage' | 'platformRefundId' | 'refundFen' | 'requestedFen' | 'returnWaybillNo' | 'deadline' | 'alert' | 'childOrderIds' | 'snapshot' | 'registerActionId' | 'createdBy' | 'createdAt' | 'updatedAt' | 'closedAt' | 'doneAt' | 'itemCount' | 'reason';
  caseNo!: string;
  workflowId!: string;
  type!: CaseType;
  stage: CaseStage = 'registered';
  version = 0;
  shopCode!: string;
  orderId!: string;
  platformOrderNo!: string;
  buyerNick!: string;
  platformRefundId = '';
  reason = '';
  itemCount = 0;
  /** What the buyer asks back (platform refund) and what after-sales approved, in fen. */
  requestedFen = 0;
  refundFen = 0;
  returnWaybillNo = '';
  deadline: Date | null = null;
  alert = '';
  /** Child orders (exchange replacement, reissue), space separated. */
  childOrderIds = '';
  /** The workflow's whole snapshot, for the case page. */
  snapshot: CaseSnapshot | null = null;
  /** The registration's action id: a registration sent twice finds its case here. */
  registerActionId: string | null = null;
  createdBy = '';
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
  closedAt: Date | null = null;
  doneAt: Date | null = null;
}

export const AfterSaleCaseSchema = new EntitySchema<AfterSaleCase>({
  class: AfterSaleCase,
  tableName: 'after_sale_case',
  indexes: [
    { properties: ['stage', 'updatedAt'] },
    { properties: ['orderId'] },
    { properties: ['shopCode', 'platformOrderNo'] },
    { properties: ['returnWaybillNo'] },
  ],
  properties: {
    caseNo: { type: 'string', length: 60, primary: true },
    workflowId: { type: 'string', length: 120, unique: true },
    type: { type: 'string', length: 20 },
    stage: { type: 'string', length: 30, default: 'registered' },
    version: { type: 'integer', default: 0 },
    shopCode: { type: 'string', length: 40 },
    orderId: { type: 'string', length: 120 },
    platformOrderNo: { type: 'string', length: 64 },
    buyerNick: { type: 'string', length: 100 },
    platformRefundId: { type: 'string', length: 40, default: '' },
    reason: { type: 'string', length: 100, default: '' },
    itemCount: { type: 'integer', default: 0 },
    requestedFen: { type: 'integer', default: 0 },
    refundFen: { type: 'integer', default: 0 },
    returnWaybillNo: { type: 'string', length: 60, default: '' },
    deadline: { type: 'datetime', nullable: true },
    alert: { type: 'string', length: 255, default: '' },
    childOrderIds: { type: 'string', length: 500, default: '' },
    snapshot: { type: 'json', nullable: true },
    registerActionId: { type: 'string', length: 64, nullable: true, unique: true },
    createdBy: { type: 'string', length: 60, default: '' },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
    closedAt: { type: 'datetime', nullable: true },
    doneAt: { type: 'datetime', nullable: true },
  },
});
