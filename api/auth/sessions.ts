/** Server-side sign-in sessions: the browser holds a random id, the table holds its SHA-256, so a leaked table opens nothing. */
import type { EntityManager } from '@mikro-orm/knex';
import { ApiToken, Session, User } from '../../db/entities';
import { DEFAULT_SESSION_MAX_HOURS } from '../config';
import type { AppConfig } from '../env';
import { randomToken, sha256Hex } from './secret-token';

export const SESSION_COOKIE = 'gj_sid';

export interface SessionInfo {
  ip: string;
  userAgent: string;
}

/** How long sessions last: `idleHours` after the last use, and never more than `maxHours` after sign-in. */
export interface SessionLifetime {
  idleHours: number;
  maxHours: number;
}

function absoluteEnd(session: Pick<Session, 'createdAt'>, maxHours: number): number {
  return session.createdAt.getTime() + maxHours * 3600_000;
}

/** Seconds the session's cookie should live: until the session's own expiry. */
export function cookieSeconds(session: Pick<Session, 'expiresAt'>): number {
  return Math.max(0, Math.floor((session.expiresAt.getTime() - Date.now()) / 1000));
}

/** The session settings of the web app's configuration; the absolute lifetime defaults to DEFAULT_SESSION_MAX_HOURS. */
export function sessionLifetime(config: AppConfig): SessionLifetime {
  return { idleHours: config.sessionHours, maxHours: config.sessionMaxHours ?? DEFAULT_SESSION_MAX_HOURS };
}

/** A new session that first expires after `hours` (for sign-in: the smaller of the idle and the absolute lifetime). */
export async function createSession(em: EntityManager, user: User, hours: number, info: SessionInfo): Promise<{ cookieValue: string; session: Session }> {
  const cookieValue = randomToken(32);
  const now = new Date();
  const session = em.create(Session, {
    id: sha256Hex(cookieValue),
    userId: user.id,
    csrfToken: randomToken(32),
    createdAt: now,
    expiresAt: new Date(now.getTime() + hours * 3600_000),
    ip: info.ip.slice(0, 64),
    userAgent: info.userAgent.slice(0, 255),
  });
  await em.flush();
  return { cookieValue, session };
}

/**
 * The live session and its active user for a cookie value, or null; a session idle too long or signed in longer ago
 * than the absolute lifetime is removed on sight.
 */
export async function findSession(em: EntityManager, cookieValue: string, maxHours: number): Promise<{ session: Session; user: User } | null> {
  if (!cookieValue || cookieValue.length > 100) return null;
  const session = await em.findOne(Session, { id: sha256Hex(cookieValue) });
  if (!session) return null;
  const now = Date.now();
  if (session.expiresAt.getTime() <= now || absoluteEnd(session, maxHours) <= now) {
    await em.nativeDelete(Session, { id: session.id });
    return null;
  }
  const user = await em.findOne(User, { id: session.userId, active: true });
  return user ? { session, user } : null;
}

/**
 * Slides the expiry forward, never past the absolute end; written at most every few minutes so that reading pages
 * does not write the session row on every request. Returns whether the cookie must be sent again.
 */
export async function extendSession(em: EntityManager, session: Session, lifetime: SessionLifetime): Promise<boolean> {
  const target = Math.min(Date.now() + lifetime.idleHours * 3600_000, absoluteEnd(session, lifetime.maxHours));
  if (target - session.expiresAt.getTime() < 5 * 60_000) return false;
  await em.nativeUpdate(Session, { id: session.id }, { expiresAt: new Date(target) });
  session.expiresAt = new Date(target);
  return true;
}

export async function deleteSession(em: EntityManager, cookieValue: string): Promise<void> {
  await em.nativeDelete(Session, { id: sha256Hex(cookieValue) });
}

export async function deleteUserSessions(em: EntityManager, userId: number): Promise<void> {
  await em.nativeDelete(Session, { userId });
}

/** A password reset or a deactivation also ends the user's personal API tokens: they were issued under the old trust. */
export async function revokeUserApiTokens(em: EntityManager, userId: number): Promise<void> {
  await em.nativeUpdate(ApiToken, { userId, revokedAt: null }, { revokedAt: new Date() });
}
