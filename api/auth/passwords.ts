/** Hashes and checks staff passwords with argon2id; free of web imports so the db seeder can use it. */
import argon2 from 'argon2';

export const MIN_PASSWORD_LENGTH = 8;

export async function hashPassword(password: string): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH) throw new RangeError(`密码至少 ${MIN_PASSWORD_LENGTH} 位`);
  return argon2.hash(password, { type: argon2.argon2id });
}

/** False for a wrong password and for a hash that is not argon2 (a disabled or foreign account), never a throw. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  if (!hash.startsWith('$argon2')) return false;
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}
