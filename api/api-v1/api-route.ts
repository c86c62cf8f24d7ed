/**
 * What every JSON API route is declared with: the permission it needs (checked by the same requireRole as the
 * pages, before its input is read), the bearer token it takes, its error responses, and one answer to bad input
 * (400 with the first problem in the caller's language, nothing changed).
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { z } from 'zod';
import { PERMISSIONS, ROLE_LABELS, type Permission } from '../../domain/roles';
import { requireRole } from '../auth/require-role';
import type { AppEnv } from '../env';
import { describeIssue } from '../read-form';
import { apiErrorBody } from './api-error';
import { ErrorSchema } from './api-schemas';

export const BEARER_SCHEME = 'bearerAuth';

export function apiApp(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return c.json(apiErrorBody('bad_request', describeIssue(c, result.error)), 400);
      return undefined;
    },
  });
}

export function jsonResponse<S extends z.ZodType>(schema: S, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

export function errorResponse(description: string) {
  return jsonResponse(ErrorSchema, description);
}

export function jsonBody<S extends z.ZodType>(schema: S) {
  return { required: true as const, content: { 'application/json': { schema } } };
}

/** The 400/401/403/500 every route may answer with. */
export const COMMON_ERRORS = {
  400: errorResponse('Bad input (`bad_request`); nothing was changed'),
  401: errorResponse('No token, or a revoked or unknown one (`unauthorized`)'),
  403: errorResponse("The token's user lacks the permission (`forbidden`); the message names the roles that have it"),
  500: errorResponse('Unexpected error (`internal`)'),
};

function rolesOf(permission: Permission): string {
  return PERMISSIONS[permission].map((r) => `${r} (${ROLE_LABELS[r].zh})`).join(', ');
}

/**
 * What makes a route need `permission`: the same requireRole as the pages, run before its input is read, the
 * bearer token, and the description saying who may call it. Spread into createRoute with COMMON_ERRORS.
 */
export function guard(permission: Permission, description = '') {
  return {
    description: `${description ? `${description}\n\n` : ''}Permission \`${permission}\`: ${rolesOf(permission)}.`,
    security: [{ [BEARER_SCHEME]: [] }],
    'x-permission': permission,
    middleware: requireRole(permission),
  };
}
