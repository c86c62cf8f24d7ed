import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { temporalConnectionSettings } from './temporal-connection';

describe('reaching Temporal', () => {
  it('uses the embedded dev server when nothing is set', () => {
    expect(temporalConnectionSettings({})).toEqual({ address: '127.0.0.1:7233', namespace: 'default' });
  });
  it('turns on TLS for an API key, as Temporal Cloud wants', () => {
    expect(temporalConnectionSettings({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'ns.acct', TEMPORAL_API_KEY: 'k' }))
      .toEqual({ address: 'ns.acct.tmprl.cloud:7233', namespace: 'ns.acct', tls: {}, apiKey: 'k' });
  });
  it('reads an mTLS client certificate pair and refuses half of one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gj-tls-'));
    fs.writeFileSync(path.join(dir, 'c.pem'), 'CERT');
    fs.writeFileSync(path.join(dir, 'k.pem'), 'KEY');
    const s = temporalConnectionSettings({ TEMPORAL_TLS_CERT: path.join(dir, 'c.pem'), TEMPORAL_TLS_KEY: path.join(dir, 'k.pem') });
    expect(s.tls).toEqual({ clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') } });
    expect(() => temporalConnectionSettings({ TEMPORAL_TLS_CERT: path.join(dir, 'c.pem') })).toThrow('go together');
    expect(() => temporalConnectionSettings({ TEMPORAL_TLS_CA: path.join(dir, 'missing.pem') })).toThrow('cannot be read');
  });
});
