/** Writes a workflow's audit rows once each: a retried write finds the keys it already wrote and skips them. */
import type { EntityManager } from '@mikro-orm/knex';
import { AuditEvent } from '../db/entities';
import type { AuditEntry } from '../domain/order-snapshot';
import { fitText, TEXT_LIMITS } from '../domain/text-limits';

export async function writeAuditRows(em: EntityManager, entityType: string, entityId: string, audit: AuditEntry[]): Promise<void> {
  if (!audit.length) return;
  const existing = await em.find(AuditEvent, { eventKey: { $in: audit.map((a) => a.key) } }, { fields: ['eventKey'] });
  const seen = new Set(existing.map((e) => e.eventKey));
  const fresh = audit.filter((a) => !seen.has(a.key));
  if (!fresh.length) return;
  await em.insertMany(AuditEvent, fresh.map((a) => ({
    eventKey: a.key, entityType, entityId, action: a.action, actor: a.actor, actorName: a.actorName,
    reason: fitText(a.reason, TEXT_LIMITS.auditReason), before: a.before, after: a.after, at: new Date(a.at),
  })));
}
