/** Lets a request through only when one of the user's roles holds the permission; the workflow validator checks again. */
import type { MiddlewareHandler } from 'hono';
import { can, PERMISSIONS, ROLE_LABELS, type Permission } from '../../domain/roles';
import type { AppEnv } from '../env';
import { renderError, t } from '../render';
import { markGuard } from './guard-mark';

export function requireRole(permission: Permission): MiddlewareHandler<AppEnv> {
  return markGuard({ kind: 'permission', permission }, async (c, next) => {
    const user = c.get('user');
    if (user && can(user.roles, permission)) return next();
    const en = c.get('locale') === 'en';
    const roles = PERMISSIONS[permission].map((r) => (en ? ROLE_LABELS[r].en : ROLE_LABELS[r].zh)).join(en ? ', ' : '、');
    return renderError(c, 403, t(c, 'auth.forbidden', { roles }));
  });
}
