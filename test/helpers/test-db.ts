/** A fresh database per test file: a new schema on the MariaDB/MySQL of DATABASE_URL, or a temp SQLite file. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { databaseSettingsFromEnv, type DatabaseSettings } from '../../db/config';
import { initORM, type Db } from '../../db/orm';

export interface TestDb {
  db: Db;
  settings: DatabaseSettings;
  drop(): Promise<void>;
}

export async function createTestDb(): Promise<TestDb> {
  const base = process.env.DATABASE_URL ? databaseSettingsFromEnv() : null;
  const suffix = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  if (base?.dialect === 'mysql') {
    const url = new URL(base.url);
    const name = `${url.pathname.slice(1) || 'guanjia'}_t_${suffix}`.slice(0, 60);
    const admin = await mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    url.pathname = `/${name}`;
    const settings: DatabaseSettings = { dialect: 'mysql', url: url.toString() };
    const db = await initORM({ settings });
    return {
      db,
      settings,
      async drop() {
        await db.close();
        await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await admin.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gj-test-'));
  const settings: DatabaseSettings = { dialect: 'sqlite', url: path.join(dir, 'guanjia.sqlite') };
  const db = await initORM({ settings });
  return {
    db,
    settings,
    async drop() {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
