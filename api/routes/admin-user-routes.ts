/**
 * 用户与权限 (admin only): staff accounts, their roles and passwords; every change is audited, and an admin
 * cannot lock themselves out by removing their own admin role or account.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { AuditEvent, User } from '../../db/entities';
import { isRole, ROLES, type Role } from '../../domain/roles';
import { MIN_PASSWORD_LENGTH, hashPassword } from '../auth/passwords';
import { requireRole } from '../auth/require-role';
import { USERNAME_PATTERN } from '../auth/username';
import { deleteUserSessions, revokeUserApiTokens } from '../auth/sessions';
import { recordAudit } from '../audit';
import type { AppEnv } from '../env';
import { asList, readForm } from '../read-form';
import { renderError, renderPage, t } from '../render';

const roleList = z.preprocess(asList, z.array(z.string()).refine((rs) => rs.every(isRole), 'admin.badRole').transform((rs) => [...new Set(rs)] as Role[]));
const password = z.string().min(MIN_PASSWORD_LENGTH, 'error.passwordTooShort').max(200);

const newUserForm = z.object({
  username: z.string().trim().regex(USERNAME_PATTERN, 'admin.badUsername'),
  displayName: z.string().trim().min(1, 'admin.displayNameRequired').max(100),
  password,
  roles: roleList.refine((rs) => rs.length > 0, 'admin.rolesRequired'),
});
const rolesForm = z.object({ roles: roleList.refine((rs) => rs.length > 0, 'admin.rolesRequired') });
const passwordForm = z.object({ password });

async function renderUsers(c: Context<AppEnv>, extra: { error?: string; notice?: string; form?: Record<string, unknown> } = {}, status: 200 | 400 | 409 = 200) {
  const users = await c.var.deps.db.em().find(User, {}, { orderBy: { active: 'desc', username: 'asc' } });
  return renderPage(c, 'admin/users', { title: t(c, 'nav.users'), users, allRoles: ROLES, ...extra }, extra.error ? (status === 200 ? 400 : status) : status);
}

async function renderUser(c: Context<AppEnv>, user: User, extra: { error?: string; notice?: string } = {}, status: 200 | 400 | 409 = 200) {
  const history = await c.var.deps.db.em().find(AuditEvent, { entityType: 'user', entityId: user.username }, { orderBy: { at: 'desc' }, limit: 50 });
  return renderPage(
    c,
    'admin/user',
    { title: `${t(c, 'nav.users')} · ${user.username}`, target: user, allRoles: ROLES, isSelf: user.id === c.var.user.id, history, ...extra },
    extra.error ? (status === 200 ? 400 : status) : status,
  );
}

async function findUser(c: Context<AppEnv>) {
  const id = Number(c.req.param('id'));
  if (!Number.isInteger(id) || id <= 0) return null;
  return c.var.deps.db.em().findOne(User, { id });
}

export const adminUserRoutes = new Hono<AppEnv>()
  .use('*', requireRole('users.manage'))
  .get('/', (c) => renderUsers(c))
  .post('/', async (c) => {
    const form = await readForm(c, newUserForm);
    const body = await c.req.parseBody({ all: true });
    const echo = { username: body.username, displayName: body.displayName, roles: asList(body.roles) };
    if (!form.ok) return renderUsers(c, { error: form.message, form: echo });
    const em = c.var.deps.db.em();
    if (await em.findOne(User, { username: form.data.username })) {
      return renderUsers(c, { error: t(c, 'admin.usernameTaken', { username: form.data.username }), form: echo }, 409);
    }
    const user = em.create(User, {
      username: form.data.username,
      displayName: form.data.displayName,
      passwordHash: await hashPassword(form.data.password),
      roles: form.data.roles,
      active: true,
      locale: 'zh-CN',
      createdAt: new Date(),
    });
    recordAudit(em, c.var.actor, {
      entityType: 'user',
      entityId: user.username,
      action: 'user.create',
      after: { displayName: user.displayName, roles: user.roles, active: true },
    });
    await em.flush();
    return renderUsers(c, { notice: t(c, 'admin.created', { username: user.username }) });
  })
  .get('/:id', async (c) => {
    const user = await findUser(c);
    return user ? renderUser(c, user) : renderError(c, 404, t(c, 'admin.userNotFound'));
  })
  .post('/:id/roles', async (c) => {
    const user = await findUser(c);
    if (!user) return renderError(c, 404, t(c, 'admin.userNotFound'));
    const form = await readForm(c, rolesForm);
    if (!form.ok) return renderUser(c, user, { error: form.message });
    if (user.id === c.var.user.id && !form.data.roles.includes('admin')) return renderUser(c, user, { error: t(c, 'admin.keepOwnAdmin') }, 409);
    const em = c.var.deps.db.em();
    const before = { roles: user.roles };
    const managed = await em.findOneOrFail(User, { id: user.id });
    managed.roles = form.data.roles;
    recordAudit(em, c.var.actor, { entityType: 'user', entityId: user.username, action: 'user.roles', before, after: { roles: managed.roles } });
    await em.flush();
    return renderUser(c, managed, { notice: t(c, 'admin.rolesSaved') });
  })
  .post('/:id/password', async (c) => {
    const user = await findUser(c);
    if (!user) return renderError(c, 404, t(c, 'admin.userNotFound'));
    const form = await readForm(c, passwordForm);
    if (!form.ok) return renderUser(c, user, { error: form.message });
    const em = c.var.deps.db.em();
    const managed = await em.findOneOrFail(User, { id: user.id });
    managed.passwordHash = await hashPassword(form.data.password);
    recordAudit(em, c.var.actor, { entityType: 'user', entityId: user.username, action: 'user.password_reset' });
    await em.flush();
    // A reset password ends every session signed in with the old one, except the admin's own current one.
    if (user.id !== c.var.user.id) await deleteUserSessions(em, user.id);
    await revokeUserApiTokens(em, user.id);
    return renderUser(c, managed, { notice: t(c, 'admin.passwordReset') });
  })
  .post('/:id/active', async (c) => {
    const user = await findUser(c);
    if (!user) return renderError(c, 404, t(c, 'admin.userNotFound'));
    const body = await c.req.parseBody();
    const active = body.active === '1';
    if (user.id === c.var.user.id && !active) return renderUser(c, user, { error: t(c, 'admin.keepOwnAccount') }, 409);
    const em = c.var.deps.db.em();
    const managed = await em.findOneOrFail(User, { id: user.id });
    if (managed.active !== active) {
      managed.active = active;
      recordAudit(em, c.var.actor, {
        entityType: 'user',
        entityId: user.username,
        action: active ? 'user.activate' : 'user.deactivate',
        before: { active: !active },
        after: { active },
      });
      await em.flush();
      if (!active) {
        await deleteUserSessions(em, user.id);
        await revokeUserApiTokens(em, user.id);
      }
    }
    return renderUser(c, managed, { notice: t(c, active ? 'admin.activated' : 'admin.deactivated') });
  });
