/** A user's own API tokens for /api/v1: shown once when created, stored only as a hash, revocable at any time. */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ApiToken } from '../../db/entities';
import { issueApiToken } from '../auth/issue-api-token';
import { requireRole } from '../auth/require-role';
import { recordAudit } from '../audit';
import type { AppEnv } from '../env';
import { readForm } from '../read-form';
import { renderError, renderPage, t } from '../render';

const MAX_TOKENS = 20;
const tokenForm = z.object({ name: z.string().trim().min(1, 'tokens.nameRequired').max(100) });

async function renderTokens(c: Context<AppEnv>, extra: { error?: string; created?: string; notice?: string } = {}, status: 200 | 400 | 409 = 200) {
  const tokens = await c.var.deps.db.em().find(ApiToken, { userId: c.var.user.id }, { orderBy: { revokedAt: 'asc', createdAt: 'desc' } });
  return renderPage(c, 'account/tokens', { title: t(c, 'nav.tokens'), tokens, ...extra }, status);
}

export const accountTokenRoutes = new Hono<AppEnv>()
  // Every role may hold tokens; what a token can do is what its owner's roles allow.
  .use('*', requireRole('order.view'))
  .get('/', (c) => renderTokens(c))
  .post('/', async (c) => {
    const form = await readForm(c, tokenForm);
    if (!form.ok) return renderTokens(c, { error: form.message }, 400);
    const em = c.var.deps.db.em();
    if ((await em.count(ApiToken, { userId: c.var.user.id, revokedAt: null })) >= MAX_TOKENS) {
      return renderTokens(c, { error: t(c, 'tokens.tooMany', { max: MAX_TOKENS }) }, 409);
    }
    const { token, prefix } = issueApiToken(em, c.var.user.id, form.data.name);
    recordAudit(em, c.var.actor, { entityType: 'user', entityId: c.var.user.username, action: 'token.create', after: { name: form.data.name, prefix } });
    await em.flush();
    return renderTokens(c, { created: token });
  })
  .post('/:id/revoke', async (c) => {
    const em = c.var.deps.db.em();
    const id = Number(c.req.param('id'));
    const token = Number.isInteger(id) ? await em.findOne(ApiToken, { id, userId: c.var.user.id }) : null;
    if (!token) return renderError(c, 404, t(c, 'tokens.notFound'));
    if (!token.revokedAt) {
      token.revokedAt = new Date();
      recordAudit(em, c.var.actor, { entityType: 'user', entityId: c.var.user.username, action: 'token.revoke', after: { name: token.name, prefix: token.prefix } });
      await em.flush();
    }
    return renderTokens(c, { notice: t(c, 'tokens.revoked', { name: token.name }) });
  });
