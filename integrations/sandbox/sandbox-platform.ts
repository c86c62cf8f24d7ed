/**
 * A stand-in for the Taobao open platform that speaks TOP on /router/rest, so pulls, shipment syncs,
 * refund checks, refunds, Tmall exchanges and e-waybills run end to end in tests and demos without a real
 * shop; /admin lets a test act as buyer and Taobao and check what the platform was told and paid.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer, type HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { createExchangeBook } from './exchange-book';
import { createExchangeMethods } from './exchange-methods';
import { createItemMethods } from './item-methods';
import type { SandboxCatalogueItem } from './generate-trade';
import { createLogisticsMethods } from './logistics-methods';
import { createRefundBook, type RefundDeadlineHours, type SellerReturnAddress } from './refund-book';
import { createRefundMethods } from './refund-methods';
import { sandboxAdminRoutes, type SandboxControls } from './sandbox-admin-routes';
import { NO_FAULTS, type SandboxFaults } from './sandbox-faults';
import { createSandboxStore } from './sandbox-store';
import { createSeededRandom } from './seeded-random';
import { createTopGateway, type SandboxApp } from './top-gateway';
import { createTradeMethods } from './trade-methods';
import { createUserMethods } from './user-methods';
import { createWaybillMethods } from './waybill-methods';

export type { SandboxCatalogueItem } from './generate-trade';
export type { SandboxApp } from './top-gateway';

export interface SandboxPlatformOptions {
  apps: readonly SandboxApp[];
  /** The shop's SKUs; generated trades sell only these, so their 商家编码 match Guanjia's catalogue. */
  catalogue: readonly SandboxCatalogueItem[];
  /** Same seed, same trades (names, addresses, lines, ids); default 1. */
  seed?: number | string;
  /** JSON snapshot loaded at start and rewritten after changes, so a restarted demo keeps its trades. */
  dataFile?: string;
  /** Trades placed per minute while listening; 0 or absent = only on request. */
  tradesPerMinute?: number;
  sellerNick?: string;
  /** The platform's clock: trade times, `modified`, refund deadlines, and what request timestamps are checked against. */
  now?: () => Date;
  /** Hours before the platform decides a refund for the buyer; Taobao's usual 48 h / 7 days / 10 days by default. */
  refundDeadlineHours?: Partial<RefundDeadlineHours>;
  /** The shop's default return address, used when the platform agrees a return on the seller's behalf. */
  returnAddress?: SellerReturnAddress;
}

export interface SandboxServer {
  port: number;
  /** http://host:port */
  url: string;
  /** The TOP gateway URL to configure a client with. */
  routerUrl: string;
  close(): Promise<void>;
}

export interface SandboxPlatform extends SandboxControls {
  app: Hono<{ Bindings: HttpBindings }>;
  listen(port?: number, hostname?: string): Promise<SandboxServer>;
  /** Closes every server, stops the trade timer and writes the snapshot. */
  shutdown(): Promise<void>;
}

const GENERATOR_TICK_MS = 1_000;

