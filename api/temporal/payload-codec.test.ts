import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { createKeyFile, KeyRingError, loadKeyRing, parseKeyRing, readKeyFile, type KeyRingSource } from './key-ring';
import { AesGcmPayloadCodec, PayloadDecryptionError } from './payload-codec';

const key = () => randomBytes(32).toString('base64');
const BUYER = { name: '王小明', mobile: '13812348000', detail: '文三路 90 号' };

describe('the payload codec', () => {
  it('seals the whole payload, metadata included, and reads it back', async () => {
    const codec = new AesGcmPayloadCodec(parseKeyRing(`k1:${key()}`, 'test'));
    const plain = defaultPayloadConverter.toPayload(BUYER);
    const [sealed] = await codec.encode([plain]);
    expect(Object.fromEntries(Object.entries(sealed!.metadata!).map(([k, v]) => [k, Buffer.from(v).toString()]))).toEqual({ encoding: 'binary/encrypted', 'encryption-key-id': 'k1' });
    expect(Buffer.from(sealed!.data!).includes(Buffer.from(BUYER.mobile))).toBe(false);
    expect(Buffer.from(sealed!.data!).includes(Buffer.from('json/plain'))).toBe(false);
    const [back] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(back!)).toEqual(BUYER);
    // A fresh IV each time: the same buyer twice does not give the same bytes.
    const [again] = await codec.encode([plain]);
    expect(Buffer.from(again!.data!).equals(Buffer.from(sealed!.data!))).toBe(false);
  });

  it('after rotation encrypts with the new key and still reads what the old key sealed', async () => {
    const k1 = key();
    const before = new AesGcmPayloadCodec(parseKeyRing(`k1:${k1}`, 'test'));
    const [old] = await before.encode([defaultPayloadConverter.toPayload(BUYER)]);
    const after = new AesGcmPayloadCodec(parseKeyRing(`k2:${key()},k1:${k1}`, 'test'));
    expect(defaultPayloadConverter.fromPayload((await after.decode([old!]))[0]!)).toEqual(BUYER);
    const [fresh] = await after.encode([defaultPayloadConverter.toPayload(BUYER)]);
    expect(Buffer.from(fresh!.metadata!['encryption-key-id']!).toString()).toBe('k2');
    // The old key alone cannot read the new payload: retiring a key too early is loud, not silent.
    await expect(before.decode([fresh!])).rejects.toThrow(/key "k2", which is not in this process's key ring/);
  });

  it('passes through payloads written before the codec, so old histories replay', async () => {
    const codec = new AesGcmPayloadCodec(parseKeyRing(key(), 'test'));
    const plain = defaultPayloadConverter.toPayload({ old: true });
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('refuses an altered payload or one sealed with another key of the same name', async () => {
    const codec = new AesGcmPayloadCodec(parseKeyRing(`k1:${key()}`, 'test'));
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload(BUYER)]);
    const altered = Buffer.from(sealed!.data!);
    altered[20] = altered[20]! ^ 1;
    await expect(codec.decode([{ ...sealed!, data: altered }])).rejects.toThrow(PayloadDecryptionError);
    const impostor = new AesGcmPayloadCodec(parseKeyRing(`k1:${key()}`, 'test'));
    await expect(impostor.decode([sealed!])).rejects.toThrow(/does not decrypt with key "k1"/);
  });
});

describe('the key rings', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gj-keys-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const source = (file: string): KeyRingSource => ({ purpose: 'payload codec', envName: 'TEST_KEYS', fileEnvName: 'TEST_KEY_FILE', defaultFile: file });

  it('makes a key file on first run readable by its owner only, and keeps it on the next', () => {
    const file = path.join(dir, 'a', 'codec-keys.json');
    const first = loadKeyRing(source(file), {}, { create: true });
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    expect(first).toHaveLength(1);
    expect(first[0]!.key).toHaveLength(32);
    expect(createKeyFile(file)).toBe(false);
    expect(loadKeyRing(source(file), {}).map((k) => k.key.toString('hex'))).toEqual(first.map((k) => k.key.toString('hex')));
  });

  it('refuses to start without keys, naming what to set, unless asked to create them', () => {
    const file = path.join(dir, 'missing.json');
    expect(() => loadKeyRing(source(file), {})).toThrow(KeyRingError);
    expect(() => loadKeyRing(source(file), {})).toThrow(/set TEST_KEYS .* or TEST_KEY_FILE/);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('takes the ring from the environment first, the first key current, and says what is wrong with a bad one', () => {
    const [a, b] = [key(), key()];
    const ring = loadKeyRing(source(path.join(dir, 'unused.json')), { TEST_KEYS: ` k2:${a} , k1:${b} ` });
    expect(ring.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(() => parseKeyRing('k1:short', 'TEST_KEYS')).toThrow(/32 bytes in base64/);
    expect(() => parseKeyRing(`k1:${a},k1:${b}`, 'TEST_KEYS')).toThrow(/appears twice/);
    expect(() => parseKeyRing(`bad id:${a}`, 'TEST_KEYS')).toThrow(/key id/);
    const rotated = path.join(dir, 'rotated.json');
    fs.writeFileSync(rotated, JSON.stringify({ keys: [{ id: 'k2', key: a }, { id: 'k1', key: b }] }), { mode: 0o600 });
    expect(readKeyFile(rotated).map((k) => k.id)).toEqual(['k2', 'k1']);
  });
});
