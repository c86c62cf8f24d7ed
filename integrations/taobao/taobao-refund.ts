/**
 * A buyer's refund as Taobao sends it (the shape lives in domain/platform-refund.ts so the domain can read it),
 * and how a caller recognises the platform's "your refund_version is stale" answer.
 */
import { TopError } from './top-error';
import { REFUND_SUB_CODES } from './refund-sub-codes';

export type { TaobaoRefund, TaobaoRefundRemindTimeout } from '../../domain/platform-refund';

/**
 * True for the platform's refusal of a stale refund_version (a TopError from agreeReturnGoods or refuseRefund) and
 * for an agreeRefunds item that failed for that reason: re-read the refund with getRefund and decide again.
 */
export function isStaleRefundVersion(err: unknown): boolean {
  if (err instanceof TopError) return err.subCode === REFUND_SUB_CODES.refundVersionStale;
  return typeof err === 'object' && err !== null && (err as { staleVersion?: unknown }).staleVersion === true;
}
