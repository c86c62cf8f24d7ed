/** The sqlite migrations in the order they run. */
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126174216_m20261126174215_initial } from './m20261126174215_initial';

export const sqliteMigrations: MigrationObject[] = [{ name: 'm20261126174215_initial', class: Migration20261126174216_m20261126174215_initial }];
