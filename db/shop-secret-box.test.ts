/**
 * Shop secrets at rest: sealed values open only with their key, a tampered one refuses, a rotated key still opens what
 * the previous one sealed, and a database from before sealing (secrets in clear) is sealed by the same step the
 * shop_secrets migration runs, after which the shop's credentials open as they were.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Shop } from './entities';
import { openShopCredentials, resealShopSecrets } from './settings/shop-secrets';
import { createSecretBox, ensureSecretKeyFile, isSealed, secretBoxFromEnv, SecretKeyError } from './shop-secret-box';
import { createTestDb, type TestDb } from '../test/helpers/test-db';

const key = () => randomBytes(32);

describe('the shop secret box', () => {
  it('seals a secret so that only its key opens it, and refuses a tampered value', () => {
    const box = createSecretBox(key());
    const sealed = box.seal('app-secret-123');
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('app-secret-123');
    expect(sealed.startsWith(`v1:${box.keyId}:`)).toBe(true);
    expect(box.seal('app-secret-123')).not.toBe(sealed);
    expect(box.open(sealed)).toBe('app-secret-123');
    expect(box.seal('')).toBe('');
    expect(() => createSecretBox(key()).open(sealed)).toThrow(SecretKeyError);
    const last = sealed.slice(-2, -1) === 'A' ? 'B' : 'A';
    expect(() => box.open(`${sealed.slice(0, -2)}${last}${sealed.slice(-1)}`)).toThrow(SecretKeyError);
  });

  it('opens values sealed under the previous key after a rotation, and says they need sealing again', () => {
    const oldKey = key();
    const sealedOld = createSecretBox(oldKey).seal('session-1');
    const rotated = createSecretBox(key(), [oldKey]);
    expect(rotated.open(sealedOld)).toBe('session-1');
    expect(rotated.needsReseal(sealedOld)).toBe(true);
    expect(rotated.needsReseal(rotated.seal('session-1'))).toBe(false);
    expect(rotated.needsReseal('clear-text')).toBe(true);
    expect(rotated.open('clear-text')).toBe('clear-text');
  });

  it('reads the key from GUANJIA_SECRET_KEY or a 0600 key file, and never makes a fresh key in production', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gj-secret-key-'));
    try {
      const file = path.join(dir, 'secret.key');
      expect(ensureSecretKeyFile(file)).toBe(true);
      expect(ensureSecretKeyFile(file)).toBe(false);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const fromFile = secretBoxFromEnv({ GUANJIA_SECRET_KEY_FILE: file });
      expect(secretBoxFromEnv({ GUANJIA_SECRET_KEY_FILE: file }).open(fromFile.seal('x'))).toBe('x');
      const envKey = key().toString('base64');
      expect(secretBoxFromEnv({ GUANJIA_SECRET_KEY: envKey, GUANJIA_SECRET_KEY_FILE: file }).keyId).not.toBe(fromFile.keyId);
      expect(() => secretBoxFromEnv({ GUANJIA_SECRET_KEY: 'too-short' })).toThrow(/32 字节/);
      expect(() => secretBoxFromEnv({ NODE_ENV: 'production', GUANJIA_SECRET_KEY_FILE: path.join(dir, 'missing.key') })).toThrow(/GUANJIA_SECRET_KEY/);
      expect(fs.existsSync(path.join(dir, 'missing.key'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a database from before sealing', () => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await createTestDb();
  });
  afterAll(() => testDb?.drop());

  it('has its clear-text secrets sealed by the migration step, and its shop still opens with the same credentials', async () => {
    const em = testDb.db.em();
    // As an older version wrote it: the secrets in clear.
    em.create(Shop, { code: 'old-shop', platform: 'taobao', name: '老店', apiUrl: 'http://127.0.0.1:9/router/rest', appKey: 'k1', appSecret: 'clear-secret', sessionKey: 'clear-session', signMethod: 'md5', pullIntervalSeconds: 60, shipByHours: 48 });
    em.create(Shop, { code: 'csv-shop', platform: 'csv', name: 'CSV 店', apiUrl: '', appKey: '', appSecret: '', sessionKey: '', signMethod: 'md5', pullIntervalSeconds: 60, shipByHours: 48 });
    await em.flush();
    const box = createSecretBox(key());
    const connection = testDb.db.em().getConnection();
    const execute = (sql: string, params?: unknown[]) => connection.execute<Array<Record<string, unknown>>>(sql, params as never[]);
    expect(await resealShopSecrets(execute, () => box)).toBe(2);
    expect(await resealShopSecrets(execute, () => box)).toBe(0);
    const rows = JSON.stringify(await execute('select * from shop'));
    expect(rows).not.toContain('clear-secret');
    expect(rows).not.toContain('clear-session');
    const shop = await testDb.db.em().findOneOrFail(Shop, { code: 'old-shop' });
    expect(openShopCredentials(shop, box)).toMatchObject({ appKey: 'k1', appSecret: 'clear-secret', sessionKey: 'clear-session' });
    expect((await testDb.db.em().findOneOrFail(Shop, { code: 'csv-shop' })).appSecret).toBe('');
  });
});
