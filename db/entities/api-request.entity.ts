import { EntitySchema } from '@mikro-orm/core';

/**
 * One /api/v1 call inside the per-token rate-limit window, kept in the database so every web process counts the same
 * calls; rows older than the window are deleted.
 */
export class ApiRequest {
  id!: number;
  /** The first 32 hex digits of the token's SHA-256 (never the token). */
  tokenKey!: string;
  at!: Date;
}

export const ApiRequestSchema = new EntitySchema<ApiRequest>({
  class: ApiRequest,
  tableName: 'api_request',
  indexes: [{ properties: ['tokenKey', 'at'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    tokenKey: { type: 'string', length: 32 },
    at: { type: 'datetime', index: true },
  },
});
