/** Audit rows for changes to goods and their platform mappings, written in the same transaction as the change. */
import type { EntityManager } from '@mikro-orm/knex';
import { AuditEvent } from '../entities';
import { settingsAuditEvent, type SettingsActor, type SettingsAuditRow } from './settings-audit';

export type GoodsAuditRow = SettingsAuditRow & { entityType: 'sku' | 'sku_mapping' };

/** Inserts the rows at once (an import of thousands of SKUs writes one statement per few hundred rows). */
export async function writeGoodsAudit(em: EntityManager, actor: SettingsActor, rows: GoodsAuditRow[]): Promise<void> {
  if (!rows.length) return;
  const at = new Date();
  for (let i = 0; i < rows.length; i += 500) {
    await em.insertMany(AuditEvent, rows.slice(i, i + 500).map((r) => settingsAuditEvent(actor, r, at)));
  }
}
