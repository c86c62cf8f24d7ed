/** Reads the web server's settings from the environment once, refusing bad values with a message that names the variable. */
import { isIP } from 'node:net';
import type { AppConfig } from './env';
import { DEFAULT_API_RATE_PER_MINUTE } from './privacy/api-rate-limit';

// The sign-in door's settings; they belong in AppConfig in env.ts and sit here only until that file is free to edit.
declare module './env' {
  interface AppConfig {
    /** How many proxies in front of the web app append to X-Forwarded-For; 0 = believe only the socket. */
    trustedProxyHops?: number;
    /** Addresses of proxies whose X-Forwarded-For entries are believed, whatever their count. */
    trustedProxies?: string[];
    /** A session ends this many hours after sign-in however active it is; unset = DEFAULT_SESSION_MAX_HOURS. */
    sessionMaxHours?: number;
  }
}

export interface ServerConfig {
  port: number;
  temporalAddress: string;
  temporalNamespace: string;
  app: AppConfig;
}

/** A working day and then some: a session signed in at the start of a shift ends before the next one. */
export const DEFAULT_SESSION_MAX_HOURS = 12;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function text(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const v = env[name]?.trim();
  return v ? v : fallback;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name}="${raw}" must be a whole number between ${min} and ${max}`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${name}=${n} must be between ${min} and ${max}`);
  return n;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name}="${env[name]}" must be true or false (1/0, yes/no, on/off)`);
}

function addressList(env: NodeJS.ProcessEnv, name: string): string[] {
  const items = (env[name] ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  const bad = items.find((a) => !isIP(a));
  if (bad !== undefined) throw new ConfigError(`${name}: "${bad}" is not an IP address (list the proxies' addresses, comma-separated)`);
  return items;
}

function url(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = text(env, name, fallback);
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw new ConfigError(`${name}="${raw}" must be an http:// or https:// URL`);
  }
  return raw.replace(/\/+$/, '');
}

function hostPort(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = text(env, name, fallback);
  if (!/^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/.test(raw)) throw new ConfigError(`${name}="${raw}" must be host:port, e.g. 127.0.0.1:7233`);
  return raw;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = integer(env, 'PORT', 3000, 1, 65535);
  const baseUrl = url(env, 'BASE_URL', `http://127.0.0.1:${port}`);
  return {
    port,
    temporalAddress: hostPort(env, 'TEMPORAL_ADDRESS', '127.0.0.1:7233'),
    temporalNamespace: text(env, 'TEMPORAL_NAMESPACE', 'default'),
    app: {
      taskQueue: text(env, 'TASK_QUEUE', 'guanjia'),
      baseUrl,
      // Default follows the base URL, so an https deployment gets Secure cookies without a second setting.
      secureCookies: flag(env, 'SECURE_COOKIES', baseUrl.startsWith('https:')),
      sessionHours: integer(env, 'SESSION_HOURS', 12, 1, 24 * 30),
      sessionMaxHours: integer(env, 'SESSION_MAX_HOURS', DEFAULT_SESSION_MAX_HOURS, 1, 24 * 30),
      temporalUiUrl: url(env, 'TEMPORAL_UI_URL', 'http://127.0.0.1:8233'),
      // TRUST_PROXY=true is the older spelling of one trusted proxy.
      trustedProxyHops: Math.max(integer(env, 'TRUSTED_PROXY_HOPS', 0, 0, 10), flag(env, 'TRUST_PROXY', false) ? 1 : 0),
      trustedProxies: addressList(env, 'TRUSTED_PROXIES'),
      apiRatePerMinute: integer(env, 'API_RATE_PER_MINUTE', DEFAULT_API_RATE_PER_MINUTE, 1, 1_000_000),
    },
  };
}
