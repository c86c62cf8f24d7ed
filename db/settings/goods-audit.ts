/** Audit rows for changes to goods and their platform mappings, written in the same transaction as the change. */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/knex';
import { AuditEvent } from '../entities';
import { fitText, TEXT_LIMITS } from '../../domain/text-limits';
import type { Actor } from '../../domain/roles';

export interface GoodsAuditRow {
  entityType: 'sku' | 'sku_mapping';
  entityId: string;
  action: string;
  reason?: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** Inserts the rows at once (an import of thousands of SKUs writes one statement per few hundred rows). */
export async function writeGoodsAudit(em: EntityManager, actor: Pick<Actor, 'username' | 'displayName'>, rows: GoodsAuditRow[]): Promise<void> {
  if (!rows.length) return;
  const at = new Date();
  for (let i = 0; i < rows.length; i += 500) {
    await em.insertMany(AuditEvent, rows.slice(i, i + 500).map((r) => ({
      eventKey: `web:${r.entityType}:${r.entityId}:${r.action}:${randomUUID()}`.slice(0, 191),
      entityType: r.entityType,
      entityId: r.entityId.slice(0, 120),
      action: r.action,
      actor: actor.username,
      actorName: actor.displayName,
      reason: fitText(r.reason ?? '', TEXT_LIMITS.auditReason),
      before: r.before ?? null,
      after: r.after ?? null,
      at,
    })));
  }
}
