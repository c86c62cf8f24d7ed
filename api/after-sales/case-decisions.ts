/**
 * Sends staff decisions to after-sales case workflows as Updates, each carrying the UI action's id as its update id
 * and the case version the person saw, so a double click is applied once and a changed case is refused, not overwritten.
 */
import type { EntityManager } from '@mikro-orm/knex';
import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { AfterSaleCase } from '../../db/entities';
import type { Actor } from '../../domain/roles';
import {
  agreeCaseUpdate,
  approveCaseUpdate,
  caseStateQuery,
  closeCaseUpdate,
  confirmPulledUpdate,
  financeUpdate,
  qcUpdate,
  receiveParcelUpdate,
  retryPlatformRefundSignal,
  returnParcelUpdate,
  type AgreeCaseDecision,
  type ApproveCaseDecision,
  type CaseDecisionResult,
  type CloseCaseDecision,
  type FinanceDecision,
  type QcDecision,
  type ReceiveParcelDecision,
  type ReturnParcelNotice,
} from '../../workflows/after-sale-messages';
import type { DecisionBase } from '../../workflows/messages';
import { translate, type Locale } from '../i18n/translate';
import { runLimited } from '../run-limited';
import { workflowErrorKind, workflowErrorMessage, type WorkflowErrorKind } from '../workflow-error';

/** Long enough for an update that waits on a platform call (agreeing a return), short enough that a dead server is reported. */
const UPDATE_DEADLINE_MS = 30_000;
const SIGNAL_DEADLINE_MS = 10_000;
const QUERY_DEADLINE_MS = 3_000;
const BATCH_CONCURRENCY = 8;

export interface CaseOutcome {
  caseNo: string;
  ok: boolean;
  message: string;
  stage?: CaseDecisionResult['stage'];
  version?: number;
  failure?: WorkflowErrorKind;
}

/** A case as picked on a list: its number and the version the person saw. */
export interface CasePick {
  caseNo: string;
  version: number;
}

type Without<T> = Omit<T, 'actor' | 'expectedVersion'>;

/** Parses `caseNo@version` as the list's checkboxes send it; null when any is malformed. */
export function parseCasePicks(values: readonly string[]): CasePick[] | null {
  const out: CasePick[] = [];
  const seen = new Set<string>();
  for (const v of values) {
    const m = /^([A-Za-z0-9_-]{1,60})@(\d{1,9})$/.exec(v);
    if (!m) return null;
    if (seen.has(m[1]!)) continue;
    seen.add(m[1]!);
    out.push({ caseNo: m[1]!, version: Number(m[2]) });
  }
  return out;
}

export function createCaseDecisions(temporal: Client, em: EntityManager, actor: Actor, locale: Locale) {
  const workflowIds = new Map<string, string | null>();
  const workflowIdOf = async (caseNo: string): Promise<string | null> => {
    if (!workflowIds.has(caseNo)) workflowIds.set(caseNo, (await em.findOne(AfterSaleCase, { caseNo }, { fields: ['workflowId'] }))?.workflowId ?? null);
    return workflowIds.get(caseNo) ?? null;
  };
  const run = async (caseNo: string, deadlineMs: number, call: (workflowId: string) => Promise<CaseDecisionResult | null>): Promise<CaseOutcome> => {
    const workflowId = await workflowIdOf(caseNo);
    if (!workflowId) return { caseNo, ok: false, message: translate(locale, 'rma.caseNotFound', { no: caseNo }), failure: 'not_found' };
    try {
      const r = await temporal.connection.withDeadline(Date.now() + deadlineMs, () => call(workflowId));
      if (!r) return { caseNo, ok: true, message: '' };
      const out: CaseOutcome = { caseNo, ok: r.ok, message: r.message, stage: r.stage, version: r.version };
      if (!r.ok) out.failure = 'refused';
      return out;
    } catch (err) {
      return { caseNo, ok: false, message: workflowErrorMessage(err, locale), failure: workflowErrorKind(err) };
    }
  };
  const update = <D extends DecisionBase>(def: UpdateDefinition<CaseDecisionResult, [D]>, caseNo: string, version: number, d: Without<D>, updateId: string) =>
    run(caseNo, UPDATE_DEADLINE_MS, (id) => temporal.workflow.getHandle(id).executeUpdate(def, { args: [{ ...d, actor, expectedVersion: version } as D], updateId }));
  const decisions = {
    /**
     * The version the case's workflow is at now, for desks where nobody looked at the case first (a parcel scanned
     * in): the read model may not yet hold the last change. Null when the workflow does not answer in time.
     */
    liveVersion: async (caseNo: string): Promise<number | null> => {
      const workflowId = await workflowIdOf(caseNo);
      if (!workflowId) return null;
      return temporal.connection
        .withDeadline(Date.now() + QUERY_DEADLINE_MS, () => temporal.workflow.getHandle(workflowId).query(caseStateQuery))
        .then((s) => s.version)
        .catch(() => null);
    },
    agree: (caseNo: string, version: number, d: Without<AgreeCaseDecision>, updateId: string) => update(agreeCaseUpdate, caseNo, version, d, updateId),
    returnParcel: (caseNo: string, version: number, d: Without<ReturnParcelNotice>, updateId: string) => update(returnParcelUpdate, caseNo, version, d, updateId),
    receive: (caseNo: string, version: number, d: Without<ReceiveParcelDecision>, updateId: string) => update(receiveParcelUpdate, caseNo, version, d, updateId),
    qc: (caseNo: string, version: number, d: Without<QcDecision>, updateId: string) => update(qcUpdate, caseNo, version, d, updateId),
    approve: (caseNo: string, version: number, d: Without<ApproveCaseDecision>, updateId: string) => update(approveCaseUpdate, caseNo, version, d, updateId),
    finance: (caseNo: string, version: number, d: Without<FinanceDecision>, updateId: string) => update(financeUpdate, caseNo, version, d, updateId),
    close: (caseNo: string, version: number, d: Without<CloseCaseDecision>, updateId: string) => update(closeCaseUpdate, caseNo, version, d, updateId),
    /** A signal has no answer; "ok" means the workflow has it, the case page shows what happened next. */
    retryPlatformRefund: (caseNo: string) =>
      run(caseNo, SIGNAL_DEADLINE_MS, async (id) => {
        await temporal.workflow.getHandle(id).signal(retryPlatformRefundSignal, { actor });
        return null;
      }),
    /** The warehouse pulled the intercepted parcel of an order off the line: an Update on the order's workflow. */
    confirmPulled: async (orderId: string, orderVersion: number, caseNo: string, updateId: string): Promise<CaseOutcome> => {
      try {
        const r = await temporal.connection.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () =>
          temporal.workflow.getHandle(orderId).executeUpdate(confirmPulledUpdate, { args: [{ actor, expectedVersion: orderVersion, caseNo }], updateId }),
        );
        return { caseNo, ok: r.ok, message: r.message, version: r.version, ...(r.ok ? {} : { failure: 'refused' as const }) };
      } catch (err) {
        return { caseNo, ok: false, message: workflowErrorMessage(err, locale), failure: workflowErrorKind(err) };
      }
    },
    /** Runs one decision per picked case, a few at a time, each with its own update id so a resent batch is applied once. */
    batch: (picks: readonly CasePick[], actionId: string, one: (p: CasePick, updateId: string) => Promise<CaseOutcome>) =>
      runLimited(picks, BATCH_CONCURRENCY, (p) => one(p, `${actionId}:${p.caseNo}`)),
  };
  return decisions;
}

export type CaseDecisions = ReturnType<typeof createCaseDecisions>;
