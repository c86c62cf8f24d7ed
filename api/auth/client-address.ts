/**
 * The address a request came from, for the sign-in limit: the socket's, or, behind proxies the configuration trusts,
 * the right-most X-Forwarded-For entry that no trusted proxy wrote, so a client cannot choose its own address.
 */
import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { AppEnv } from '../env';

/** "::ffff:192.0.2.5" and "192.0.2.5" are one client; anything that is not an IP address is nobody's. */
export function normaliseAddress(raw: string): string {
  const bare = raw.trim().replace(/^\[(.*)\]$/, '$1');
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)?.[1];
  const address = v4 ?? bare.toLowerCase();
  return isIP(address) ? address : '';
}

function socketAddress(c: Context<AppEnv>): string {
  try {
    return normaliseAddress(getConnInfo(c).remote.address ?? '');
  } catch {
    // app.request() in tests has no socket behind it.
    return '';
  }
}

export function clientAddress(c: Context<AppEnv>): string {
  const { trustedProxyHops = 0, trustedProxies = [], trustProxy = false } = c.get('deps').config;
  const hops = Math.max(trustedProxyHops, trustProxy ? 1 : 0);
  const socket = socketAddress(c);
  if (hops === 0 && trustedProxies.length === 0) return socket;
  // The chain as the last proxy saw it: the left part is whatever the client sent, each proxy appends its peer.
  const chain = [...(c.req.header('x-forwarded-for') ?? '').split(','), socket].map((a) => a.trim()).filter(Boolean);
  const trusted = new Set(trustedProxies.map(normaliseAddress));
  let i = chain.length - 1;
  for (let stepped = 0; i > 0; i--, stepped++) {
    const hop = normaliseAddress(chain[i] ?? '');
    const isTrusted = stepped < hops || trusted.has(hop);
    if (!isTrusted) break;
  }
  const client = normaliseAddress(chain[i] ?? '');
  // A proxy that forwards garbage is not believed: the socket is at least an address someone really used.
  return client || socket;
}
