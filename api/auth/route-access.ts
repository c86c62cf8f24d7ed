/**
 * Who may call each route, read off the app itself: for every endpoint, the guards (sign-in, permissions, CSRF)
 * that run before its handler, in the order the router runs them. A route that is neither guarded nor on the
 * public list is a hole; the permission-matrix and CSRF tests walk this table so a new route cannot slip past.
 */
import type { Hono } from 'hono';
import type { Env } from 'hono/types';
import type { Permission } from '../../domain/roles';
import { guardMarkOf } from './guard-mark';

export interface RouteAccess {
  method: string;
  /** The router's pattern, e.g. `/orders/:id`; `key` is `${method} ${path}`. */
  path: string;
  key: string;
  signIn: boolean;
  /** Every permission a guard on the way demands; the caller needs them all. */
  permissions: Permission[];
  /** Which CSRF check runs before the handler: the session's form token, the login form's token, or none. */
  csrf: 'session' | 'login' | null;
}

/** Routes open without signing in, each with the reason it may be. */
export const PUBLIC_ROUTES: Readonly<Record<string, string>> = {
  'GET /assets/:name': 'stylesheet and scripts, also of the login page',
  'GET /login': 'the sign-in form',
  'POST /login': 'signing in, held by the login CSRF token and the rate limit',
  'GET /lang/:locale': 'choosing the language on the login page',
  'GET /api/v1/openapi.json': 'the API description, which holds no data',
};

/** Routes for anyone signed in, whatever their roles. */
export const SIGNED_IN_ROUTES: Readonly<Record<string, string>> = {
  'GET /': 'sends each role to the page its work starts from',
  'POST /logout': 'signing out',
};

/** Values tried for path parameters until the router reaches the route: a parameter may carry a pattern of its own. */
const SAMPLE_VALUES = ['1', 'x', 'x.pdf'];

function samplePath(pattern: string, value: string): string {
  return pattern.replace(/:(\w+)(\{[^}]*\})?\??/g, value).replace(/\*/g, value);
}

export function routeAccess<E extends Env>(app: Hono<E>): RouteAccess[] {
  const endpoints = new Map<string, { method: string; path: string; handler: unknown }>();
  // The last handler registered for a method and path is the one that answers; those before it are its middleware.
  for (const r of app.routes) if (r.method !== 'ALL') endpoints.set(`${r.method} ${r.path}`, r);
  return [...endpoints.entries()].map(([key, { method, path, handler }]) => {
    let matched: unknown[] = [];
    for (const value of SAMPLE_VALUES) {
      matched = app.router.match(method, samplePath(path, value))[0].map(([[h]]) => h as unknown);
      if (matched.includes(handler)) break;
    }
    const at = matched.indexOf(handler);
    if (at < 0) throw new Error(`${key}: no sample path reaches this route; add a value its parameters accept to SAMPLE_VALUES`);
    const access: RouteAccess = { method, path, key, signIn: false, permissions: [], csrf: null };
    for (const h of matched.slice(0, at + 1)) {
      const mark = guardMarkOf(h);
      if (mark?.kind === 'signIn') access.signIn = true;
      else if (mark?.kind === 'permission' && !access.permissions.includes(mark.permission)) access.permissions.push(mark.permission);
      else if (mark?.kind === 'csrf') access.csrf = mark.form;
    }
    return access;
  });
}
