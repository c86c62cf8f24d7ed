/** The mysql migrations in the order they run. */
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126174946_m20261126174946_initial } from './m20261126174946_initial';

export const mysqlMigrations: MigrationObject[] = [
  { name: 'm20261126174946_initial', class: Migration20261126174946_m20261126174946_initial },
];
