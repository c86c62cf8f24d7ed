import { EntitySchema, OptionalProps } from '@mikro-orm/core';

/** A personal API token for /api/v1; only its SHA-256 is stored. */
export class ApiToken {
  [OptionalProps]?: 'createdAt' | 'lastUsedAt' | 'revokedAt';
  id!: number;
  userId!: number;
  name!: string;
  tokenHash!: string;
  /** First characters of the token, shown so a user can tell tokens apart. */
  prefix!: string;
  createdAt: Date = new Date();
  lastUsedAt: Date | null = null;
  revokedAt: Date | null = null;
}

export const ApiTokenSchema = new EntitySchema<ApiToken>({
  class: ApiToken,
  tableName: 'api_token',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    userId: { type: 'integer', index: true },
    name: { type: 'string', length: 100 },
    tokenHash: { type: 'string', length: 64, unique: true },
    prefix: { type: 'string', length: 16 },
    createdAt: { type: 'datetime' },
    lastUsedAt: { type: 'datetime', nullable: true },
    revokedAt: { type: 'datetime', nullable: true },
  },
});
