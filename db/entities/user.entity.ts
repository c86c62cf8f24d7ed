import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import type { Role } from '../../domain/roles';

/** A member of the seller's staff who signs in; roles decide what they may do. */
export class User {
  [OptionalProps]?: 'roles' | 'active' | 'locale' | 'createdAt' | 'lastLoginAt';
  id!: number;
  username!: string;
  displayName!: string;
  passwordHash!: string;
  roles: Role[] = [];
  active = true;
  locale = 'zh-CN';
  createdAt: Date = new Date();
  lastLoginAt: Date | null = null;
}

export const UserSchema = new EntitySchema<User>({
  class: User,
  tableName: 'app_user',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    username: { type: 'string', length: 60, unique: true },
    displayName: { type: 'string', length: 100 },
    passwordHash: { type: 'string', length: 255 },
    roles: { type: 'json' },
    active: { type: 'boolean', default: true },
    locale: { type: 'string', length: 10, default: 'zh-CN' },
    createdAt: { type: 'datetime' },
    lastLoginAt: { type: 'datetime', nullable: true },
  },
});
