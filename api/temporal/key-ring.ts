/**
 * Key rings for the Temporal payload codec and for signing actors: from an environment variable
 * (`k2:<base64>,k1:<base64>`, the first key is current) or from a JSON key file readable by its owner only.
 * The first key encrypts or signs; every key of the ring decrypts or verifies, so a key is rotated by adding a new
 * one first and retiring the old one only once nothing it protected is still needed.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface RingKey {
  id: string;
  key: Buffer;
}

export interface KeyRingSource {
  /** What the ring is for, in messages: "codec" or "actor". */
  purpose: string;
  /** Variable holding the ring itself, e.g. GUANJIA_CODEC_KEYS. */
  envName: string;
  /** Variable naming the key file, and the file used when neither is set. */
  fileEnvName: string;
  defaultFile: string;
}

/** AES-256 and HMAC-SHA256 keys alike are 32 random bytes. */
export const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9._-]{1,32}$/;

export class KeyRingError extends Error {
  override name = 'KeyRingError';
}

function checkedKey(id: string, base64: string, where: string): RingKey {
  if (!KEY_ID.test(id)) throw new KeyRingError(`${where}: key id "${id}" must be 1–32 letters, digits, ".", "_" or "-"`);
  const key = Buffer.from(base64, 'base64');
  if (key.length !== KEY_BYTES || key.toString('base64').replace(/=+$/, '') !== base64.replace(/=+$/, '')) {
    throw new KeyRingError(`${where}: key "${id}" must be ${KEY_BYTES} bytes in base64 (make one with: openssl rand -base64 32)`);
  }
  return { id, key };
}

function checkedRing(keys: RingKey[], where: string): RingKey[] {
  if (!keys.length) throw new KeyRingError(`${where}: no keys`);
  const ids = new Set<string>();
  for (const k of keys) {
    if (ids.has(k.id)) throw new KeyRingError(`${where}: key id "${k.id}" appears twice`);
    ids.add(k.id);
  }
  return keys;
}

/** `k2:<base64>,k1:<base64>`; a single bare base64 key is called "k1". */
export function parseKeyRing(text: string, where: string): RingKey[] {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  return checkedRing(items.map((item) => {
    const colon = item.indexOf(':');
    return colon < 0 ? checkedKey('k1', item, where) : checkedKey(item.slice(0, colon), item.slice(colon + 1), where);
  }), where);
}

interface KeyFile {
  keys: Array<{ id: string; key: string; createdAt?: string }>;
}

export function readKeyFile(file: string): RingKey[] {
  let parsed: KeyFile;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as KeyFile;
  } catch (err) {
    throw new KeyRingError(`${file} cannot be read as a key file: ${(err as Error).message}`);
  }
  if (!Array.isArray(parsed?.keys)) throw new KeyRingError(`${file}: expected {"keys":[{"id":"k1","key":"<base64>"}]}`);
  return checkedRing(parsed.keys.map((k) => checkedKey(String(k.id), String(k.key), file)), file);
}

/**
 * Writes a new key file with one fresh key, readable and writable by its owner only. Exclusive create: when two
 * processes start at once, one writes and the other reads what it wrote.
 */
export function createKeyFile(file: string, id = 'k1'): boolean {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const body: KeyFile = { keys: [{ id, key: randomBytes(KEY_BYTES).toString('base64'), createdAt: new Date().toISOString() }] };
  try {
    fs.writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  return true;
}

export function keyFilePath(source: KeyRingSource, env: NodeJS.ProcessEnv): string {
  return env[source.fileEnvName]?.trim() || source.defaultFile;
}

/**
 * The ring from the environment, else from the key file. `create`: make the file when neither exists (the
 * embedded start and the test stack); web and worker processes of a deployment never invent a key of their own,
 * since one that differs from the other processes' would make their payloads unreadable to each other.
 */
export function loadKeyRing(source: KeyRingSource, env: NodeJS.ProcessEnv, options: { create?: boolean } = {}): RingKey[] {
  const inline = env[source.envName]?.trim();
  if (inline) return parseKeyRing(inline, source.envName);
  const file = keyFilePath(source, env);
  if (!fs.existsSync(file)) {
    if (!options.create) {
      throw new KeyRingError(`no ${source.purpose} keys: set ${source.envName} (e.g. k1:$(openssl rand -base64 32)) or ${source.fileEnvName}, ` +
        `or run "npm start" once to create ${file}; every web and worker process must have the same keys`);
    }
    createKeyFile(file);
  }
  return readKeyFile(file);
}
