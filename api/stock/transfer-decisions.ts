/**
 * Sends staff decisions to a transfer's workflow as Updates, each carrying the UI action's id as its update id and the
 * version the person saw, so a double click is applied once and a transfer someone else changed is refused, not overwritten.
 */
import type { EntityManager } from '@mikro-orm/knex';
import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { StockTransfer } from '../../db/entities';
import type { Actor } from '../../domain/roles';
import type { TransferStage } from '../../domain/stock-transfer';
import type { DecisionBase } from '../../workflows/messages';
import {
  cancelTransferUpdate,
  differenceUpdate,
  inboundUpdate,
  outboundUpdate,
  printNoteUpdate,
  reverseTransferUpdate,
  type CancelTransferDecision,
  type DifferenceDecision,
  type InboundDecision,
  type ReverseTransferDecision,
  type TransferDecisionResult,
} from '../../workflows/stock-transfer-messages';
import { translate, type Locale } from '../i18n/translate';
import { workflowErrorKind, workflowErrorMessage, type WorkflowErrorKind } from '../workflow-error';

const UPDATE_DEADLINE_MS = 30_000;

export interface TransferOutcome {
  transferNo: string;
  ok: boolean;
  message: string;
  stage?: TransferStage;
  version?: number;
  failure?: WorkflowErrorKind;
}

type Without<T> = Omit<T, 'actor' | 'expectedVersion'>;

export function createTransferDecisions(temporal: Client, em: EntityManager, actor: Actor, locale: Locale) {
  const run = async (transferNo: string, call: (workflowId: string) => Promise<TransferDecisionResult | null>): Promise<TransferOutcome> => {
    const row = await em.fork().findOne(StockTransfer, { transferNo }, { fields: ['workflowId'] });
    if (!row) return { transferNo, ok: false, message: `调拨单 ${transferNo} 不存在`, failure: 'not_found' };
    try {
      const r = await temporal.connection.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () => call(row.workflowId));
      if (!r) return { transferNo, ok: true, message: '' };
      return { transferNo, ok: r.ok, message: r.message, stage: r.stage, version: r.version, ...(r.ok ? {} : { failure: 'refused' as const }) };
    } catch (err) {
      const failure = workflowErrorKind(err);
      // The generic wording names an order; a transfer whose workflow is gone says so in its own words.
      const gone = failure === 'not_found' || /already completed/i.test(String((err as Error)?.message));
      return { transferNo, ok: false, message: gone ? translate(locale, 'stock.workflowGone', { no: transferNo }) : workflowErrorMessage(err, locale), failure };
    }
  };
  const update = <D extends DecisionBase>(def: UpdateDefinition<TransferDecisionResult, [D]>, transferNo: string, version: number, d: Without<D>, updateId: string) =>
    run(transferNo, (id) => temporal.workflow.getHandle(id).executeUpdate(def, { args: [{ ...d, actor, expectedVersion: version } as D], updateId }));
  return {
    outbound: (no: string, version: number, updateId: string, reason = '') => update(outboundUpdate, no, version, { reason }, updateId),
    inbound: (no: string, version: number, d: Without<InboundDecision>, updateId: string) => update(inboundUpdate, no, version, d, updateId),
    difference: (no: string, version: number, d: Without<DifferenceDecision>, updateId: string) => update(differenceUpdate, no, version, d, updateId),
    cancel: (no: string, version: number, d: Without<CancelTransferDecision>, updateId: string) => update(cancelTransferUpdate, no, version, d, updateId),
    reverse: (no: string, version: number, d: Without<ReverseTransferDecision>, updateId: string) => update(reverseTransferUpdate, no, version, d, updateId),
    /** Renders the outbound note (出库单) on the print worker; the page then serves the PDF. */
    printNote: (no: string, updateId: string) => run(no, (id) => temporal.workflow.getHandle(id).executeUpdate(printNoteUpdate, { args: [{ actor }], updateId })),
  };
}
