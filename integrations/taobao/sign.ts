/** Signs a TOP request exactly as the gateway checks it, so the client and the sandbox cannot disagree. */
import { createHash, createHmac } from 'node:crypto';
import type { TopSignMethod } from '../../domain/taobao';


/**
 * Sorts the parameters by name, joins name+value of every non-empty one except `sign`, and hashes:
 * md5(secret + joined + secret), or HMAC(secret, joined); uppercase hex. File parameters never reach
 * here because only strings are signed.
 */
export function signTopRequest(
  params: Readonly<Record<string, string | undefined>>,
  secret: string,
  signMethod: TopSignMethod,
): string {
  const joined = Object.keys(params)
    .filter((key) => key !== 'sign' && key !== '' && params[key] !== undefined && params[key] !== '')
    .sort()
    .map((key) => `${key}${params[key]}`)
    .join('');
  const digest =
    signMethod === 'md5'
      ? createHash('md5').update(`${secret}${joined}${secret}`, 'utf8')
      : createHmac(signMethod === 'hmac' ? 'md5' : 'sha256', Buffer.from(secret, 'utf8')).update(joined, 'utf8');
  return digest.digest('hex').toUpperCase();
}
