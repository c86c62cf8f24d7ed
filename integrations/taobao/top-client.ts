/**
 * Calls the Taobao open platform (TOP) gateway: signs, posts form-encoded, and turns every failure into
 * a TopError that says whether a retry can help. Which gateway (real or sandbox) is configuration only.
 * It never retries by itself: the caller (a Temporal activity) retries, guided by `retryable` and `retryAfterMs`.
 */
import { isoToTaobaoTime } from '../../domain/taobao';
import type { TopSignMethod } from '../../domain/taobao';
import { signTopRequest } from './sign';
import { TopError, type TopErrorBody } from './top-error';
import { topResponseKey } from './top-response-key';

export type TopParamValue = string | number | boolean | null | undefined | object;

export interface TopClientOptions {
  /** e.g. https://eco.taobao.com/router/rest, or the sandbox's http://127.0.0.1:4100/router/rest. */
  url: string;
  appKey: string;
  appSecret: string;
  /** The seller's authorisation (sessionKey / access token); can be overridden per call. */
  session?: string;
  signMethod?: TopSignMethod;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => Date;
}

export interface TopCallOptions {
  session?: string;
}

export interface TopClient {
  /** Resolves with the body under `<method>_response`; rejects with TopError only. */
  call<T>(method: string, params?: Readonly<Record<string, TopParamValue>>, options?: TopCallOptions): Promise<T>;
}

const DEFAULT_TIMEOUT_MS = 15_000;

export function createTopClient(options: TopClientOptions): TopClient {
  const doFetch = options.fetch ?? globalThis.fetch;
  const signMethod = options.signMethod ?? 'hmac-sha256';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = options.now ?? (() => new Date());

  return {
    async call<T>(method: string, params: Readonly<Record<string, TopParamValue>> = {}, callOptions: TopCallOptions = {}) {
      const form: Record<string, string> = {};
      for (const [key, value] of Object.entries(params)) {
        const text = paramText(value);
        if (text !== undefined) form[key] = text;
      }
      Object.assign(form, {
        method,
        app_key: options.appKey,
        timestamp: isoToTaobaoTime(now()),
        v: '2.0',
        format: 'json',
        sign_method: signMethod,
      });
      const session = callOptions.session ?? options.session;
      if (session) form.session = session;
      form.sign = signTopRequest(form, options.appSecret, signMethod);

      let response: Response;
      let text: string;
      try {
        response = await doFetch(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
          body: new URLSearchParams(form).toString(),
          signal: AbortSignal.timeout(timeoutMs),
        });
        text = await response.text();
      } catch (cause) {
        // Checked by name: the abort's DOMException may come from another realm than this module's Error.
        const name = (cause as { name?: unknown } | null)?.name;
        const timedOut = name === 'TimeoutError' || name === 'AbortError';
        throw new TopError({
          code: 'transport',
          msg: timedOut ? `no answer within ${timeoutMs} ms` : `gateway unreachable: ${describe(cause)}`,
          subCode: timedOut ? 'timeout' : 'network',
          method,
          retryable: true,
          cause,
        });
      }
      if (!response.ok) {
        throw new TopError({
          code: 'transport',
          msg: `HTTP ${response.status} ${response.statusText}`.trim(),
          subCode: `http-${response.status}`,
          method,
          httpStatus: response.status,
          // A 4xx is a wrong URL or a refused client: retrying the same request gives the same answer.
          retryable: response.status >= 500 || response.status === 429,
        });
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(quoteLongIntegers(text)) as Record<string, unknown>;
      } catch (cause) {
        // Proxies in front of the gateway answer 200 with an HTML page while it is down.
        throw new TopError({
          code: 'transport',
          msg: `not JSON: ${text.slice(0, 120)}`,
          subCode: 'bad-response',
          method,
          httpStatus: response.status,
          retryable: true,
          cause,
        });
      }
      if (body.error_response) throw TopError.fromBody(body.error_response as TopErrorBody, method);
      const key = topResponseKey(method);
      if (!(key in body)) {
        throw new TopError({
          code: 'transport',
          msg: `answer lacks ${key}: ${text.slice(0, 120)}`,
          subCode: 'bad-response',
          method,
          httpStatus: response.status,
          retryable: false,
        });
      }
      return body[key] as T;
    },
  };
}

/**
 * The real gateway writes tid, oid and refund_id as bare JSON numbers past 2^53, which JSON.parse would
 * round; integers of 16 or more digits outside strings become strings, keeping every digit.
 */
function quoteLongIntegers(json: string): string {
  let out = '';
  let copied = 0;
  for (let i = 0; i < json.length; ) {
    const ch = json[i] as string;
    if (ch === '"') {
      i++;
      while (i < json.length && json[i] !== '"') i += json[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (ch !== '-' && (ch < '0' || ch > '9')) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < json.length && /[\d.eE+-]/.test(json[end] as string)) end++;
    const number = json.slice(i, end);
    if (/^-?\d{16,}$/.test(number)) {
      out += `${json.slice(copied, i)}"${number}"`;
      copied = end;
    }
    i = end;
  }
  return out + json.slice(copied);
}

function paramText(value: TopParamValue): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return isoToTaobaoTime(value);
  return JSON.stringify(value);
}

function describe(cause: unknown): string {
  const err = cause as { message?: unknown; cause?: { message?: unknown } } | null;
  if (typeof err?.message !== 'string') return String(cause);
  return typeof err.cause?.message === 'string' ? `${err.message}: ${err.cause.message}` : err.message;
}
