/** Writes an audit row for a decision taken in the web app itself (user administration, API tokens). */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/knex';
import { AuditEvent } from '../db/entities';
import type { Actor } from '../domain/roles';

export interface AuditInput {
  entityType: string;
  entityId: string;
  action: string;
  reason?: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** Adds the row to the unit of work; the caller's flush writes it together with the change it describes. */
export function recordAudit(em: EntityManager, actor: Actor, input: AuditInput): AuditEvent {
  return em.create(AuditEvent, {
    eventKey: `web:${input.entityType}:${input.entityId}:${input.action}:${randomUUID()}`.slice(0, 191),
    entityType: input.entityType,
    entityId: input.entityId,
    action: input.action,
    actor: actor.username,
    actorName: actor.displayName,
    reason: input.reason ?? '',
    before: input.before ?? null,
    after: input.after ?? null,
    at: new Date(),
  });
}
