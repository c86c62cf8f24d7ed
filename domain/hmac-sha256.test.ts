import { createHash, createHmac, randomBytes } from 'node:crypto';
import { equalInConstantTime, fromHex, hmacSha256, sha256, toHex, utf8 } from './hmac-sha256';

describe('the sandbox SHA-256 and HMAC-SHA256', () => {
  it('hashes like node:crypto at every length around the block and padding edges', () => {
    for (const n of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000]) {
      const data = randomBytes(n);
      expect(toHex(sha256(data))).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });

  it('gives the published digest of "abc"', () => {
    expect(toHex(sha256(utf8('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('signs like node:crypto with short, block-sized and long keys', () => {
    for (const keyLength of [1, 32, 64, 65, 200]) {
      const key = randomBytes(keyLength);
      const message = utf8(`管理员 老王|admin|${keyLength}|2026-11-27T08:00:00.000Z`);
      expect(toHex(hmacSha256(key, message))).toBe(createHmac('sha256', key).update(message).digest('hex'));
    }
  });

  it('encodes Chinese, emoji and ASCII text as UTF-8 the way Buffer does', () => {
    for (const text of ['审单 阿强', 'plain', '😀 ok', 'é']) expect(Buffer.from(utf8(text)).toString('hex')).toBe(Buffer.from(text, 'utf8').toString('hex'));
  });

  it('reads back hex and compares equal strings only', () => {
    expect(toHex(fromHex('00ff10'))).toBe('00ff10');
    expect(() => fromHex('zz')).toThrow();
    expect(equalInConstantTime('abc', 'abc')).toBe(true);
    expect(equalInConstantTime('abc', 'abd')).toBe(false);
    expect(equalInConstantTime('abc', 'abcd')).toBe(false);
  });
});
