/**
 * The codec endpoint the Temporal UI (and CLI) calls to show encrypted payloads in clear: `POST /codec/decode` and
 * `/codec/encode`, Temporal's codec-server protocol. Payloads hold buyers' names, phones and addresses, so it opens
 * only to a signed-in admin (permission temporal.decode), answers only the Temporal UI's origin (CORS with
 * credentials), and every call is written to the audit trail: who, how many payloads, from which origin.
 */
import type { Payload } from '@temporalio/common';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { actorOf, authenticate, bearerUser } from '../auth/authenticate';
import { markGuard } from '../auth/guard-mark';
import { requireRole } from '../auth/require-role';
import { recordAudit } from '../audit';
import type { AppEnv } from '../env';
import { t } from '../render';
import { guanjiaDataConverter } from '../temporal/temporal-security';

/** A page of a long history is a few hundred payloads; a decode larger than this is not the UI's. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const MAX_PAYLOADS = 5_000;

interface WirePayload {
  metadata?: Record<string, string>;
  data?: string;
}

/** The origins allowed to call from a browser: the Temporal UI's and the app's own, as 127.0.0.1 and localhost alike. */
export function codecOrigins(config: { temporalUiUrl: string; baseUrl: string }): Set<string> {
  const origins = new Set<string>();
  for (const raw of [config.temporalUiUrl, config.baseUrl]) {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      continue;
    }
    origins.add(u.origin);
    // The UI's origin is whatever host the person typed; on one machine that is either name.
    if (u.hostname === '127.0.0.1' || u.hostname === 'localhost') {
      for (const host of ['127.0.0.1', 'localhost']) origins.add(`${u.protocol}//${host}${u.port ? `:${u.port}` : ''}`);
    }
  }
  return origins;
}

/**
 * CORS for the Temporal UI, which sends the session cookie ("include cross-origin credentials") and a JSON body, so the
 * browser asks first (preflight). A browser's POST from any other origin is refused before anything runs: that,
 * and a JSON body no plain HTML form can send, is this endpoint's defence against cross-site requests.
 */
function codecCors(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin = c.req.header('origin');
    const allowed = origin ? codecOrigins(c.get('deps').config).has(origin) : false;
    if (c.req.method === 'OPTIONS') {
      if (!allowed) return c.body(null, 403);
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': origin!,
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Content-Type, X-Namespace, Authorization',
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      });
    }
    if (origin && !allowed) return c.json({ message: t(c, 'codec.originRefused', { origin }) }, 403);
    await next();
    if (allowed) {
      c.res.headers.set('Access-Control-Allow-Origin', origin!);
      c.res.headers.set('Access-Control-Allow-Credentials', 'true');
      c.res.headers.append('Vary', 'Origin');
    }
  };
}

/**
 * A JSON body: a plain HTML form on another site cannot send one without the preflight codecCors refuses. The form
 * CSRF token does not fit here (the Temporal UI cannot send it); test/web/csrf.test.ts names these routes for that.
 */
const jsonOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/json')) return c.json({ message: t(c, 'codec.jsonOnly') }, 415);
  return next();
};

const isBase64 = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(v);

function fromWire(body: unknown): Payload[] | null {
  const list = (body as { payloads?: unknown })?.payloads;
  if (!Array.isArray(list) || list.length > MAX_PAYLOADS) return null;
  const out: Payload[] = [];
  for (const p of list as WirePayload[]) {
    if (!p || typeof p !== 'object') return null;
    const metadata: Record<string, Uint8Array> = {};
    for (const [k, v] of Object.entries(p.metadata ?? {})) {
      if (!isBase64(v)) return null;
      metadata[k] = Buffer.from(v, 'base64');
    }
    if (p.data !== undefined && !isBase64(p.data)) return null;
    out.push({ metadata, data: Buffer.from(p.data ?? '', 'base64') });
  }
  return out;
}

function toWire(payloads: Payload[]): { payloads: WirePayload[] } {
  return {
    payloads: payloads.map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      data: Buffer.from(p.data ?? []).toString('base64'),
    })),
  };
}

async function runCodec(c: Context<AppEnv>, direction: 'decode' | 'encode') {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    body = null;
  }
  const payloads = fromWire(body);
  if (!payloads) return c.json({ message: t(c, 'codec.badBody', { max: MAX_PAYLOADS }) }, 400);
  const codecs = guanjiaDataConverter().payloadCodecs ?? [];
  let result = payloads;
  try {
    if (direction === 'decode') for (const codec of [...codecs].reverse()) result = await codec.decode(result);
    else for (const codec of codecs) result = await codec.encode(result);
  } catch (err) {
    return c.json({ message: t(c, 'codec.failed', { reason: (err as Error).message }) }, 400);
  }
  const em = c.get('deps').db.em();
  const namespace = (c.req.header('x-namespace') ?? '').slice(0, 100);
  recordAudit(em, c.get('actor'), {
    entityType: 'temporal',
    entityId: namespace || 'default',
    action: `temporal.${direction}`,
    reason: t(c, 'codec.audit', { count: payloads.length }),
    after: { payloads: payloads.length, namespace, origin: c.req.header('origin') ?? '' },
  });
  await em.flush();
  return c.json(toWire(result));
}

const sessionSignIn = authenticate();

/**
 * The Temporal UI sends the session cookie; the CLI sends a personal API token (`--codec-auth "Bearer gj_…"`). Any
 * other Authorization (the UI's own access token, when it passes one) is not ours and falls back to the session.
 */
const codecSignIn = markGuard({ kind: 'signIn' }, (async (c, next) => {
  const header = c.req.header('authorization') ?? '';
  if (!/^Bearer\s+gj_/.test(header)) return sessionSignIn(c, next);
  const user = await bearerUser(c, header);
  if (!user) return c.json({ message: t(c, 'auth.apiTokenRequired') }, 401, { 'WWW-Authenticate': 'Bearer' });
  c.set('user', user);
  c.set('actor', actorOf(user));
  c.set('authKind', 'token');
  return next();
}) as MiddlewareHandler<AppEnv>);

export const codecRoutes = new Hono<AppEnv>()
  .use('*', codecCors())
  .use('*', codecSignIn)
  .use('*', requireRole('temporal.decode'))
  .use('*', bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ message: 'Request body too large' }, 413) }))
  .use('*', jsonOnly)
  .post('/decode', (c) => runCodec(c, 'decode'))
  .post('/encode', (c) => runCodec(c, 'encode'));
