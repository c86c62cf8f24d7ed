/** Opens the database (MikroORM), brings its schema up to date and hands out the services built on it. */
import fs from 'node:fs';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import mysql from 'mysql2/promise';
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
  if (options.migrate !== false) await migrate(orm, settings);
  return {
    orm,
    settings,
    em: () => orm.em.fork() as unknown as EntityManager,
    close: () => orm.close(true),
  };
}

/**
 * Brings the schema up to date. Web and workers may start together on a new MySQL database, so they
 * take turns under a named lock held on a connection of its own; SQLite serialises writers by itself.
 */
async function migrate(orm: MikroORM, settings: DatabaseSettings): Promise<void> {
  if (settings.dialect !== 'mysql') {
    await orm.getMigrator().up();
    return;
  }
  const lock = await mysql.createConnection(settings.url);
  try {
    const [rows] = await lock.query('SELECT GET_LOCK(?, 120) AS got', ['guanjia_migrations']);
    if ((rows as Array<{ got: number }>)[0]?.got !== 1) throw new Error('could not take the migration lock within 120 s');
    await orm.getMigrator().up();
  } finally {
    await lock.query('SELECT RELEASE_LOCK(?)', ['guanjia_migrations']).catch(() => undefined);
    await lock.end();
  }
}
