/**
 * Stops password guessing: after 5 failed sign-ins for one username from one address within 15 minutes,
 * further attempts are refused until the window passes. The store is in-process memory, so limits are
 * per web process and reset on restart; behind several web processes each keeps its own count.
 */

export interface LoginRateLimiter {
  /** Seconds until the next attempt is allowed, or 0 when it is allowed now. */
  retryAfter(key: string, now?: number): number;
  recordFailure(key: string, now?: number): void;
  reset(key: string): void;
}

export function createLoginRateLimiter({ maxFailures = 5, windowMs = 15 * 60_000 } = {}): LoginRateLimiter {
  const failures = new Map<string, number[]>();
  const recent = (key: string, now: number): number[] => {
    const kept = (failures.get(key) ?? []).filter((t) => now - t < windowMs);
    if (kept.length) failures.set(key, kept);
    else failures.delete(key);
    return kept;
  };
  return {
    retryAfter(key, now = Date.now()) {
      const kept = recent(key, now);
      if (kept.length < maxFailures) return 0;
      const oldest = kept[kept.length - maxFailures] ?? now;
      return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
    },
    recordFailure(key, now = Date.now()) {
      const kept = recent(key, now);
      kept.push(now);
      failures.set(key, kept);
      // Bounded memory under a spray of usernames: drop the stalest keys first.
      if (failures.size > 10_000) {
        const first = failures.keys().next().value;
        if (first !== undefined) failures.delete(first);
      }
    },
    reset(key) {
      failures.delete(key);
    },
  };
}
