/**
 * The sub_codes of the refund and exchange calls that client and sandbox must agree on, beside TOP_SUB_CODES.
 * The real gateway's codes for these refusals are not published; these follow its `isv.` naming.
 */
export const REFUND_SUB_CODES = {
  refundNotExist: 'isv.refund-not-exist',
  /** The refund changed since the caller read it (refund_version differs): re-read, then decide again. */
  refundVersionStale: 'isv.refund-version-changed',
  /** The refund's status does not allow this action (agree a return that has no goods, refuse an unshipped order, …). */
  refundStatusForbids: 'isv.refund-status-error',
  /** rp.refunds.agree over its limits: 20 refunds or ¥6,000 in one call. */
  refundAgreeLimit: 'isv.refund-agree-limit',
  /** More money than the buyer paid for the sub-order (less what was already refunded). */
  refundFeeExceeds: 'isv.refund-fee-exceed',
  exchangeNotExist: 'isv.exchange-not-exist',
  exchangeStatusForbids: 'isv.exchange-status-error',
} as const;
