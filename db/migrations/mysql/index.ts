/** The mysql migrations in the order they run. */
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126174946_m20261126174946_initial } from './m20261126174946_initial';
import { Migration20261127141114_m20261127141113_login_attempts } from './m20261127141113_login_attempts';
import { Migration20261127141522_m20261127141522_print_and_import_progress } from './m20261127141522_print_and_import_progress';
import { Migration20261127163832_m20261127163832_after_sales } from './m20261127163832_after_sales';
import { Migration20261127165941_m20261127165938_stock_transfers } from './m20261127165938_stock_transfers';
import { Migration20261127172401_m20261127172357_stock_documents_and_stocktakes } from './m20261127172357_stock_documents_and_stocktakes';
import { Migration20261127174734_m20261127174733_transfer_outbound_note } from './m20261127174733_transfer_outbound_note';
import { Migration20261127195442_m20261127195442_privacy } from './m20261127195442_privacy';
import { Migration20261127195452_m20261127195451_sku_mapping } from './m20261127195451_sku_mapping';
import { Migration20261127195501_m20261127195500_shop_secrets } from './m20261127195500_shop_secrets';
import { Migration20261127195642_m20261127195641_privacy_access_log } from './m20261127195641_privacy_access_log';
import { Migration20261127195943_m20261127195936_warehouse_courier_settings } from './m20261127195936_warehouse_courier_settings';

export const mysqlMigrations: MigrationObject[] = [
  { name: 'm20261126174946_initial', class: Migration20261126174946_m20261126174946_initial },
  { name: 'm20261127141113_login_attempts', class: Migration20261127141114_m20261127141113_login_attempts },
  { name: 'm20261127141522_print_and_import_progress', class: Migration20261127141522_m20261127141522_print_and_import_progress },
  { name: 'm20261127163832_after_sales', class: Migration20261127163832_m20261127163832_after_sales },
  { name: 'm20261127165938_stock_transfers', class: Migration20261127165941_m20261127165938_stock_transfers },
  { name: 'm20261127172357_stock_documents_and_stocktakes', class: Migration20261127172401_m20261127172357_stock_documents_and_stocktakes },
  { name: 'm20261127174733_transfer_outbound_note', class: Migration20261127174734_m20261127174733_transfer_outbound_note },
  { name: 'm20261127195442_privacy', class: Migration20261127195442_m20261127195442_privacy },
  { name: 'm20261127195451_sku_mapping', class: Migration20261127195452_m20261127195451_sku_mapping },
  { name: 'm20261127195500_shop_secrets', class: Migration20261127195501_m20261127195500_shop_secrets },
  { name: 'm20261127195641_privacy_access_log', class: Migration20261127195642_m20261127195641_privacy_access_log },
  { name: 'm20261127195936_warehouse_courier_settings', class: Migration20261127195943_m20261127195936_warehouse_courier_settings },
];
