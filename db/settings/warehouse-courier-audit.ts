/** Audit rows for warehouses, couriers and number rolls: who changed what, with only the fields that changed before and after. */
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { MySqlPlatform } from '@mikro-orm/mysql';
import { AuditEvent } from '../entities';
import { recordSettingsAudit, type SettingsActor, type SettingsAuditRow } from './settings-audit';

export type PlacesAuditEntity = 'warehouse' | 'courier' | 'number_roll';

export type PlacesAuditRow = SettingsAuditRow & { entityType: PlacesAuditEntity };

/** Adds the row to the unit of work, so the caller's flush writes it with the change it describes. */
export function recordPlacesAudit(em: EntityManager, actor: SettingsActor, row: PlacesAuditRow): void {
  recordSettingsAudit(em, actor, row);
}

/** The fields whose values differ, as a before and an after holding only those fields. */
export function changedFields<T extends Record<string, unknown>>(before: T, after: T): { before: Partial<T>; after: Partial<T> } | null {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const key of Object.keys(after) as Array<keyof T>) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return Object.keys(a).length ? { before: b, after: a } : null;
}

/** The fields a caller gave: an absent (undefined) field keeps the stored value. */
export function definedOnly<T extends Record<string, unknown>>(given: T): Partial<T> {
  return Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * On MariaDB/MySQL, read the current default FOR UPDATE: two admins setting a default at once then take turns, and
 * the second sees the first's, so one default remains. SQLite lets one writer in at a time anyway.
 */
export function lockingRead(em: EntityManager): { lockMode?: LockMode.PESSIMISTIC_WRITE } {
  return em.getPlatform() instanceof MySqlPlatform ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {};
}

/** One record's change history, newest first, for its settings page and the API. */
export async function placesHistory(em: EntityManager, entityTypes: PlacesAuditEntity[], entityId: string, limit = 50): Promise<AuditEvent[]> {
  return em.find(AuditEvent, { entityType: { $in: entityTypes }, entityId }, { orderBy: { at: 'desc', id: 'desc' }, limit });
}
