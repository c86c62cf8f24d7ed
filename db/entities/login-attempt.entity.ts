import { EntitySchema } from '@mikro-orm/core';

/**
 * One sign-in attempt still inside the rate-limit window, kept in the database so that every web process counts the
 * same attempts; a successful sign-in removes its key's rows, and rows older than the window are deleted.
 */
export class LoginAttempt {
  id!: number;
  /** The account tried, lower-cased. */
  accountKey!: string;
  /** The address the attempt came from, as the web app sees it (X-Forwarded-For only behind a configured proxy). */
  clientAddress!: string;
  attemptedAt!: Date;
}

export const LoginAttemptSchema = new EntitySchema<LoginAttempt>({
  class: LoginAttempt,
  tableName: 'login_attempt',
  indexes: [{ properties: ['accountKey', 'clientAddress', 'attemptedAt'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    accountKey: { type: 'string', length: 100 },
    clientAddress: { type: 'string', length: 64 },
    attemptedAt: { type: 'datetime', index: true },
  },
});
