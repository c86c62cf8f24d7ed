/** The states of an order on its way from the platform to the buyer, in the seller's words. */

export const ORDER_STATUSES = [
  'submitted', // 已递交: created from a platform order, auto-review running
  'review', // 待审核: waits for a reviewer (buyer message, seller memo, address, stock…)
  'out_of_area', // 超区: destination not served, parked in the 超区订单 warehouse
  'waybill_pending', // 待预约单号: approved, stock reserved, no tracking number yet
  'ready_to_print', // 待打印: approved with a tracking number
  'printed', // 已打印: label and packing list printed, waits for scan check
  'shipped', // 已发货: parcel left, tracking number being synced to the platform
  'done', // 已完成: shipped and synced
  'cancelled', // 已取消: closed on the platform or by staff before shipping
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const SYNC_STATUSES = ['none', 'pending', 'failing', 'synced'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

/** The seller's names of the statuses (zh-CN), used by workflow refusals and the UI catalogue alike. */
export const ORDER_STATUS_LABELS: Record<OrderStatus, string> = {
  submitted: '已递交',
  review: '待审核',
  out_of_area: '超区',
  waybill_pending: '待预约单号',
  ready_to_print: '待打印',
  printed: '已打印',
  shipped: '已发货',
  done: '已完成',
  cancelled: '已取消',
};

export function isOrderStatus(v: string): v is OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(v);
}

/** Statuses from which a reviewer may approve. */
export const REVIEWABLE: readonly OrderStatus[] = ['review', 'out_of_area'];
