/**
 * One timeline per case, as the order page has one: the case's audit rows (who decided what, why, before → after)
 * merged by time with its workflow's own history; when the workflow service cannot be reached the audit rows still show.
 */
import type { EntityManager } from '@mikro-orm/knex';
import type { Client } from '@temporalio/client';
import { AuditEvent } from '../../db/entities';
import type { Locale } from '../i18n/translate';
import { loadOrderTimeline, type OrderTimeline, type TimelineEntry } from '../orders/order-timeline';

function display(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function caseAuditEntry(a: AuditEvent): TimelineEntry {
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
    changes: fields.map((field) => ({ field, before: display(before[field]), after: display(after[field]) })).filter((ch) => ch.before !== ch.after),
    failed: false,
  };
}

export async function loadCaseTimeline(em: EntityManager, client: Client, caseNo: string, workflowId: string, locale: Locale): Promise<OrderTimeline> {
  // The order timeline's reader brings the workflow history (its audit query finds nothing under a case's workflow id).
  const [audit, history] = await Promise.all([
    em.find(AuditEvent, { entityType: 'case', entityId: caseNo }, { orderBy: { at: 'asc', id: 'asc' } }),
    loadOrderTimeline(em, client, workflowId, locale),
  ]);
  const entries = [...audit.map(caseAuditEntry), ...history.entries];
  entries.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.source === b.source ? 0 : a.source === 'audit' ? -1 : 1));
  return { entries, historyError: history.historyError };
}
