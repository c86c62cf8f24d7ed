/**
 * What a middleware guards, recorded on the middleware itself: sign-in, a permission, or a CSRF check. The route
 * access table (route-access.ts) reads these marks off the app's routes, so it describes what really runs.
 */
import { COMPOSED_HANDLER } from 'hono/utils/constants';
import type { Permission } from '../../domain/roles';

export type GuardMark =
  | { kind: 'signIn' }
  | { kind: 'permission'; permission: Permission }
  | { kind: 'csrf'; form: 'session' | 'login' };

const MARKS = new WeakMap<object, GuardMark>();

export function markGuard<H extends object>(mark: GuardMark, handler: H): H {
  MARKS.set(handler, mark);
  return handler;
}

/** The mark of a handler as the router holds it; a sub-app with its own error handler is mounted wrapped. */
export function guardMarkOf(handler: unknown): GuardMark | undefined {
  let h = handler;
  while (typeof h === 'function') {
    const mark = MARKS.get(h);
    if (mark) return mark;
    h = (h as unknown as Record<string, unknown>)[COMPOSED_HANDLER];
  }
  return undefined;
}
