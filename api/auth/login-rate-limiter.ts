/**
 * Stops password guessing: after 5 failed sign-ins for one account from one address within 15 minutes, further
 * attempts are refused until the window passes. Attempts are rows in the database, so every web process counts
 * the same ones and a restart forgets nothing.
 */
import { LoginAttempt } from '../../db/entities';
import type { Db } from '../../db/orm';

export interface LoginKey {
  /** The account name as typed; compared lower-cased. */
  account: string;
  clientAddress: string;
}

export type LoginAdmission = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface LoginRateLimiter {
  /**
   * Counts an attempt before the password is checked, so that requests racing on several processes cannot slip
   * past the limit together; a refused attempt is not counted.
   */
  admit(key: LoginKey): Promise<LoginAdmission>;
  /** The password was right: the account's earlier failures from this address no longer count. */
  succeeded(key: LoginKey): Promise<void>;
}

export interface LoginRateLimiterOptions {
  maxFailures?: number;
  windowMs?: number;
  /** Milliseconds since the epoch; tests move it instead of waiting a quarter of an hour. */
  now?: () => number;
}

const CLEANUP_EVERY_MS = 60_000;

function rowKey(key: LoginKey) {
  // Column sizes: a longer name or address cannot be a real one, and cutting keeps the key stable.
  return { accountKey: key.account.trim().toLowerCase().slice(0, 100), clientAddress: key.clientAddress.slice(0, 64) };
}

export function createLoginRateLimiter(deps: { db: Db }, { maxFailures = 5, windowMs = 15 * 60_000, now = Date.now }: LoginRateLimiterOptions = {}): LoginRateLimiter {
  let lastCleanup = 0;

  /** Rows older than the window count for nothing; one process at a time a minute is enough to keep the table small. */
  async function cleanUp(at: number): Promise<void> {
    if (at - lastCleanup < CLEANUP_EVERY_MS) return;
    lastCleanup = at;
    await deps.db.em().nativeDelete(LoginAttempt, { attemptedAt: { $lt: new Date(at - windowMs) } });
  }

  return {
    async admit(key) {
      const at = now();
      await cleanUp(at);
      const where = rowKey(key);
      const em = deps.db.em();
      // Insert first, then count: of several attempts racing on different processes, the last to count sees all
      // the others, so no more than maxFailures ever get past.
      const mine = em.create(LoginAttempt, { ...where, attemptedAt: new Date(at) });
      await em.flush();
      const recent = await em.find(
        LoginAttempt,
        { ...where, attemptedAt: { $gt: new Date(at - windowMs) } },
        { fields: ['id', 'attemptedAt'], orderBy: { attemptedAt: 'asc', id: 'asc' } },
      );
      const earlier = recent.filter((r) => r.id !== mine.id);
      if (earlier.length < maxFailures) return { allowed: true };
      await em.nativeDelete(LoginAttempt, { id: mine.id });
      const oldestCounted = earlier[earlier.length - maxFailures]?.attemptedAt.getTime() ?? at;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldestCounted + windowMs - at) / 1000)) };
    },
    async succeeded(key) {
      await deps.db.em().nativeDelete(LoginAttempt, rowKey(key));
    },
  };
}
