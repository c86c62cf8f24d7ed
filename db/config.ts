/** Where business data lives: SQLite in data/ by default, MySQL/MariaDB when DATABASE_URL says mysql://. */
import path from 'node:path';
import { BetterSqliteDriver } from '@mikro-orm/better-sqlite';
import type { Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { MySqlDriver } from '@mikro-orm/mysql';
import { ENTITY_SCHEMAS } from './entities';
import { mysqlMigrations } from './migrations/mysql';
import { sqliteMigrations } from './migrations/sqlite';

export type Dialect = 'mysql' | 'sqlite';

export interface DatabaseSettings {
  dialect: Dialect;
  /** mysql://user:pass@host:port/db, or a file path for SQLite. */
  url: string;
}

export const PROJECT_ROOT = path.resolve(__dirname, '..');
export const DEFAULT_SQLITE_FILE = path.join(PROJECT_ROOT, 'data', 'guanjia.sqlite');

/** Reads DATABASE_URL: unset → SQLite in data/; mysql:// or mariadb:// → MySQL; sqlite:PATH → that file. */
export function databaseSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseSettings {
  const url = env.DATABASE_URL?.trim();
  if (!url) return { dialect: 'sqlite', url: DEFAULT_SQLITE_FILE };
  if (/^(mysql|mariadb):\/\//.test(url)) return { dialect: 'mysql', url: url.replace(/^mariadb:/, 'mysql:') };
  if (url.startsWith('sqlite:')) return { dialect: 'sqlite', url: path.resolve(PROJECT_ROOT, url.slice('sqlite:'.length)) };
  throw new Error(`DATABASE_URL "${url}" is not supported: use mysql://user:pass@host:3306/db or sqlite:path/to/file.sqlite`);
}

export function ormOptions(db: DatabaseSettings, extra: Partial<Options> = {}): Options {
  const common: Partial<Options> = {
    entities: ENTITY_SCHEMAS,
    forceUtcTimezone: true,
    timezone: '+00:00',
    extensions: [Migrator],
    allowGlobalContext: false,
    debug: process.env.DB_DEBUG === '1',
    ...extra,
  };
  if (db.dialect === 'mysql') {
    return {
      ...common,
      driver: MySqlDriver,
      clientUrl: db.url,
      charset: 'utf8mb4',
      collate: 'utf8mb4_unicode_ci',
      pool: { min: 0, max: Number(process.env.DB_POOL_MAX ?? 10) },
      migrations: { migrationsList: mysqlMigrations, transactional: false, snapshot: false, silent: true },
    } as Options;
  }
  return {
    ...common,
    driver: BetterSqliteDriver,
    dbName: db.url,
    migrations: { migrationsList: sqliteMigrations, transactional: true, allOrNothing: true, snapshot: false, silent: true },
  } as Options;
}
