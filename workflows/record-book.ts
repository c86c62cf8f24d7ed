/**
 * The bookkeeping every stock workflow does the same way: a snapshot whose version goes up once per batch of changes,
 * audit entries numbered per record, and one write of both (the read model) when something changed — so a retried
 * or replayed write carries the same keys and versions and is applied once.
 */
import type { AuditEntry } from '../domain/order-snapshot';
import type { Actor } from '../domain/roles';
import { fitText, TEXT_LIMITS } from '../domain/text-limits';
import { auditEntry } from './order-state';

export interface RecordBook {
  now(): string;
  record(action: string, actor: Actor, reason?: string, after?: Record<string, unknown> | null): void;
  /** Marks the snapshot changed: its version goes up once until the next flush. */
  change(): void;
  /** Writes the snapshot and the new audit entries when anything changed since the last write. */
  flush(): Promise<void>;
}

export function recordBook<S extends { version: number }>(s: S, entityId: string, save: (input: { snapshot: S; audit: AuditEntry[] }) => Promise<void>): RecordBook {
  const audit: AuditEntry[] = [];
  let seq = 0;
  // The first snapshot (version 1) has not been written yet.
  let dirty = true;
  const now = () => new Date().toISOString();
  return {
    now,
    record(action, actor, reason = '', after = null) {
      audit.push(auditEntry(entityId, ++seq, action, actor, now(), fitText(reason, TEXT_LIMITS.auditReason), null, after));
    },
    change() {
      if (!dirty) s.version += 1;
      dirty = true;
    },
    async flush() {
      if (!dirty && !audit.length) return;
      dirty = false;
      await save({ snapshot: s, audit: audit.splice(0) });
    },
  };
}

/** Updates wait in line and are applied one at a time by the workflow's loop; each resolves with its own answer. */
export function commandQueue<C, R>() {
  const queue: Array<{ cmd: C; resolve: (r: R) => void }> = [];
  return {
    enqueue: (cmd: C) => new Promise<R>((resolve) => queue.push({ cmd, resolve })),
    get length() {
      return queue.length;
    },
    next: () => queue.shift(),
  };
}
