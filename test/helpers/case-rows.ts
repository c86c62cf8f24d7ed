/**
 * After-sales case rows as the case workflow's activity writes them, for page and API suites that run no workers:
 * what a person sees of a case at a given stage, without driving a workflow there.
 */
import { hashPassword } from '../../api/auth/passwords';
import { AfterSaleCase, User, Warehouse } from '../../db/entities';
import type { Db } from '../../db/orm';
import type { CaseSnapshot } from '../../domain/after-sale-snapshot';

export async function seedCaseRow(db: Db, caseNo: string, orderId: string, over: Partial<CaseSnapshot> = {}): Promise<AfterSaleCase> {
  const em = db.em();
  const now = new Date();
  const platformOrderNo = orderId.split(':').pop() ?? '';
  const snapshot: CaseSnapshot = {
    caseNo, workflowId: `return:${caseNo}`, type: 'return', stage: 'awaiting_finance', version: 7, shopCode: 'zhiyuan', orderId,
    platformOrderNo, buyerNick: '接口买家', orderStatusAtOpen: 'shipped', platformRefund: null, reason: '质量问题', note: '',
    lines: [{ oid: 'oid-a', skuCode: 'CUP-BLUE', title: '保温杯', spec: '蓝色', qty: 1, paidFen: 4800 }], returnCompany: '', returnWaybillNo: '',
    returnsWarehouseCode: 'RET', sellableWarehouseCode: 'MAIN', agreedAt: null, remindedAt: null, deadlineWarned: false, receivedBy: 'cangku',
    receivedAt: now.toISOString(), qc: [{ oid: 'oid-a', good: 0, defective: 1, missing: 0, wrong: 0, note: '杯盖裂' }], qcBy: 'cangku', qcAt: now.toISOString(),
    replacement: [], priceDifferenceFen: 0, refundFen: 4500, postageBorneBy: 'seller', postageFen: 800, approvedBy: 'shouhou', approvedAt: now.toISOString(),
    finance: null, platformRefundStep: { status: 'none', attempts: 0, lastError: '', nextAt: null, doneAt: null }, interception: 'none', childOrderIds: [],
    alert: '', closedReason: '', createdBy: 'kefu', createdAt: now.toISOString(), doneAt: null, ...over,
  };
  const row = em.create(AfterSaleCase, {
    caseNo, workflowId: snapshot.workflowId, type: snapshot.type, stage: snapshot.stage, version: snapshot.version, shopCode: snapshot.shopCode, orderId,
    platformOrderNo, buyerNick: snapshot.buyerNick, refundFen: snapshot.refundFen, returnWaybillNo: snapshot.returnWaybillNo,
    platformRefundId: snapshot.platformRefund?.refundId ?? '', deadline: snapshot.platformRefund?.deadline ? new Date(snapshot.platformRefund.deadline) : null,
    snapshot, createdAt: now, updatedAt: now,
  });
  await em.flush();
  return row;
}

/** What the web fixture lacks for after-sales: the returns warehouse (退货仓) and an after-sales user, shouhou. */
export async function seedAfterSalesSetup(db: Db, password: string): Promise<void> {
  const em = db.em();
  em.create(Warehouse, { code: 'RET', name: '退货仓', kind: 'returns' });
  em.create(User, { username: 'shouhou', displayName: '售后 小周', roles: ['after_sales'], passwordHash: await hashPassword(password), createdAt: new Date() });
  await em.flush();
}
