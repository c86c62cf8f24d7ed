import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { TEXT_LIMITS } from '../../domain/text-limits';

/** One decision or state change: who, what, when, why, and the values before and after. */
export class AuditEvent {
  [OptionalProps]?: 'actorName' | 'reason' | 'before' | 'after' | 'at';
  id!: number;
  /** Unique per event so a retried activity writes it once. */
  eventKey!: string;
  entityType!: string;
  entityId!: string;
  action!: string;
  actor!: string;
  actorName = '';
  reason = '';
  before: Record<string, unknown> | null = null;
  after: Record<string, unknown> | null = null;
  at: Date = new Date();
}

export const AuditEventSchema = new EntitySchema<AuditEvent>({
  class: AuditEvent,
  tableName: 'audit_event',
  indexes: [{ properties: ['entityType', 'entityId', 'at'] }, { properties: ['actor', 'at'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    eventKey: { type: 'string', length: 191, unique: true },
    entityType: { type: 'string', length: 20 },
    entityId: { type: 'string', length: 120 },
    action: { type: 'string', length: 40 },
    actor: { type: 'string', length: 60 },
    actorName: { type: 'string', length: 100, default: '' },
    reason: { type: 'string', length: TEXT_LIMITS.auditReason, default: '' },
    before: { type: 'json', nullable: true },
    after: { type: 'json', nullable: true },
    at: { type: 'datetime' },
  },
});
