/**
 * What still holds a warehouse: stock on hand or reserved, orders not yet shipped, transfers, documents and counts not
 * finished, and open after-sales cases whose goods are to come back into it.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { AfterSaleCase, Order, StockDocument, StockLevel, StockTransfer, Stocktake } from '../entities';
import type { OrderStatus } from '../../domain/order-status';
import type { TransferStage } from '../../domain/stock-transfer';

const OPEN_ORDER: readonly OrderStatus[] = ['submitted', 'review', 'out_of_area', 'waybill_pending', 'ready_to_print', 'printed'];
const OPEN_TRANSFER: readonly TransferStage[] = ['created', 'in_transit', 'awaiting_difference', 'reverse_requested'];

export interface WarehouseUse {
  onHand: number;
  reserved: number;
  /** SKU × quality rows with anything on hand or reserved. */
  stockRows: number;
  openOrders: number;
  openTransfers: number;
  openDocuments: number;
  openStocktakes: number;
  openCases: number;
}

export async function warehouseInUse(em: EntityManager, code: string): Promise<WarehouseUse> {
  const levels = await em.find(StockLevel, { warehouseCode: code, $or: [{ onHand: { $ne: 0 } }, { reserved: { $ne: 0 } }] }, { fields: ['onHand', 'reserved'] });
  const [openOrders, openTransfers, openDocuments, openStocktakes] = await Promise.all([
    em.count(Order, { warehouseCode: code, status: { $in: [...OPEN_ORDER] } }),
    em.count(StockTransfer, { $or: [{ fromWarehouseCode: code }, { toWarehouseCode: code }], stage: { $in: [...OPEN_TRANSFER] } }),
    em.count(StockDocument, { warehouseCode: code, stage: 'draft' }),
    em.count(Stocktake, { warehouseCode: code, stage: { $in: ['counting', 'awaiting_approval'] } }),
  ]);
  // A case names its warehouses inside its snapshot only; open cases are few, so they are read and looked at here.
  const cases = await em.find(AfterSaleCase, { stage: { $nin: ['done', 'closed'] } }, { fields: ['snapshot'] });
  const openCases = cases.filter((k) => k.snapshot && (k.snapshot.returnsWarehouseCode === code || k.snapshot.sellableWarehouseCode === code)).length;
  return {
    onHand: levels.reduce((n, l) => n + l.onHand, 0),
    reserved: levels.reduce((n, l) => n + l.reserved, 0),
    stockRows: levels.length,
    openOrders,
    openTransfers,
    openDocuments,
    openStocktakes,
    openCases,
  };
}

/** Why the warehouse cannot be deactivated, in the staff's words, or null when nothing holds it. */
export function warehouseInUseReason(use: WarehouseUse): string | null {
  const parts: string[] = [];
  if (use.stockRows) {
    const reserved = use.reserved ? `（其中 ${use.reserved} 件已被订单占用）` : '';
    parts.push(`仓库里还有 ${use.onHand} 件库存${reserved}，涉及 ${use.stockRows} 个货品`);
  }
  if (use.openOrders) parts.push(`${use.openOrders} 张订单从这里发货且尚未发出`);
  if (use.openTransfers) parts.push(`${use.openTransfers} 张调拨单未完成`);
  if (use.openDocuments) parts.push(`${use.openDocuments} 张入库/出库单未审核`);
  if (use.openStocktakes) parts.push(`${use.openStocktakes} 张盘点单未完成`);
  if (use.openCases) parts.push(`${use.openCases} 张未完结的售后单要把退回的货入到这里`);
  if (!parts.length) return null;
  return `${parts.join('；')}。请先把库存调拨或出库清零、处理完这些单据，再停用仓库。`;
}
