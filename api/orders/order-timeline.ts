/**
 * One timeline per order: the audit rows (who decided what, why, before → after) merged by time with the
 * workflow's own event history, so every decision is traceable from the order page. When the workflow
 * service cannot be reached the audit rows still show, with a notice. Failure messages in the history are encrypted
 * (api/temporal/failure-converter.ts); they are read back with the client's own data converter.
 */
import type { EntityManager } from '@mikro-orm/knex';
import type { Client } from '@temporalio/client';
import type { LoadedDataConverter } from '@temporalio/common';
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';
import { AuditEvent } from '../../db/entities';
import type { Locale } from '../i18n/translate';
import { workflowErrorMessage } from '../workflow-error';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type ProtoFailure = temporal.api.failure.v1.IFailure;
type ProtoTime = { seconds?: { toString(): string } | number | null; nanos?: number | null } | null | undefined;

const HISTORY_DEADLINE_MS = 3_000;

// Workflow-task bookkeeping says nothing a person needs; everything else is shown, compactly.
const HIDDEN = new Set(['WorkflowTaskScheduled', 'WorkflowTaskStarted', 'WorkflowTaskCompleted', 'ActivityTaskStarted', 'MarkerRecorded']);

export interface TimelineEntry {
  at: Date;
  source: 'audit' | 'workflow';
  title: string;
  detail: string;
  actor: string;
  actorName: string;
  reason: string;
  changes: Array<{ field: string; before: string; after: string }>;
  failed: boolean;
}

export interface OrderTimeline {
  entries: TimelineEntry[];
  historyError: string;
}

function protoMs(ts: ProtoTime): number {
  if (!ts) return 0;
  return Number(String(ts.seconds ?? 0)) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
}

function duration(d: ProtoTime): string {
  let s = Math.round(protoMs(d) / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  return parts.join('') || '0s';
}

function typeName(n: number | null | undefined): string {
  const raw = temporal.api.enums.v1.EventType[n ?? 0] ?? 'EVENT_TYPE_UNSPECIFIED';
  return raw
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_, __, ch: string) => ch.toUpperCase());
}

