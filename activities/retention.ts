/**
 * The retention purge's steps (数据保留): each removes at most one batch of what has outlived its period and says how
 * many it changed, so the workflow loops until a batch comes back short. Every step is idempotent: what a retried
 * attempt already removed is simply not found again. A purge ends with one audit row holding its counts.
 */
import { AuditEvent, Order, PiiAccessLog, PlatformOrder, PrintBatch } from '../db/entities';
import type { Db } from '../db/orm';
import type { Actor } from '../domain/roles';
import { loadRetention, type RetentionDays } from '../db/retention-settings';

export interface PurgeBatchInput {
  /** ISO time: what is older than this goes. */
  before: string;
  batchSize: number;
}

export interface ClearPlatformOrdersInput extends PurgeBatchInput {
  /** Platform order ids up to this one were looked at by earlier batches. */
  afterId: number;
}

export interface ClearPlatformOrdersResult {
  cleared: number;
  scanned: number;
  lastId: number;
}

export interface RetentionPurgeCounts {
  pdfs: number;
  platformOrders: number;
  accessLogs: number;
}

export interface RecordRetentionPurgeInput {
  purgeId: string;
  counts: RetentionPurgeCounts;
  settings: RetentionDays;
  actor: Actor;
}

/** What a cleared platform order keeps: its row and keys, with JSON that still parses. */
export const CLEARED_RAW = '{}';
const FINISHED = ['done', 'cancelled'] as const;

export function createRetentionActivities({ db }: { db: Db }) {
  return {
    /** The periods as an admin saved them (defaults when never saved). */
    async loadRetentionSettings(): Promise<RetentionDays> {
      const { printPdfDays, platformOrderDays, accessLogDays } = await loadRetention(db.em());
      return { printPdfDays, platformOrderDays, accessLogDays };
    },

    /** Drops the PDF of print runs made before the cutoff (the run's record stays, its page says the PDF is gone). */
    async purgePrintPdfs({ before, batchSize }: PurgeBatchInput): Promise<number> {
      const em = db.em();
      const rows = await em.find(PrintBatch, { createdAt: { $lt: new Date(before) }, pdf: { $ne: null } }, { fields: ['id'], orderBy: { createdAt: 'asc' }, limit: batchSize });
      if (!rows.length) return 0;
      return em.nativeUpdate(PrintBatch, { id: { $in: rows.map((r) => r.id) } }, { pdf: null });
    },

    /**
     * Clears the verbatim JSON of platform orders whose orders all finished (done or cancelled) before the cutoff, and
     * of those never submitted that were last changed before it; keys and numbers stay, so a later pull still matches.
     */
    async clearPlatformOrders({ before, afterId, batchSize }: ClearPlatformOrdersInput): Promise<ClearPlatformOrdersResult> {
      const em = db.em();
      const cutoff = new Date(before);
      const candidates = await em.find(
        PlatformOrder,
        { id: { $gt: afterId }, updatedAt: { $lt: cutoff }, raw: { $ne: CLEARED_RAW } },
        { fields: ['id', 'shopCode', 'platformOrderNo', 'submitted'], orderBy: { id: 'asc' }, limit: batchSize },
      );
      if (!candidates.length) return { cleared: 0, scanned: 0, lastId: afterId };
      const orders = await em.find(
        Order,
        { platformOrderNo: { $in: [...new Set(candidates.map((p) => p.platformOrderNo))] } },
        { fields: ['shopCode', 'platformOrderNo', 'status', 'updatedAt'] },
      );
      const ordersOf = new Map<string, Array<{ status: string; updatedAt: Date }>>();
      for (const o of orders) {
        const key = `${o.shopCode}\n${o.platformOrderNo}`;
        ordersOf.set(key, [...(ordersOf.get(key) ?? []), o]);
      }
      const expired = candidates.filter((p) => {
        const own = ordersOf.get(`${p.shopCode}\n${p.platformOrderNo}`) ?? [];
        if (!own.length) return !p.submitted;
        return own.every((o) => (FINISHED as readonly string[]).includes(o.status) && o.updatedAt < cutoff);
      });
      const cleared = expired.length ? await em.nativeUpdate(PlatformOrder, { id: { $in: expired.map((p) => p.id) } }, { raw: CLEARED_RAW }) : 0;
      return { cleared, scanned: candidates.length, lastId: candidates[candidates.length - 1]!.id };
    },

    /** Deletes access-log rows older than the cutoff, oldest first. */
    async purgeAccessLogs({ before, batchSize }: PurgeBatchInput): Promise<number> {
      const em = db.em();
      const rows = await em.find(PiiAccessLog, { at: { $lt: new Date(before) } }, { fields: ['id'], orderBy: { at: 'asc', id: 'asc' }, limit: batchSize });
      if (!rows.length) return 0;
      return em.nativeDelete(PiiAccessLog, { id: { $in: rows.map((r) => r.id) } });
    },

    /** One audit row per purge, keyed by the purge's run so a retried attempt writes it once. */
    async recordRetentionPurge({ purgeId, counts, settings, actor }: RecordRetentionPurgeInput): Promise<void> {
      const em = db.em();
      const eventKey = `retention:${purgeId}`.slice(0, 191);
      if (await em.findOne(AuditEvent, { eventKey }, { fields: ['id'] })) return;
      em.create(AuditEvent, {
        eventKey,
        entityType: 'retention',
        entityId: 'purge',
        action: 'retention_purge',
        actor: actor.username,
        actorName: actor.displayName,
        reason: `删除 PDF ${counts.pdfs} 个，清空原始单 ${counts.platformOrders} 个，删除访问日志 ${counts.accessLogs} 条`,
        before: { ...settings },
        after: { ...counts },
        at: new Date(),
      });
      await em.flush();
    },
  };
}
