/**
 * Sends staff decisions to order workflows as Updates and Signals; each update carries the UI action's id,
 * so a double-click or a resubmitted form is applied once.
 */
import type { Client } from '@temporalio/client';
import type { Actor } from '../../domain/roles';
import {
  markSyncedUpdate,
  reserveWaybillUpdate,
  retrySyncSignal,
  reviewUpdate,
  shipUpdate,
  type DecisionResult,
  type ReviewDecision,
  type ShipRequest,
} from '../../workflows/messages';
import type { Locale } from '../i18n/translate';
import { workflowErrorKind, workflowErrorMessage, type WorkflowErrorKind } from '../workflow-error';

/** Long enough for an update that waits on an activity (a waybill number), short enough that a dead server is reported. */
const UPDATE_DEADLINE_MS = 30_000;
const SIGNAL_DEADLINE_MS = 10_000;

export interface DecisionOutcome {
  orderId: string;
  ok: boolean;
  message: string;
  status?: DecisionResult['status'];
  version?: number;
  waybillNo?: string;
  /** Set when ok is false: 'refused' for the workflow's own no (its validator, or a result that did not succeed). */
  failure?: WorkflowErrorKind;
}

export type ApproveInput = Omit<ReviewDecision, 'actor' | 'decision'>;

export function createOrderDecisions(temporal: Client, actor: Actor, locale: Locale) {
  const run = async (orderId: string, deadlineMs: number, call: () => Promise<DecisionResult | null>): Promise<DecisionOutcome> => {
    try {
      const r = await temporal.connection.withDeadline(Date.now() + deadlineMs, call);
      if (!r) return { orderId, ok: true, message: '' };
      const out: DecisionOutcome = { orderId, ok: r.ok, message: r.message, status: r.status, version: r.version };
      if (r.waybillNo) out.waybillNo = r.waybillNo;
      if (!r.ok) out.failure = 'refused';
      return out;
    } catch (err) {
      return { orderId, ok: false, message: workflowErrorMessage(err, locale), failure: workflowErrorKind(err) };
    }
  };
  const handle = (orderId: string) => temporal.workflow.getHandle(orderId);
  return {
    approve: (orderId: string, input: ApproveInput, updateId: string) =>
      run(orderId, UPDATE_DEADLINE_MS, () =>
        handle(orderId).executeUpdate(reviewUpdate, { args: [{ ...input, actor, decision: 'approve' }], updateId }),
      ),
    reserveWaybill: (orderId: string, courierCode: string | undefined, updateId: string) =>
      run(orderId, UPDATE_DEADLINE_MS, () =>
        handle(orderId).executeUpdate(reserveWaybillUpdate, { args: [courierCode ? { actor, courierCode } : { actor }], updateId }),
      ),
    ship: (orderId: string, input: Omit<ShipRequest, 'actor'>, updateId: string) =>
      run(orderId, UPDATE_DEADLINE_MS, () => handle(orderId).executeUpdate(shipUpdate, { args: [{ ...input, actor }], updateId })),
    markSynced: (orderId: string, reason: string, updateId: string) =>
      run(orderId, UPDATE_DEADLINE_MS, () => handle(orderId).executeUpdate(markSyncedUpdate, { args: [{ actor, reason }], updateId })),
    /** A signal has no answer; "ok" means the workflow received it, the sync page shows what happened next. */
    retrySync: (orderId: string) =>
      run(orderId, SIGNAL_DEADLINE_MS, async () => {
        await handle(orderId).signal(retrySyncSignal, { actor });
        return null;
      }),
  };
}

export type OrderDecisions = ReturnType<typeof createOrderDecisions>;
