import { EntitySchema, OptionalProps } from '@mikro-orm/core';

/** A server-side sign-in session; the cookie holds a random id whose SHA-256 is the key here. */
export class Session {
  [OptionalProps]?: 'createdAt' | 'ip' | 'userAgent';
  id!: string;
  userId!: number;
  csrfToken!: string;
  createdAt: Date = new Date();
  expiresAt!: Date;
  ip = '';
  userAgent = '';
}

export const SessionSchema = new EntitySchema<Session>({
  class: Session,
  tableName: 'session',
  properties: {
    id: { type: 'string', length: 64, primary: true },
    userId: { type: 'integer', index: true },
    csrfToken: { type: 'string', length: 64 },
    createdAt: { type: 'datetime' },
    expiresAt: { type: 'datetime', index: true },
    ip: { type: 'string', length: 64, default: '' },
    userAgent: { type: 'string', length: 255, default: '' },
  },
});
