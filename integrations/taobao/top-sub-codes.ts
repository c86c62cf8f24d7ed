/**
 * The sub_codes both sides must agree on: the client recognises these answers as "already done" or
 * "slow down", the sandbox gives them. Business codes mirror the real gateway's `isv.` family.
 */
export const TOP_SUB_CODES = {
  /** The sandbox's rate-limit sub_code; the real gateway also says `accesscontrol.limited-by-*`. */
  callLimited: 'isv.call-limited',
  remoteServiceError: 'isp.remote-service-error',
  missingParameter: 'isv.missing-parameter',
  invalidParameter: 'isv.invalid-parameter',
  tradeNotExist: 'isv.trade-not-exist',
  /** offline.send on a trade (or sub-order) that has left already; retried sends land here. */
  alreadyShipped: 'isv.logistics-offline-service-error:B04',
  tradeStatusForbidsSend: 'isv.logistics-offline-service-error:B01',
  refundForbidsSend: 'isv.logistics-offline-service-error:B27',
  waybillNotExist: 'isv.waybill-not-exist',
  waybillAlreadyCancelled: 'isv.waybill-already-cancelled',
  waybillAlreadyShipped: 'isv.waybill-already-shipped',
} as const;
