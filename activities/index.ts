/** Every activity, built from the worker's dependencies; workflows import only the type. */
import type { Db } from '../db/orm';
import type { OrderIntake } from '../integrations/order-intake';
import { createAfterSaleActivities } from './after-sale';
import { createGoodsPullActivities } from './goods-pull';
import { createImportActivities } from './import';
import { createOrderActivities } from './order';
import { createPlatformActivities } from './platform';
import { createPrintActivities } from './print';
import { createRetentionActivities } from './retention';
import type { PrintRenderer } from './print-renderer';
import type { ShopPullControl } from './shop-api';
import { createSkuMappingActivities } from './sku-mapping';
import { createStockActivities } from './stock';
import { createStockDocumentActivities } from './stock-document';
import { createStockTransferActivities } from './stock-transfer';
import { createStockTransferNoteActivities } from './stock-transfer-note';
import { createWaybillActivities } from './waybill';

export interface ActivityDeps {
  db: Db;
  intake: OrderIntake;
  renderer: PrintRenderer;
  /** Pauses a shop's pull schedule when the platform says its authorisation expired. */
  shopPulls: ShopPullControl;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createOrderActivities(deps),
    ...createStockActivities(deps),
    ...createWaybillActivities(deps),
    ...createPlatformActivities(deps),
    ...createPrintActivities(deps),
    ...createImportActivities(deps),
    ...createAfterSaleActivities(deps),
    ...createStockTransferActivities(deps),
    ...createStockDocumentActivities(deps),
    ...createStockTransferNoteActivities(deps),
    ...createSkuMappingActivities(deps),
    ...createGoodsPullActivities(deps),
    ...createRetentionActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
