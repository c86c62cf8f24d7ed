/**
 * Encrypts every Temporal payload (workflow and activity inputs and results, signals, updates, queries, memos) with
 * AES-256-GCM, so Temporal's history holds no buyer data in clear. The whole payload, its own metadata included, is
 * sealed; the outside says only `encoding: binary/encrypted` and which key of the ring did it. Payloads that are not
 * encrypted (written before the codec, or by a client without it) pass through, so old histories keep replaying.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { RingKey } from './key-ring';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : '');

export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly current: RingKey;
  private readonly byId: Map<string, RingKey>;

  constructor(keys: readonly RingKey[]) {
    const current = keys[0];
    if (!current) throw new Error('the payload codec needs at least one key');
    this.current = current;
    this.byId = new Map(keys.map((k) => [k.id, k]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      const sealed = Buffer.concat([iv, cipher.update(temporal.api.common.v1.Payload.encode(p).finish()), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(this.current.id) },
        data: sealed,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      if (text(p.metadata?.encoding) !== ENCRYPTED_ENCODING) return p;
      const keyId = text(p.metadata?.[KEY_ID_METADATA]);
      const ring = this.byId.get(keyId);
      if (!ring) throw new PayloadDecryptionError(`payload encrypted with key "${keyId}", which is not in this process's key ring (${[...this.byId.keys()].join(', ')})`);
      const data = Buffer.from(p.data ?? []);
      if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError('encrypted payload is too short');
      const decipher = createDecipheriv('aes-256-gcm', ring.key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      } catch {
        throw new PayloadDecryptionError(`payload does not decrypt with key "${keyId}" (wrong key or altered data)`);
      }
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}
