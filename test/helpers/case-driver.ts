/**
 * Takes an after-sales case where a test or the history recorder needs it: registered against an order of the read
 * model (as the 退换登记 page does), then each person's decision sent straight to the case workflow.
 */
import { randomBytes } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { AfterSaleCase, Order, OrderLine, orderReceiver } from '../../db/entities';
import { caseWorkflowFor, paidForUnits, type CaseType, type ReplacementLine } from '../../domain/after-sale';
import type { CaseSnapshot } from '../../domain/after-sale-snapshot';
import type { Actor } from '../../domain/roles';
import {
  agreeCaseUpdate,
  approveCaseUpdate,
  financeUpdate,
  qcUpdate,
  receiveParcelUpdate,
  type ApproveCaseDecision,
  type CaseDecisionResult,
  type CaseWorkflowInput,
  type FinanceDecision,
  type QcLine,
} from '../../workflows/after-sale-messages';
import type { DrivenStack } from './order-driver';
import { eventually } from './stack';

export const caseActors = {
  customerService: { username: 'kefu', displayName: '客服 小美', roles: ['customer_service'] } as Actor,
  afterSales: { username: 'shouhou', displayName: '售后 小陈', roles: ['after_sales'] } as Actor,
  warehouse: { username: 'cangku', displayName: '仓库 大刘', roles: ['warehouse'] } as Actor,
  finance: { username: 'caiwu', displayName: '财务 王姐', roles: ['finance'] } as Actor,
};

export function caseDriver(stack: DrivenStack) {
  const driver = {
    /** Registers a case on an order, for the given units of its lines (default every unit of every line). */
    async register(orderId: string, type: CaseType, options: { lines?: Array<{ oid: string; qty: number }>; replacement?: ReplacementLine[]; reason?: string } = {}) {
      const em = stack.db.em();
      const order = await em.findOneOrFail(Order, { id: orderId });
      const orderLines = await em.find(OrderLine, { orderId }, { orderBy: { lineNo: 'asc' } });
      const wanted = options.lines ?? orderLines.map((l) => ({ oid: l.oid, qty: l.qty }));
      const lines = wanted.map((w) => {
        const l = orderLines.find((x) => x.oid === w.oid)!;
        return { oid: l.oid, skuCode: l.skuCode, title: l.title, spec: l.spec, qty: w.qty, paidFen: paidForUnits(l, w.qty) };
      });
      const caseNo = `T${randomBytes(4).toString('hex').toUpperCase()}`;
      const { workflowType, workflowId } = caseWorkflowFor(type, caseNo);
      const input: CaseWorkflowInput = {
        caseNo, type, shopCode: order.shopCode, orderId, platformOrderNo: order.platformOrderNo, buyerNick: order.buyerNick,
        orderStatusAtOpen: order.status, lines, reason: options.reason ?? '质量问题', note: '', createdBy: caseActors.customerService,
        returnsWarehouseCode: 'RET', sellableWarehouseCode: 'MAIN',
        replacement: options.replacement ?? (type === 'reissue' ? lines.map((l) => ({ skuCode: l.skuCode, title: l.title, spec: l.spec, qty: l.qty, priceFen: 0 })) : undefined),
        childOrderBase: {
          shopCode: order.shopCode, platform: 'taobao', platformOrderNo: order.platformOrderNo, buyerNick: order.buyerNick,
          receiver: orderReceiver(order),
        },
      };
      await stack.client.workflow.start(workflowType, { taskQueue: stack.taskQueue, workflowId, args: [input] });
      await driver.waitForCase(caseNo, () => true, 'registered');
      return { caseNo, workflowId, lines };
    },

    waitForCase(caseNo: string, ok: (c: CaseSnapshot) => boolean, what: string, timeoutMs = 60_000): Promise<CaseSnapshot> {
      return eventually(async () => {
        const row = await stack.db.em().findOne(AfterSaleCase, { caseNo });
        return row?.snapshot && ok(row.snapshot) ? row.snapshot : null;
      }, `case ${caseNo}: ${what}`, timeoutMs);
    },

    waitForStage(caseNo: string, stage: CaseSnapshot['stage'], timeoutMs?: number): Promise<CaseSnapshot> {
      return driver.waitForCase(caseNo, (c) => c.stage === stage, stage, timeoutMs);
    },

    handle(workflowId: string): WorkflowHandle {
      return stack.client.workflow.getHandle(workflowId);
    },

    /** The case's version now, as the page a person decides on shows it. */
    async version(workflowId: string): Promise<number> {
      const row = await stack.db.em().findOneOrFail(AfterSaleCase, { workflowId });
      return row.version;
    },

    async agree(workflowId: string, actor = caseActors.afterSales): Promise<CaseDecisionResult> {
      return driver.handle(workflowId).executeUpdate(agreeCaseUpdate, {
        args: [{ actor, expectedVersion: await driver.version(workflowId), decision: 'agree' }], updateId: `agree-${workflowId}`,
      });
    },

    async receive(workflowId: string, waybillNo = 'SF1234567890'): Promise<CaseDecisionResult> {
      return driver.handle(workflowId).executeUpdate(receiveParcelUpdate, {
        args: [{ actor: caseActors.warehouse, expectedVersion: await driver.version(workflowId), waybillNo }], updateId: `receive-${workflowId}`,
      });
    },

    async qc(workflowId: string, lines: QcLine[], updateId = `qc-${workflowId}`): Promise<CaseDecisionResult> {
      return driver.handle(workflowId).executeUpdate(qcUpdate, {
        args: [{ actor: caseActors.warehouse, expectedVersion: await driver.version(workflowId), lines }], updateId,
      });
    },

    async approve(workflowId: string, decision: Omit<ApproveCaseDecision, 'actor' | 'expectedVersion'>, actor = caseActors.afterSales): Promise<CaseDecisionResult> {
      return driver.handle(workflowId).executeUpdate(approveCaseUpdate, {
        args: [{ actor, expectedVersion: await driver.version(workflowId), ...decision }], updateId: `approve-${workflowId}`,
      });
    },

    async finance(workflowId: string, decision: Omit<FinanceDecision, 'actor' | 'expectedVersion'>, actor = caseActors.finance): Promise<CaseDecisionResult> {
      return driver.handle(workflowId).executeUpdate(financeUpdate, {
        args: [{ actor, expectedVersion: await driver.version(workflowId), ...decision }], updateId: `finance-${workflowId}`,
      });
    },
  };
  return driver;
}
