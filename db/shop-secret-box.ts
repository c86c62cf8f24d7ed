/**
 * Seals shop credentials (app secret, session key) at rest with AES-256-GCM. The key comes from GUANJIA_SECRET_KEY
 * (base64 of 32 bytes) or a key file (GUANJIA_SECRET_KEY_FILE, default data/secret.key, mode 0600). A sealed value
 * names its key (`v1:<keyId>:<iv>:<tag>:<ciphertext>`), so keys listed in GUANJIA_SECRET_KEY_PREVIOUS still open
 * values written before a rotation; a value without the prefix is one written in clear by an older version.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const SECRET_KEY_ENV = 'GUANJIA_SECRET_KEY';
export const SECRET_KEY_FILE_ENV = 'GUANJIA_SECRET_KEY_FILE';
export const PREVIOUS_SECRET_KEYS_ENV = 'GUANJIA_SECRET_KEY_PREVIOUS';
/** The project folder, worked out here: db/config.ts loads the migrations, which load this file, so it cannot be imported from there. */
const PROJECT_ROOT = path.resolve(__dirname, '..');
export const DEFAULT_SECRET_KEY_FILE = path.join(PROJECT_ROOT, 'data', 'secret.key');

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const SEALED = /^v1:([0-9a-f]{8}):([A-Za-z0-9_-]+):([A-Za-z0-9_-]+):([A-Za-z0-9_-]*)$/;
/** Binds a sealed value to what it is, so a ciphertext copied from another system's column does not open here. */
const AAD = Buffer.from('guanjia:shop-secret');

export interface SecretBox {
  /** Which key seals new values (a hash prefix: it says nothing about the key). */
  readonly keyId: string;
  /** '' stays '' (no secret set); anything else comes back sealed under the current key. */
  seal(plain: string): string;
  /** Opens a sealed value under whichever known key sealed it; a value in clear (older databases) comes back as it is. */
  open(stored: string): string;
  /** A non-empty value in clear, or sealed under a key other than the current one: worth sealing again. */
  needsReseal(stored: string): boolean;
}

export class SecretKeyError extends Error {
  override readonly name = 'SecretKeyError';
}

export function isSealed(stored: string): boolean {
  return SEALED.test(stored);
}

function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

function decodeKey(text: string, where: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new SecretKeyError(`${where} 不是 32 字节的 base64 密钥（可用 openssl rand -base64 32 生成）`);
  return key;
}

/** A box over a current key and any older ones still able to open what they sealed. */
export function createSecretBox(current: Buffer, previous: readonly Buffer[] = []): SecretBox {
  if (current.length !== KEY_BYTES) throw new SecretKeyError('加密密钥必须是 32 字节');
  const keyId = keyIdOf(current);
  const keys = new Map<string, Buffer>([...previous.map((k) => [keyIdOf(k), k] as const), [keyId, current]]);
  return {
    keyId,
    seal(plain) {
      if (plain === '') return '';
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      cipher.setAAD(AAD);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, keyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join(':');
    },
    open(stored) {
      const m = SEALED.exec(stored);
      if (!m) return stored;
      const [, id, iv, tag, body] = m as unknown as [string, string, string, string, string];
      const key = keys.get(id);
      if (!key) throw new SecretKeyError(`店铺密钥由另一把加密密钥（${id}）加密，当前密钥是 ${keyId}：请把旧密钥放进 ${PREVIOUS_SECRET_KEYS_ENV}`);
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(AAD);
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      try {
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretKeyError(`店铺密钥无法解密（密钥 ${id}）：数据被改动过，或密钥不对`);
      }
    },
    needsReseal(stored) {
      if (stored === '') return false;
      const m = SEALED.exec(stored);
      return !m || m[1] !== keyId;
    },
  };
}

/** Where the key file lives: GUANJIA_SECRET_KEY_FILE, or data/secret.key in the project. */
export function secretKeyFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const file = env[SECRET_KEY_FILE_ENV]?.trim();
  return file ? path.resolve(PROJECT_ROOT, file) : DEFAULT_SECRET_KEY_FILE;
}

/**
 * Writes a new random key to the key file with mode 0600 unless one is there; returns true when it wrote one.
 * Written under a temporary name and linked into place, so two processes starting together end with one key and
 * neither reads a half-written file.
 */
export function ensureSecretKeyFile(file: string = secretKeyFilePath()): boolean {
  if (fs.existsSync(file)) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(temp, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(temp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/**
 * The box from the environment: GUANJIA_SECRET_KEY wins; otherwise the key file. Outside production a missing key
 * file is created (as `npm start` does on first run); in production (NODE_ENV=production) it is an error, because a
 * fresh key there would leave every saved secret unreadable.
 */
export function secretBoxFromEnv(env: NodeJS.ProcessEnv = process.env): SecretBox {
  const previous = (env[PREVIOUS_SECRET_KEYS_ENV] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map((k, i) => decodeKey(k, `${PREVIOUS_SECRET_KEYS_ENV} 第 ${i + 1} 个`));
  const fromEnv = env[SECRET_KEY_ENV]?.trim();
  if (fromEnv) return createSecretBox(decodeKey(fromEnv, SECRET_KEY_ENV), previous);
  const file = secretKeyFilePath(env);
  if (!fs.existsSync(file)) {
    if (env.NODE_ENV === 'production') throw new SecretKeyError(`没有店铺密钥的加密密钥：请设置 ${SECRET_KEY_ENV}（base64 的 32 字节），或提供密钥文件 ${file}`);
    ensureSecretKeyFile(file);
  }
  return createSecretBox(decodeKey(fs.readFileSync(file, 'utf8'), file), previous);
}

let shared: SecretBox | undefined;

/** The process's box, read from the environment once. */
export function secretBox(): SecretBox {
  shared ??= secretBoxFromEnv();
  return shared;
}
