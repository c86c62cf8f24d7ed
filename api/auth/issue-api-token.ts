/** A personal API token (gj_…): handed out once, only its SHA-256 and a prefix to recognise it by are stored. */
import type { EntityManager } from '@mikro-orm/core';
import { ApiToken } from '../../db/entities';
import { randomToken, sha256Hex } from './secret-token';

/** Adds the token to the unit of work (the caller flushes) and returns its clear text, shown this once. */
export function issueApiToken(em: EntityManager, userId: number, name: string): { token: string; prefix: string } {
  const token = `gj_${randomToken(32)}`;
  const prefix = token.slice(0, 10);
  em.create(ApiToken, { userId, name, tokenHash: sha256Hex(token), prefix, createdAt: new Date(), lastUsedAt: null, revokedAt: null });
  return { token, prefix };
}
