/** The drill's hand on the sandbox platform's /admin: place and close trades, switch faults, read what the platform recorded. */
import type { SandboxFaults } from '../../integrations/sandbox/sandbox-faults';
import type { SandboxShipment, SandboxTrade, SandboxWaybill } from '../../integrations/sandbox/sandbox-state';

export interface SandboxAdmin {
  generate(count: number, window: { from: Date; to: Date }): Promise<SandboxTrade[]>;
  closeTrade(tid: string): Promise<void>;
  setFaults(faults: Partial<SandboxFaults>): Promise<void>;
  clearFaults(): Promise<void>;
  shipments(): Promise<SandboxShipment[]>;
  waybills(): Promise<SandboxWaybill[]>;
  answersLost(): Promise<number>;
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
  };
}
