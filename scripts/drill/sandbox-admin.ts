/**
 * The drill's hand on the sandbox platform's /admin: place and close trades, act as the buyer on refunds and
 * exchanges, switch faults, read what the platform recorded and paid.
 */
import type { AskExchangeOptions } from '../../integrations/sandbox/exchange-book';
import type { AskRefundOptions } from '../../integrations/sandbox/refund-book';
import type { SandboxFaults } from '../../integrations/sandbox/sandbox-faults';
import type { SandboxExchange, SandboxRefundPayment, SandboxShipment, SandboxTrade, SandboxWaybill } from '../../integrations/sandbox/sandbox-state';
import type { TaobaoRefund } from '../../integrations/taobao/taobao-refund';

export interface SandboxAdmin {
  generate(count: number, window: { from: Date; to: Date }): Promise<SandboxTrade[]>;
  trade(tid: string): Promise<SandboxTrade>;
  closeTrade(tid: string): Promise<void>;
  setFaults(faults: Partial<SandboxFaults>): Promise<void>;
  clearFaults(): Promise<void>;
  shipments(): Promise<SandboxShipment[]>;
  waybills(): Promise<SandboxWaybill[]>;
  answersLost(): Promise<number>;
  askRefund(tid: string, options?: AskRefundOptions): Promise<TaobaoRefund[]>;
  sendReturnParcel(refundId: string, parcel: { companyName: string; sid: string }): Promise<TaobaoRefund>;
  cancelRefund(refundId: string): Promise<TaobaoRefund>;
  refunds(tid?: string): Promise<TaobaoRefund[]>;
  /** What the platform paid back: one row per refund, ever. */
  refundPayments(tid?: string): Promise<SandboxRefundPayment[]>;
  askExchange(tid: string, options: AskExchangeOptions): Promise<SandboxExchange>;
  sendExchangeReturnParcel(disputeId: string, parcel: { companyName: string; sid: string }): Promise<SandboxExchange>;
  confirmExchangeReceived(disputeId: string): Promise<SandboxExchange>;
}

export function sandboxAdmin(baseUrl: string): SandboxAdmin {
  async function call<T>(path: string, init: { method: string; body?: unknown } = { method: 'GET' }): Promise<T> {
    const res = await fetch(`${baseUrl}/admin${path}`, {
      method: init.method,
      headers: { 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`sandbox ${init.method} /admin${path}: ${res.status} ${text.slice(0, 200)}`);
    return JSON.parse(text) as T;
  }
  return {
    async generate(count, window) {
      const body = { count, from: window.from.toISOString(), to: window.to.toISOString(), status: 'WAIT_SELLER_SEND_GOODS' };
      return (await call<{ trades: SandboxTrade[] }>('/trades/generate', { method: 'POST', body })).trades;
    },
    trade: (tid) => call<SandboxTrade>(`/trades/${tid}`),
    async closeTrade(tid) {
      await call(`/trades/${tid}/close`, { method: 'POST', body: {} });
    },
    async setFaults(faults) {
      await call('/faults', { method: 'POST', body: faults });
    },
    async clearFaults() {
      await call('/faults', { method: 'DELETE' });
    },
    shipments: async () => (await call<{ shipments: SandboxShipment[] }>('/shipments')).shipments,
    waybills: async () => (await call<{ waybills: SandboxWaybill[] }>('/waybills')).waybills,
    answersLost: async () => (await call<{ answersLost: number }>('/health')).answersLost,
    askRefund: async (tid, options = {}) => (await call<{ refunds: TaobaoRefund[] }>(`/trades/${tid}/refunds`, { method: 'POST', body: options })).refunds,
    sendReturnParcel: async (refundId, parcel) =>
      (await call<{ refund: TaobaoRefund }>(`/refunds/${refundId}/return-parcel`, { method: 'POST', body: parcel })).refund,
    cancelRefund: async (refundId) => (await call<{ refund: TaobaoRefund }>(`/refunds/${refundId}/cancel`, { method: 'POST', body: {} })).refund,
    refunds: async (tid) => (await call<{ refunds: TaobaoRefund[] }>(`/refunds${tid ? `?tid=${tid}` : ''}`)).refunds,
    refundPayments: async (tid) => (await call<{ payments: SandboxRefundPayment[] }>(`/refund-payments${tid ? `?tid=${tid}` : ''}`)).payments,
    askExchange: async (tid, options) => (await call<{ exchange: SandboxExchange }>(`/trades/${tid}/exchanges`, { method: 'POST', body: options })).exchange,
    sendExchangeReturnParcel: async (disputeId, parcel) =>
      (await call<{ exchange: SandboxExchange }>(`/exchanges/${disputeId}/return-parcel`, { method: 'POST', body: parcel })).exchange,
    confirmExchangeReceived: async (disputeId) =>
      (await call<{ exchange: SandboxExchange }>(`/exchanges/${disputeId}/received`, { method: 'POST', body: {} })).exchange,
  };
}
