/** 退货退款 and 仅退款: a return (goods back, QC, approval, finance, stock in, platform refund) or a refund without goods. */
import type { CaseSnapshot } from '../domain/after-sale-snapshot';
import type { CaseWorkflowInput } from './after-sale-messages';
import { runAfterSaleCase } from './after-sale-case';

export async function returnWorkflow(input: CaseWorkflowInput): Promise<CaseSnapshot> {
  return runAfterSaleCase(input);
}
