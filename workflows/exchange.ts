/** 换货: the goods come back and are checked like a return, then a replacement child order ships; a price difference goes to finance. */
import type { CaseSnapshot } from '../domain/after-sale-snapshot';
import type { CaseWorkflowInput } from './after-sale-messages';
import { runAfterSaleCase } from './after-sale-case';

export async function exchangeWorkflow(input: CaseWorkflowInput): Promise<CaseSnapshot> {
  return runAfterSaleCase(input);
}