function display(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function auditEntry(a: AuditEvent): TimelineEntry {
  const before = a.before ?? {};
  const after = a.after ?? {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return {
    at: a.at,
    source: 'audit',
    title: a.action,
    detail: '',
    actor: a.actor,
    actorName: a.actorName,
    reason: a.reason,
    changes: fields
      .map((field) => ({ field, before: display(before[field]), after: display(after[field]) }))
      .filter((ch) => ch.before !== ch.after),
    failed: false,
  };
}

/** The failure an event carries, if any: the one the timeline shows. */
function failureOf(e: HistoryEvent): ProtoFailure | null | undefined {
  return (
    e.activityTaskFailedEventAttributes?.failure ??
    e.workflowExecutionUpdateCompletedEventAttributes?.outcome?.failure ??
    e.workflowExecutionFailedEventAttributes?.failure ??
    e.workflowTaskFailedEventAttributes?.failure
  );
}

/**
 * The words of every failure in the history, decrypted and decoded as the workers and clients do; a failure recorded
 * in clear (before failure text was encrypted) reads as it is, and one that cannot be decoded shows its stored message.
 */
async function failureMessages(events: HistoryEvent[], converter: LoadedDataConverter): Promise<Map<HistoryEvent, string>> {
  const out = new Map<HistoryEvent, string>();
  await Promise.all(
    events.map(async (e) => {
      const failure = failureOf(e);
      if (!failure) return;
      const message = await decodeOptionalFailureToOptionalError(converter, failure).then(
        (err) => err?.message ?? '',
        () => failure.message ?? '',
      );
      out.set(e, message);
    }),
  );
  return out;
}

function historyEntries(events: HistoryEvent[], messages: Map<HistoryEvent, string>): TimelineEntry[] {
  const activityById = new Map<string, string>();
  const out: TimelineEntry[] = [];
  for (const e of events) {
    const type = typeName(e.eventType);
    const id = String(e.eventId ?? '');
    let detail = '';
    let failed = false;
    const message = messages.get(e) ?? '';
    const activityOf = (scheduledId: unknown): string => activityById.get(String(scheduledId ?? '')) ?? '';
    if (e.activityTaskScheduledEventAttributes) {
      detail = e.activityTaskScheduledEventAttributes.activityType?.name ?? '';
      activityById.set(id, detail);
    } else if (e.activityTaskCompletedEventAttributes) {
      detail = activityOf(e.activityTaskCompletedEventAttributes.scheduledEventId);
    } else if (e.activityTaskFailedEventAttributes) {
      const a = e.activityTaskFailedEventAttributes;
      detail = `${activityOf(a.scheduledEventId)}: ${message}`;
      failed = true;
    } else if (e.activityTaskTimedOutEventAttributes) {
      detail = activityOf(e.activityTaskTimedOutEventAttributes.scheduledEventId);
      failed = true;
    } else if (e.workflowExecutionSignaledEventAttributes) {
      detail = e.workflowExecutionSignaledEventAttributes.signalName ?? '';
    } else if (e.workflowExecutionUpdateAcceptedEventAttributes) {
      detail = e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input?.name ?? '';
    } else if (e.workflowExecutionUpdateCompletedEventAttributes) {
      const outcome = e.workflowExecutionUpdateCompletedEventAttributes.outcome;
      detail = message;
      failed = !!outcome?.failure;
    } else if (e.timerStartedEventAttributes) {
      detail = duration(e.timerStartedEventAttributes.startToFireTimeout as ProtoTime);
    } else if (e.workflowExecutionStartedEventAttributes) {
      detail = e.workflowExecutionStartedEventAttributes.workflowType?.name ?? '';
    } else if (e.workflowExecutionFailedEventAttributes) {
      detail = message;
      failed = true;
    } else if (e.workflowTaskFailedEventAttributes) {
      detail = message;
      failed = true;
    }
    if (HIDDEN.has(type) && !failed) continue;
    out.push({ at: new Date(protoMs(e.eventTime as ProtoTime)), source: 'workflow', title: type, detail, actor: '', actorName: '', reason: '', changes: [], failed });
  }
  return out;
}

export function loadOrderTimeline(em: EntityManager, client: Client, orderId: string, locale: Locale): Promise<OrderTimeline> {
  return loadTimeline(em, client, { entityType: 'order', entityId: orderId }, orderId, locale);
}

/**
 * The audit rows of one entity (an order, an after-sales case) merged by time with its workflow's own history; when the
 * workflow service cannot be reached the audit rows still show, with the reason.
 */
export async function loadTimeline(
  em: EntityManager,
  client: Client,
  audited: { entityType: string; entityId: string },
  workflowId: string,
  locale: Locale,
): Promise<OrderTimeline> {
  const [audit, history] = await Promise.all([
    em.find(AuditEvent, audited, { orderBy: { at: 'asc', id: 'asc' } }),
    client.connection
      .withDeadline(Date.now() + HISTORY_DEADLINE_MS, () => client.workflow.getHandle(workflowId).fetchHistory())
      .then(async (h) => {
        const events = h.events ?? [];
        return { events, messages: await failureMessages(events, client.workflow.options.loadedDataConverter), error: '' };
      })
      .catch((err: unknown) => ({ events: [] as HistoryEvent[], messages: new Map<HistoryEvent, string>(), error: workflowErrorMessage(err, locale) })),
  ]);
  const entries = [...audit.map(auditEntry), ...historyEntries(history.events, history.messages)];
  // Stable: at equal times the audit row (the decision) comes before the events it caused.
  entries.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.source === b.source ? 0 : a.source === 'audit' ? -1 : 1));
  return { entries, historyError: history.error };
}
