/** Writes the next migration for both dialects from the entity definitions (MariaDB at MIGRATION_MYSQL_URL and a scratch SQLite file). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { ormOptions, PROJECT_ROOT, type DatabaseSettings } from '../db/config';

async function create(db: DatabaseSettings, dir: string, name: string): Promise<void> {
  const opts = ormOptions(db);
  const orm = await MikroORM.init({
    ...opts,
    migrations: { ...opts.migrations, migrationsList: undefined, path: dir, pathTs: dir, glob: 'm2*.ts', emit: 'ts', fileName: () => name },
  });
  await orm.getMigrator().up();
  const result = await orm.getMigrator().createMigration(dir, false, false, name);
  console.log(db.dialect, result.fileName || '(no changes)');
  await orm.close(true);
}

/** Rewrites index.ts so the runtime runs every migration file of the folder, oldest first. */
function writeIndex(dir: string, dialect: 'mysql' | 'sqlite'): void {
  const files = fs.readdirSync(dir).filter((f) => /^m\d{14}_\w+\.ts$/.test(f)).sort();
  const entries = files.map((f) => {
    const name = f.replace(/\.ts$/, '');
    const cls = /export class (\w+)/.exec(fs.readFileSync(path.join(dir, f), 'utf8'))?.[1];
    if (!cls) throw new Error(`${f} has no migration class`);
    return { name, cls };
  });
  fs.writeFileSync(
    path.join(dir, 'index.ts'),
    [
      `/** The ${dialect} migrations in the order they run. */`,
      `import type { MigrationObject } from '@mikro-orm/core';`,
      ...entries.map((e) => `import { ${e.cls} } from './${e.name}';`),
      '',
      `export const ${dialect}Migrations: MigrationObject[] = [`,
      ...entries.map((e) => `  { name: '${e.name}', class: ${e.cls} },`),
      '];',
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[\w]+$/.test(name)) throw new Error('usage: npm run migration:create -- <name>');
  const mysqlUrl = process.env.MIGRATION_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/guanjia_migration_scratch';
  const scratch = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gj-mig-')), 'scratch.sqlite');
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  await create({ dialect: 'mysql', url: mysqlUrl }, path.join(PROJECT_ROOT, 'db/migrations/mysql'), `m${stamp}_${name}`);
  await create({ dialect: 'sqlite', url: scratch }, path.join(PROJECT_ROOT, 'db/migrations/sqlite'), `m${stamp}_${name}`);
  for (const dialect of ['mysql', 'sqlite'] as const) writeIndex(path.join(PROJECT_ROOT, 'db/migrations', dialect), dialect);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
