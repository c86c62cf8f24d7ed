/**
 * The one builder of a settings audit row (店铺, 仓库, 快递, 号段, 货品 and their mappings): who changed which record, why,
 * and the values before and after. Secrets never reach it: their writers pass only "changed" markers.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager, RequiredEntityData } from '@mikro-orm/knex';
import { AuditEvent } from '../entities';
import { fitText, TEXT_LIMITS } from '../../domain/text-limits';
import type { Actor } from '../../domain/roles';

export type SettingsAuditEntity = 'shop' | 'warehouse' | 'courier' | 'number_roll' | 'sku' | 'sku_mapping';

export interface SettingsAuditRow {
  entityType: SettingsAuditEntity;
  entityId: string;
  action: string;
  reason?: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

export type SettingsActor = Pick<Actor, 'username' | 'displayName'>;

/** The row's columns; the random part of the key keeps two identical changes in one second apart. */
export function settingsAuditEvent(actor: SettingsActor, row: SettingsAuditRow, at = new Date()): RequiredEntityData<AuditEvent> {
  return {
    eventKey: `web:${row.entityType}:${row.entityId}:${row.action}:${randomUUID()}`.slice(0, 191),
    entityType: row.entityType,
    entityId: row.entityId.slice(0, 120),
    action: row.action,
    actor: actor.username,
    actorName: actor.displayName,
    reason: fitText(row.reason ?? '', TEXT_LIMITS.auditReason),
    before: row.before ?? null,
    after: row.after ?? null,
    at,
  };
}

/** Adds the row to the unit of work, so the caller's flush writes it with the change it describes. */
export function recordSettingsAudit(em: EntityManager, actor: SettingsActor, row: SettingsAuditRow): void {
  em.create(AuditEvent, settingsAuditEvent(actor, row));
}
