/**
 * 数据保留期限: how many days print PDFs, the verbatim JSON of finished orders' platform orders and the access log are
 * kept; read by the retention-purge workflow's activity, changed by admins (page and API) with an audit row.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/knex';
import { z } from 'zod';
import { AuditEvent, RetentionSetting } from './entities';
import type { Actor } from '../domain/roles';

export const RETENTION_ID = 1;
export const RETENTION_DAYS = { min: 1, max: 3650 } as const;

export interface RetentionDays {
  printPdfDays: number;
  platformOrderDays: number;
  accessLogDays: number;
}

export const RETENTION_DEFAULTS: RetentionDays = { printPdfDays: 30, platformOrderDays: 90, accessLogDays: 365 };

const days = z.coerce.number().int().min(RETENTION_DAYS.min).max(RETENTION_DAYS.max);
export const retentionInput = z.object({ printPdfDays: days, platformOrderDays: days, accessLogDays: days });

export async function loadRetention(em: EntityManager): Promise<RetentionDays & { updatedBy: string; updatedAt: Date | null }> {
  const row = await em.findOne(RetentionSetting, { id: RETENTION_ID });
  if (!row) return { ...RETENTION_DEFAULTS, updatedBy: '', updatedAt: null };
  return { printPdfDays: row.printPdfDays, platformOrderDays: row.platformOrderDays, accessLogDays: row.accessLogDays, updatedBy: row.updatedBy, updatedAt: row.updatedAt };
}

/** Saves the three periods with an audit row of what changed; the caller has checked them with retentionInput. */
export async function saveRetention(em: EntityManager, actor: Pick<Actor, 'username' | 'displayName'>, input: RetentionDays): Promise<RetentionDays> {
  return em.transactional(async (tx) => {
    const row = (await tx.findOne(RetentionSetting, { id: RETENTION_ID })) ?? tx.create(RetentionSetting, { id: RETENTION_ID, ...RETENTION_DEFAULTS });
    const before: RetentionDays = { printPdfDays: row.printPdfDays, platformOrderDays: row.platformOrderDays, accessLogDays: row.accessLogDays };
    tx.assign(row, { ...input, updatedBy: actor.username, updatedAt: new Date() });
    tx.create(AuditEvent, {
      eventKey: `web:retention:settings:${randomUUID()}`,
      entityType: 'retention',
      entityId: 'settings',
      action: 'retention_settings',
      actor: actor.username,
      actorName: actor.displayName,
      before: { ...before },
      after: { ...input },
      at: new Date(),
    });
    await tx.flush();
    return input;
  });
}

/** The last purges, newest first, as their audit rows recorded them. */
export async function recentPurges(em: EntityManager, limit = 10): Promise<AuditEvent[]> {
  return em.find(AuditEvent, { entityType: 'retention', action: 'retention_purge' }, { orderBy: { at: 'desc', id: 'desc' }, limit });
}
