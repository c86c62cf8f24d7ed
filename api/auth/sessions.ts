/** Server-side sign-in sessions: the browser holds a random id, the table holds its SHA-256, so a leaked table opens nothing. */
import type { EntityManager } from '@mikro-orm/knex';
import { Session, User } from '../../db/entities';
import { randomToken, sha256Hex } from './secret-token';

export const SESSION_COOKIE = 'gj_sid';

export interface SessionInfo {
  ip: string;
  userAgent: string;
}

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

/** The live session and its active user for a cookie value, or null; an expired row is removed on sight. */
export async function findSession(em: EntityManager, cookieValue: string): Promise<{ session: Session; user: User } | null> {
  if (!cookieValue || cookieValue.length > 100) return null;
  const session = await em.findOne(Session, { id: sha256Hex(cookieValue) });
  if (!session) return null;
  if (session.expiresAt.getTime() <= Date.now()) {
    await em.nativeDelete(Session, { id: session.id });
    return null;
  }
  const user = await em.findOne(User, { id: session.userId, active: true });
  return user ? { session, user } : null;
}

/**
 * Slides the expiry forward; written at most every few minutes so that reading pages does not write the
 * session row on every request. Returns whether the cookie must be sent again.
 */
export async function extendSession(em: EntityManager, session: Session, hours: number): Promise<boolean> {
  const target = Date.now() + hours * 3600_000;
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