export function createSandboxPlatform(options: SandboxPlatformOptions): SandboxPlatform {
  const now = options.now ?? (() => new Date());
  const seed = options.seed ?? 1;
  const store = createSandboxStore({
    catalogue: options.catalogue,
    seed,
    sellerNick: options.sellerNick ?? '管家沙盒旗舰店',
    now,
    dataFile: options.dataFile,
  });
  const refunds = createRefundBook(store, { deadlineHours: options.refundDeadlineHours, returnAddress: options.returnAddress });
  const exchanges = createExchangeBook(store, refunds);
  /** Clock-driven changes, applied lazily before anything reads or changes the platform. */
  const settle = (): void => {
    store.settlePayments();
    refunds.settleDeadlines();
  };
  const faults: SandboxFaults = { ...NO_FAULTS };
  const gateway = createTopGateway({
    apps: options.apps,
    methods: {
      ...createTradeMethods(store),
      ...createLogisticsMethods(store),
      ...createWaybillMethods(store),
      ...createRefundMethods(refunds),
      ...createExchangeMethods(store.state, exchanges),
      ...createUserMethods(options.sellerNick ?? '管家沙盒旗舰店'),
      ...createItemMethods(store),
    },
    faults,
    // Its own sequence: injected faults must not shift the trades a seed produces.
    faultRng: createSeededRandom(`${String(seed)}:faults`),
    now,
    beforeMethod: settle,
  });

  const servers = new Set<SandboxServer>();
  let generator: NodeJS.Timeout | undefined;
  let owed = 0;

  const app = new Hono<{ Bindings: HttpBindings }>();
  app.all('/router/rest', async (c) => {
    if (faults.outage === 'reset' && c.env?.incoming) {
      c.env.incoming.socket.destroy();
      return c.body(null, 503);
    }
    if (faults.outage) return c.text('Service Unavailable', 503);
    const params: Record<string, string> = { ...c.req.query() };
    if (c.req.method === 'POST') {
      for (const [key, value] of Object.entries(await c.req.parseBody())) {
        // Files (image uploads) are never signed, so they never reach the gateway's checks.
        if (typeof value === 'string') params[key] = value;
      }
    }
    const answer = await gateway.handle(params);
    if (answer.lost) {
      // The change is on disk before the line goes dead, as on a platform that committed and then lost the reply.
      store.flush();
      c.env?.incoming?.socket.destroy();
      return c.body(null, 503);
    }
    return c.json(answer.body);
  });

  function startGenerator(): void {
    const perMinute = options.tradesPerMinute ?? 0;
    if (perMinute <= 0 || generator) return;
    generator = setInterval(() => {
      owed += (perMinute * GENERATOR_TICK_MS) / 60_000;
      store.settlePayments();
      if (owed >= 1) {
        const count = Math.floor(owed);
        owed -= count;
        store.generateTrades(count, { from: now(), to: now() });
      }
    }, GENERATOR_TICK_MS);
    generator.unref();
  }

  function stopGenerator(): void {
    if (generator) clearInterval(generator);
    generator = undefined;
  }

  const platform: SandboxPlatform = {
    app,
    state: store.state,
    get faults() {
      return { ...faults };
    },
    get answersLost() {
      return gateway.answersLost;
    },
    setFaults(change) {
      Object.assign(faults, change);
      return { ...faults };
    },
    generateTrades(count, generateOptions) {
      settle();
      return store.generateTrades(count, generateOptions);
    },
    getTrade(tid) {
      settle();
      return store.getTrade(tid);
    },
    listItem: (input) => store.listItem(input),
    refundTrade: (tid, refundOptions) => (settle(), refunds.refundTrade(tid, refundOptions)),
    closeTrade: (tid) => (settle(), store.closeTrade(tid)),
    payTrade: (tid) => (settle(), store.payTrade(tid)),
    askRefund: (tid, askOptions) => (settle(), refunds.askRefund(tid, askOptions)),
    sendReturnParcel: (refundId, parcel) => (settle(), refunds.sendReturnParcel(refundId, parcel)),
    cancelRefund: (refundId) => (settle(), refunds.cancelRefund(refundId)),
    getRefund(refundId) {
      settle();
      return refunds.getRefund(refundId);
    },
    listRefunds(tid) {
      settle();
      return store.state.refunds.filter((r) => !tid || r.tid === tid);
    },
    askExchange: (tid, exchangeOptions) => (settle(), exchanges.askExchange(tid, exchangeOptions)),
    sendExchangeReturnParcel: (disputeId, parcel) => (settle(), exchanges.sendReturnParcel(disputeId, parcel)),
    confirmExchangeReceived: (disputeId) => (settle(), exchanges.confirmReceived(disputeId)),
    cancelExchange: (disputeId) => (settle(), exchanges.cancel(disputeId)),
    getExchange(disputeId) {
      settle();
      return exchanges.getExchange(disputeId);
    },

    async listen(port = 0, hostname = '127.0.0.1') {
      const server = createAdaptorServer({ fetch: app.fetch, hostname }) as Server;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, hostname, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const actualPort = (server.address() as AddressInfo).port;
      const host = hostname === '0.0.0.0' || hostname === '::' ? '127.0.0.1' : hostname;
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
      const handle: SandboxServer = {
        port: actualPort,
        url,
        routerUrl: `${url}/router/rest`,
        close: async () => {
          if (!servers.delete(handle)) return;
          if (servers.size === 0) stopGenerator();
          store.flush();
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            // Keep-alive sockets and requests held by injected latency would otherwise hold close() open.
            server.closeAllConnections();
          });
        },
      };
      servers.add(handle);
      startGenerator();
      return handle;
    },

    async shutdown() {
      await Promise.all([...servers].map((s) => s.close()));
      stopGenerator();
      store.flush();
    },
  };
  app.route('/admin', sandboxAdminRoutes(platform));
  return platform;
}
