/**
 * How every process reaches Temporal: TEMPORAL_ADDRESS, plus mTLS client certificates or an API key
 * for Temporal Cloud and other secured clusters. Read once from the environment, shared by web and workers.
 */
import fs from 'node:fs';
import type { TLSConfig } from '@temporalio/client';

export interface TemporalConnectionSettings {
  address: string;
  namespace: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
}

function readFile(env: NodeJS.ProcessEnv, name: string): Buffer | undefined {
  const file = env[name]?.trim();
  if (!file) return undefined;
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new Error(`${name}="${file}" cannot be read: ${(err as Error).message}`, { cause: err });
  }
}

export function temporalConnectionSettings(env: NodeJS.ProcessEnv = process.env): TemporalConnectionSettings {
  const address = env.TEMPORAL_ADDRESS?.trim() || '127.0.0.1:7233';
  const namespace = env.TEMPORAL_NAMESPACE?.trim() || 'default';
  const apiKey = env.TEMPORAL_API_KEY?.trim() || undefined;
  const crt = readFile(env, 'TEMPORAL_TLS_CERT');
  const key = readFile(env, 'TEMPORAL_TLS_KEY');
  const ca = readFile(env, 'TEMPORAL_TLS_CA');
  if (!!crt !== !!key) throw new Error('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together: set both or neither');
  const wantsTls = env.TEMPORAL_TLS?.trim() === 'true' || !!crt || !!ca || !!apiKey;
  const tls: TLSConfig | undefined = wantsTls
    ? {
        ...(crt && key ? { clientCertPair: { crt, key } } : {}),
        ...(ca ? { serverRootCACertificate: ca } : {}),
        ...(env.TEMPORAL_TLS_SERVER_NAME?.trim() ? { serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME.trim() } : {}),
      }
    : undefined;
  return { address, namespace, ...(tls ? { tls } : {}), ...(apiKey ? { apiKey } : {}) };
}
