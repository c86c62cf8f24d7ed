/** Opens the database (MikroORM), brings its schema up to date and hands out the services built on it. */
import fs from 'node:fs';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { databaseSettingsFromEnv, ormOptions, type DatabaseSettings } from './config';

export interface Db {
  orm: MikroORM;
  settings: DatabaseSettings;
  /** A fresh EntityManager for one unit of work. */
  em(): EntityManager;
  close(): Promise<void>;
}

export interface InitOrmOptions {
  settings?: DatabaseSettings;
  /** Run pending migrations before returning (the web and worker do; scripts that only read may not). */
  migrate?: boolean;
}

export async function initORM(options: InitOrmOptions = {}): Promise<Db> {
  const settings = options.settings ?? databaseSettingsFromEnv();
  if (settings.dialect === 'sqlite') fs.mkdirSync(path.dirname(settings.url), { recursive: true });
  const orm = await MikroORM.init(ormOptions(settings));
  if (settings.dialect === 'sqlite') {
    // WAL lets the web read while the worker writes; busy_timeout makes a second process wait, not fail.
    const conn = orm.em.getConnection();
    await conn.execute('PRAGMA journal_mode = WAL');
    await conn.execute('PRAGMA busy_timeout = 10000');
    await conn.execute('PRAGMA synchronous = NORMAL');
  }
  if (options.migrate !== false) await orm.getMigrator().up();
  return {
    orm,
    settings,
    em: () => orm.em.fork() as unknown as EntityManager,
    close: () => orm.close(true),
  };
}
