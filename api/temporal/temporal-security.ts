/**
 * What every Temporal client and worker of Guanjia is built with: the payload codec (AES-256-GCM, key ring
 * GUANJIA_CODEC_KEYS or data/codec-keys.json), failure messages and stack traces encoded so the codec encrypts them
 * too, the actor-signing interceptor on clients, and the actor key ring compiled into the workflow bundle (GUANJIA_ACTOR_KEY or data/actor-keys.json). One place, so no client or worker
 * is made without them.
 */
import path from 'node:path';
import type { ClientOptions } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { BundleOptions } from '@temporalio/worker';
import type { ActorKey } from '../../domain/actor-signature';
import { actorSigningInterceptor, type Clock } from '../auth/actor-signing';
import { keyFilePath, loadKeyRing, type KeyRingSource, type RingKey } from './key-ring';
import { AesGcmPayloadCodec } from './payload-codec';

// The project root, as db/config.ts has it; not imported from there so that loading keys never loads the entities.
const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

export const CODEC_KEY_RING: KeyRingSource = {
  purpose: 'payload codec',
  envName: 'GUANJIA_CODEC_KEYS',
  fileEnvName: 'GUANJIA_CODEC_KEY_FILE',
  defaultFile: path.join(PROJECT_ROOT, 'data', 'codec-keys.json'),
};

export const ACTOR_KEY_RING: KeyRingSource = {
  purpose: 'actor signing',
  envName: 'GUANJIA_ACTOR_KEY',
  fileEnvName: 'GUANJIA_ACTOR_KEY_FILE',
  defaultFile: path.join(PROJECT_ROOT, 'data', 'actor-keys.json'),
};

export interface TemporalSecrets {
  codecKeys: RingKey[];
  actorKeys: RingKey[];
}

export function loadTemporalSecrets(env: NodeJS.ProcessEnv = process.env, options: { create?: boolean } = {}): TemporalSecrets {
  return { codecKeys: loadKeyRing(CODEC_KEY_RING, env, options), actorKeys: loadKeyRing(ACTOR_KEY_RING, env, options) };
}

/** For `npm start` and the scripts that run the system on one machine: key files made on first run (mode 0600). */
export function ensureTemporalKeyFiles(env: NodeJS.ProcessEnv = process.env): { codecKeyFile: string; actorKeyFile: string } {
  loadTemporalSecrets(env, { create: true });
  return { codecKeyFile: keyFilePath(CODEC_KEY_RING, env), actorKeyFile: keyFilePath(ACTOR_KEY_RING, env) };
}

let cached: { env: string; secrets: TemporalSecrets } | undefined;

/** This process's secrets, read once (again only if the variables that name them change, as tests may do). */
export function temporalSecrets(): TemporalSecrets {
  const fingerprint = [CODEC_KEY_RING, ACTOR_KEY_RING].map((s) => `${process.env[s.envName] ?? ''}|${process.env[s.fileEnvName] ?? ''}`).join('|');
  if (cached?.env !== fingerprint) cached = { env: fingerprint, secrets: loadTemporalSecrets(process.env) };
  return cached.secrets;
}

/**
 * The module whose `failureConverter` encodes every failure's message and stack trace into a payload (so the codec
 * encrypts them); workers load it, and workflow bundles made with bundleWorkflowCode must be given it too
 * (`failureConverterPath`), since the workflow sandbox turns its own errors into failures.
 */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

export function guanjiaDataConverter(secrets: TemporalSecrets = temporalSecrets()): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(secrets.codecKeys)], failureConverterPath: FAILURE_CONVERTER_PATH };
}

/**
 * Options for `new Client(...)`: the codec, and the signature on every person's decision the client sends. `now`: the
 * time signatures carry, when the workflows' clock is not the wall clock (the time-skipping test server).
 */
export function guanjiaClientOptions(secrets: TemporalSecrets = temporalSecrets(), now?: Clock): Pick<ClientOptions, 'dataConverter' | 'interceptors'> {
  return { dataConverter: guanjiaDataConverter(secrets), interceptors: { workflow: [actorSigningInterceptor(actorKeysOf(secrets), now)] } };
}

export function actorKeysOf(secrets: TemporalSecrets): ActorKey[] {
  return secrets.actorKeys.map((k) => ({ id: k.id, hex: k.key.toString('hex') }));
}

type WebpackConfigHook = NonNullable<BundleOptions['webpackConfigHook']>;
type WebpackConfig = Parameters<WebpackConfigHook>[0];
interface DefineCompiler {
  webpack: { DefinePlugin: new (definitions: Record<string, string>) => { apply(compiler: unknown): void } };
}

/**
 * Compiles the actor key ring into the workflow bundle as the constant workflows/actor-signature.ts reads. The key
 * lives only in the worker's memory: the bundle is not sent anywhere, and the source maps the SDK serves in stack
 * traces hold the original source, where the constant is a bare name.
 */
export function actorKeyBundlerHook(secrets: TemporalSecrets = temporalSecrets()): WebpackConfigHook {
  const literal = JSON.stringify(JSON.stringify(actorKeysOf(secrets)));
  return (config: WebpackConfig) => ({
    ...config,
    plugins: [
      ...(config.plugins ?? []),
      // webpack hands every plugin its own namespace: no import of a package the project does not depend on.
      { apply: (compiler: unknown) => new (compiler as DefineCompiler).webpack.DefinePlugin({ __GUANJIA_ACTOR_KEYS__: literal }).apply(compiler) },
    ],
  });
}
