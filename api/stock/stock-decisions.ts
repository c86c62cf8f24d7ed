/**
 * Sends a staff decision to a stock document's or count sheet's workflow as an Update, with the UI action's id as its
 * update id and the version the person saw, so a double click is applied once and a changed record is refused.
 */
import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { StockDocResult } from '../../workflows/stock-document-messages';
import { translate, type Locale } from '../i18n/translate';
import { workflowErrorKind, workflowErrorMessage, type WorkflowErrorKind } from '../workflow-error';

const UPDATE_DEADLINE_MS = 30_000;

export interface StockDecisionOutcome {
  ok: boolean;
  message: string;
  stage?: string;
  version?: number;
  failure?: WorkflowErrorKind;
}

export async function sendStockDecision<A>(temporal: Client, workflowId: string, def: UpdateDefinition<StockDocResult, [A]>, args: A, updateId: string, locale: Locale): Promise<StockDecisionOutcome> {
  try {
    const r = await temporal.connection.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () => temporal.workflow.getHandle(workflowId).executeUpdate(def, { args: [args], updateId }));
    return { ok: r.ok, message: r.message, stage: r.stage, version: r.version, ...(r.ok ? {} : { failure: 'refused' as const }) };
  } catch (err) {
    const kind = workflowErrorKind(err);
    // A finished record's workflow is gone: whatever was asked was already decided.
    const gone = kind === 'not_found' || /already completed/i.test(String((err as Error)?.message));
    return { ok: false, message: gone ? translate(locale, 'stock.workflowGone', { no: workflowId.split(':').pop() ?? workflowId }) : workflowErrorMessage(err, locale), failure: kind };
  }
}
