/**
 * One timeline per case, as the order page has one: the case's audit rows (who decided what, why, before → after)
 * merged by time with its workflow's own history; when the workflow service cannot be reached the audit rows still show.
 */
import type { EntityManager } from '@mikro-orm/knex';
import type { Client } from '@temporalio/client';
import type { Locale } from '../i18n/translate';
import { loadTimeline, type OrderTimeline } from '../orders/order-timeline';

export function loadCaseTimeline(em: EntityManager, client: Client, caseNo: string, workflowId: string, locale: Locale): Promise<OrderTimeline> {
  return loadTimeline(em, client, { entityType: 'case', entityId: caseNo }, workflowId, locale);
}
