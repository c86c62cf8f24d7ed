/** Which orders the warehouse may print, reprint or must not print, in the words the print page shows. */
import type { Order } from '../../db/entities';
import { refundBlocksShipping } from '../../domain/taobao';

export type PrintEligibility =
  | { kind: 'printable' }
  | { kind: 'reprint' }
  | { kind: 'refused'; reason: string };

const refused = (reason: string): PrintEligibility => ({ kind: 'refused', reason });

/**
 * Prints only approved orders with a tracking number; a printed or shipped order may be printed again
 * (a torn or lost label), and a refund request stops printing just as it stops the parcel (pink in 网店管家).
 */
export function printEligibility(order: Order | null | undefined): PrintEligibility {
  if (!order) return refused('订单不存在');
  if (order.status === 'cancelled') return refused('订单已取消');
  if (order.interceptCaseNo) return refused(`售后拦截（售后单 ${order.interceptCaseNo}）：买家已申请退款，不要打印/发货`);
  if (refundBlocksShipping(order.refundStatus) || order.alert.includes('退款')) return refused('买家申请退款，不要打印/发货');
  switch (order.status) {
    case 'submitted':
    case 'review':
    case 'out_of_area':
      return refused('订单未审核');
    case 'waybill_pending':
      return refused('尚未预约物流单号');
    case 'shipped':
    case 'done':
      // Shipped without a label from here (直接发货): there is no label to reprint.
      if (order.printCount === 0) return refused('订单已发货，未在本系统打印过面单');
  }
  if (!order.waybillNo) return refused('尚未预约物流单号');
  return order.status === 'ready_to_print' ? { kind: 'printable' } : { kind: 'reprint' };
}
