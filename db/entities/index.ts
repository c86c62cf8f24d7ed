/** Every entity schema, registered with MikroORM in db/orm.ts. */
export * from './shop.entity';
export * from './warehouse.entity';
export * from './courier.entity';
export * from './waybill-pool-number.entity';
export * from './product.entity';
export * from './sku.entity';
export * from './bundle-component.entity';
export * from './stock-level.entity';
export * from './stock-ledger-entry.entity';
export * from './platform-order.entity';
export * from './order.entity';
export * from './order-line.entity';
export * from './waybill.entity';
export * from './print-batch.entity';
export * from './user.entity';
export * from './api-token.entity';
export * from './session.entity';
export * from './audit-event.entity';
export * from './import-batch.entity';
export * from './import-batch-order.entity';
export * from './login-attempt.entity';
export * from './platform-refund.entity';
export * from './after-sale-case.entity';
export * from './money-entry.entity';
export * from './unmatched-parcel.entity';
export * from './stock-transfer.entity';
export * from './stock-transfer-line.entity';
export * from './stock-document.entity';
export * from './stocktake.entity';
export * from './pii-access-log.entity';
export * from './api-request.entity';
export * from './retention-setting.entity';
export * from './platform-sku-mapping.entity';
export * from './number-roll-import.entity';

import { AfterSaleCaseSchema } from './after-sale-case.entity';
import { ApiRequestSchema } from './api-request.entity';
import { ApiTokenSchema } from './api-token.entity';
import { AuditEventSchema } from './audit-event.entity';
import { BundleComponentSchema } from './bundle-component.entity';
import { CourierSchema } from './courier.entity';
import { ImportBatchSchema } from './import-batch.entity';
import { ImportBatchOrderSchema } from './import-batch-order.entity';
import { LoginAttemptSchema } from './login-attempt.entity';
import { MoneyEntrySchema } from './money-entry.entity';
import { NumberRollImportSchema } from './number-roll-import.entity';
import { OrderLineSchema } from './order-line.entity';
import { OrderSchema } from './order.entity';
import { PlatformOrderSchema } from './platform-order.entity';
import { PlatformRefundSchema } from './platform-refund.entity';
import { PlatformSkuMappingSchema } from './platform-sku-mapping.entity';
import { PiiAccessLogSchema } from './pii-access-log.entity';
import { PrintBatchSchema } from './print-batch.entity';
import { ProductSchema } from './product.entity';
import { RetentionSettingSchema } from './retention-setting.entity';
import { SessionSchema } from './session.entity';
import { ShopSchema } from './shop.entity';
import { SkuSchema } from './sku.entity';
import { StockLedgerEntrySchema } from './stock-ledger-entry.entity';
import { StockLevelSchema } from './stock-level.entity';
import { StockTransferSchema } from './stock-transfer.entity';
import { StockTransferLineSchema } from './stock-transfer-line.entity';
import { StockDocumentSchema } from './stock-document.entity';
import { StocktakeSchema } from './stocktake.entity';
import { UnmatchedParcelSchema } from './unmatched-parcel.entity';
import { UserSchema } from './user.entity';
import { WarehouseSchema } from './warehouse.entity';
import { WaybillPoolNumberSchema } from './waybill-pool-number.entity';
import { WaybillSchema } from './waybill.entity';

export const ENTITY_SCHEMAS = [
  ShopSchema, WarehouseSchema, CourierSchema, WaybillPoolNumberSchema, ProductSchema, SkuSchema,
  BundleComponentSchema, StockLevelSchema, StockLedgerEntrySchema, PlatformOrderSchema, OrderSchema,
  OrderLineSchema, WaybillSchema, PrintBatchSchema, UserSchema, ApiTokenSchema, SessionSchema,
  AuditEventSchema, ImportBatchSchema, ImportBatchOrderSchema, LoginAttemptSchema, PlatformRefundSchema,
  AfterSaleCaseSchema, MoneyEntrySchema, UnmatchedParcelSchema, StockTransferSchema, StockTransferLineSchema,
  StockDocumentSchema, StocktakeSchema, PiiAccessLogSchema, ApiRequestSchema, RetentionSettingSchema, NumberRollImportSchema,
  PlatformSkuMappingSchema,
];
