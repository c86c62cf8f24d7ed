/**
 * Slows password guessing without locking the real user out: failed sign-ins are counted per account (from any address)
 * and per client address (at any account); past a few free failures, each further try must wait a delay that doubles
 * up to a cap of minutes. Attempts are rows in the database, so every web process counts the same ones and a restart
 * forgets nothing.
 */
import { LoginAttempt } from '../../db/entities';
import type { Db } from '../../db/orm';

export interface LoginKey {
  /** The account as looked up: its stored name, or the typed name when there is none; compared lower-cased. */
  account: string;
  /** The client address (see client-address.ts); empty when unknown, which is then not counted on its own. */
  clientAddress: string;
}

export type LoginAdmission = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface LoginRateLimiter {
  /**
   * Counts an attempt before the password is checked, so that requests racing on several processes cannot slip
   * past the limit together; a refused attempt is not counted.
   */
  admit(key: LoginKey): Promise<LoginAdmission>;
  /** The password was right: the account's failures no longer count, and this attempt does not count for the address. */
  succeeded(key: LoginKey): Promise<void>;
}

export interface LoginRateLimiterOptions {
  /** Failures of one account in the window before tries are slowed. */
  freeAccountFailures?: number;
  /** Failures from one address in the window before tries are slowed; higher, as an office may share an address. */
  freeAddressFailures?: number;
  /** The first wait once the free failures are used; each further failure doubles it. */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Failures older than this count for nothing. */
  windowMs?: number;
  /** Milliseconds since the epoch; tests move it instead of waiting. */
  now?: () => number;
}

const CLEANUP_EVERY_MS = 60_000;

type Where = { accountKey: string; clientAddress: string };

// Two kinds of row in one table: an account's failure has no address, an address's failure has no account
// (account names have at least two characters, so '' is never one).
function counters(key: LoginKey): Where[] {
  const account = { accountKey: key.account.trim().toLowerCase().slice(0, 100), clientAddress: '' };
  const address = key.clientAddress.slice(0, 64);
  return address ? [account, { accountKey: '', clientAddress: address }] : [account];
}

export function createLoginRateLimiter(
  deps: { db: Db },
  { freeAccountFailures = 5, freeAddressFailures = 20, firstDelayMs = 30_000, maxDelayMs = 5 * 60_000, windowMs = 60 * 60_000, now = Date.now }: LoginRateLimiterOptions = {},
): LoginRateLimiter {
  let lastCleanup = 0;

  /** Rows older than the window count for nothing; one process at a time a minute is enough to keep the table small. */
  async function cleanUp(at: number): Promise<void> {
    if (at - lastCleanup < CLEANUP_EVERY_MS) return;
    lastCleanup = at;
    await deps.db.em().nativeDelete(LoginAttempt, { attemptedAt: { $lt: new Date(at - windowMs) } });
  }

  /** Milliseconds still to wait before a counter with these earlier failures lets the next try through. */
  function waitFor(earlier: Date[], free: number, at: number): number {
    if (earlier.length < free) return 0;
    const delay = Math.min(maxDelayMs, firstDelayMs * 2 ** Math.min(earlier.length - free, 30));
    const last = Math.max(...earlier.map((d) => d.getTime()));
    return Math.max(0, last + delay - at);
  }

  return {
    async admit(key) {
      const at = now();
      await cleanUp(at);
      const em = deps.db.em();
      const wheres = counters(key);
      // Insert first, then count: of several attempts racing on different processes, each sees the others, so a
      // burst after the free failures is refused together rather than let through together.
      const mine = wheres.map((where) => em.create(LoginAttempt, { ...where, attemptedAt: new Date(at) }));
      await em.flush();
      const mineIds = new Set(mine.map((m) => m.id));
      let waitMs = 0;
      for (const where of wheres) {
        const rows = await em.find(LoginAttempt, { ...where, attemptedAt: { $gt: new Date(at - windowMs) } }, { fields: ['id', 'attemptedAt'] });
        const earlier = rows.filter((r) => !mineIds.has(r.id)).map((r) => r.attemptedAt);
        waitMs = Math.max(waitMs, waitFor(earlier, where.clientAddress ? freeAddressFailures : freeAccountFailures, at));
      }
      if (waitMs === 0) return { allowed: true };
      await em.nativeDelete(LoginAttempt, { id: { $in: [...mineIds] } });
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    },
    async succeeded(key) {
      const [account, address] = counters(key);
      const em = deps.db.em();
      if (account) await em.nativeDelete(LoginAttempt, account);
      // The address keeps its failures, but this attempt was none: an office behind one address signs in all morning.
      const own = address ? await em.findOne(LoginAttempt, address, { fields: ['id'], orderBy: { attemptedAt: 'desc', id: 'desc' } }) : null;
      if (own) await em.nativeDelete(LoginAttempt, { id: own.id });
    },
  };
}
