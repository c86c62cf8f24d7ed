/** Calls the JSON API through app.request() as a script would: a Bearer token made in the database for a user, JSON in and out. */
import type { Hono } from 'hono';
import { issueApiToken } from '../../api/auth/issue-api-token';
import type { AppEnv } from '../../api/env';
import { User } from '../../db/entities';
import type { Db } from '../../db/orm';

/** A personal token for `username`, stored as /account/tokens stores it (only its SHA-256). */
export async function createApiToken(db: Db, username: string): Promise<string> {
  const em = db.em();
  const user = await em.findOneOrFail(User, { username });
  const { token } = issueApiToken(em, user.id, `test ${username}`);
  await em.flush();
  return token;
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface ApiClient {
  get<T = unknown>(path: string, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  post<T = unknown>(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  postForm<T = unknown>(path: string, form: FormData, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  raw(path: string, init?: RequestInit): Promise<Response>;
}

/** The body as the caller expects it to be typed; the test's own assertions are what check it. */
async function read<T>(res: Response): Promise<ApiResponse<T>> {
  const type = res.headers.get('content-type') ?? '';
  const body: unknown = type.includes('json') ? await res.json() : await res.text();
  return { status: res.status, headers: res.headers, body: body as T };
}

export function apiClient(app: Hono<AppEnv>, token: string | null): ApiClient {
  const auth = (headers: Record<string, string> = {}): Record<string, string> => (token ? { authorization: `Bearer ${token}`, ...headers } : headers);
  const raw = async (path: string, init: RequestInit = {}) => app.request(path, { ...init, headers: auth(init.headers as Record<string, string> | undefined) });
  return {
    raw,
    get: async <T>(path: string, headers?: Record<string, string>) => read<T>(await raw(path, { headers: headers ?? {} })),
    post: async <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
      read<T>(await raw(path, { method: 'POST', body: body === undefined ? null : JSON.stringify(body), headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers } })),
    postForm: async <T>(path: string, form: FormData, headers?: Record<string, string>) => read<T>(await raw(path, { method: 'POST', body: form, headers: headers ?? {} })),
  };
}

/** Order ids hold colons; the API takes them URL-encoded in the path. */
export function orderPath(id: string, suffix = ''): string {
  return `/api/v1/orders/${encodeURIComponent(id)}${suffix}`;
}
