/** 补发: chosen lines of a shipped order go out again at zero price in a child order, after after-sales approves. */
import type { CaseSnapshot } from '../domain/after-sale-snapshot';
import type { CaseWorkflowInput } from './after-sale-messages';
import { runAfterSaleCase } from './after-sale-case';

export async function reissueWorkflow(input: CaseWorkflowInput): Promise<CaseSnapshot> {
  return runAfterSaleCase(input);
}
