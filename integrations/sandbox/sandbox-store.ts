/**
 * The sandbox platform's book of trades, shipments and waybills, and the rules that change them as Taobao
 * would: a trade ships once, never while closed or while a refund is open; every change moves `modified`,
 * so incremental pulls see it. Refunds and exchanges follow their own rules in refund-book.ts and
 * exchange-book.ts, on the same state. Saved to a JSON snapshot when a file is given.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fenToYuan } from '../../domain/money';
import { isoToTaobaoTime, refundBlocksShipping, tradeAwaitsShipment, tradeIsClosed } from '../../domain/taobao';
import { TOP_SUB_CODES } from '../taobao/top-sub-codes';
import { generateTrade, type GeneratedStatus, type SandboxCatalogueItem } from './generate-trade';
import { catalogueOf, itemsFromCatalogue } from './item-catalogue';
import { emptySandboxState, type SandboxItem, type SandboxShipment, type SandboxState, type SandboxTrade } from './sandbox-state';
import { createSeededRandom } from './seeded-random';
import { topFailure } from './top-failure';

export interface SandboxStoreOptions {
  catalogue: readonly SandboxCatalogueItem[];
  seed: number | string;
  sellerNick: string;
  now: () => Date;
  /** JSON snapshot: read once here, rewritten shortly after each change. */
  dataFile?: string;
}

export interface GenerateTradesOptions {
  /** Trades are spread over [from, to]; default the last ten minutes (or exactly now for one trade). */
  from?: Date | string;
  to?: Date | string;
  status?: GeneratedStatus;
  /** Sell only these SKUs (outer ids of listed items), e.g. an item a test listed that the seller has not mapped. */
  outerSkuIds?: string[];
}

export interface ListItemInput {
  title: string;
  /** The item's 商家编码; may be empty, as sellers leave it. */
  outerId?: string;
  priceFen: number;
  /** Without SKUs the item is sold as it is. */
  skus?: Array<{ outerId?: string; props: string; priceFen?: number; quantity?: number }>;
}

export interface ShipInput {
  tid: string;
  companyCode: string;
  outSid: string;
  oids?: string[];
}

export type SandboxStore = ReturnType<typeof createSandboxStore>;

const SNAPSHOT_VERSION = 1;
const WRITE_DELAY_MS = 250;
const DEFAULT_SPREAD_MS = 10 * 60_000;
const SHIPPED = new Set(['WAIT_BUYER_CONFIRM_GOODS', 'TRADE_BUYER_SIGNED', 'TRADE_FINISHED']);
const COMPANY_NAMES: Record<string, string> = {
  ZTO: '中通快递', SF: '顺丰速运', YTO: '圆通速递', STO: '申通快递', YUNDA: '韵达快递', EMS: 'EMS',
  POSTB: '邮政快递包裹', JD: '京东快递', DBKD: '德邦快递', JTSD: '极兔速递',
};

interface Snapshot {
  version: number;
  rngState: number;
  state: SandboxState;
}

export function createSandboxStore(options: SandboxStoreOptions) {
  if (options.catalogue.length === 0) throw new RangeError('sandbox: the catalogue has no SKUs');
  const rng = createSeededRandom(options.seed);
  const state = emptySandboxState();
  const byTid = new Map<string, SandboxTrade>();
  const ids = new Set<string>();
  let writeTimer: NodeJS.Timeout | undefined;
  let dirty = false;

  if (options.dataFile) {
    const snapshot = readSnapshot(options.dataFile);
    if (snapshot) {
      Object.assign(state, emptySandboxState(), snapshot.state);
      rng.state = snapshot.rngState;
    }
  }
  if (!state.items.length) state.items.push(...itemsFromCatalogue(options.catalogue, isoToTaobaoTime(options.now())));
  for (const trade of state.trades) index(trade);
  for (const refund of state.refunds) ids.add(refund.refund_id);

  function index(trade: SandboxTrade): void {
    byTid.set(trade.tid, trade);
    ids.add(trade.tid);
    for (const order of trade.orders.order) ids.add(order.oid);
  }

  function nowText(): string {
    return isoToTaobaoTime(options.now());
  }

  function changed(): void {
    if (!options.dataFile) return;
    dirty = true;
    if (writeTimer) return;
    writeTimer = setTimeout(flush, WRITE_DELAY_MS);
    writeTimer.unref();
  }

  function flush(): void {
    if (writeTimer) clearTimeout(writeTimer);
    writeTimer = undefined;
    if (!options.dataFile || !dirty) return;
    dirty = false;
    const snapshot: Snapshot = { version: SNAPSHOT_VERSION, rngState: rng.state, state };
    mkdirSync(dirname(options.dataFile), { recursive: true });
    // Write-then-rename, so a crash mid-write leaves the previous snapshot intact.
    const tmp = `${options.dataFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(snapshot));
    renameSync(tmp, options.dataFile);
  }

  function newId(digits: number): string {
    for (;;) {
      const id = `${rng.int(1, 4)}${rng.digits(digits - 1)}`;
      if (!ids.has(id)) {
        ids.add(id);
        return id;
      }
    }
  }

  function requireTrade(tid: string): SandboxTrade {
    const trade = byTid.get(tid);
    if (!trade) throw topFailure.remote(TOP_SUB_CODES.tradeNotExist, `交易 ${tid} 不存在`);
    return trade;
  }

  /**
   * What trades sell: the shop's catalogue in its own order (so a seed always places the same trades) with each SKU's
   * num_iid and sku_id, then any SKU of an item listed later.
   */
  function sellable(only?: readonly string[]): SandboxCatalogueItem[] {
    const listed = catalogueOf(state.items);
    const byOuter = new Map(listed.map((c) => [c.outerSkuId, c]));
    const own = new Set(options.catalogue.map((c) => c.outerSkuId));
    const all = [
      ...options.catalogue.map((c) => {
        const l = byOuter.get(c.outerSkuId);
        return l ? { ...c, numIid: l.numIid, ...(l.skuId ? { skuId: l.skuId } : {}) } : c;
      }),
      ...listed.filter((c) => !own.has(c.outerSkuId)),
    ];
    if (!only) return all;
    const picked = all.filter((c) => only.includes(c.outerSkuId));
    if (!picked.length) throw topFailure.invalid('outerSkuIds', `沙盒店铺没有商家编码为 ${only.join(', ')} 的在售商品`);
    return picked;
  }

  function pay(trade: SandboxTrade): void {
    const at = nowText();
    trade.status = 'WAIT_SELLER_SEND_GOODS';
    trade.pay_time = at;
    trade.modified = at;
    for (const order of trade.orders.order) order.status = trade.status;
    delete state.pendingPayments[trade.tid];
  }

  return {
    /** Live state; tests read it directly (state.shipments is what Taobao was told). */
    state: state as Readonly<SandboxState>,
    flush,

    getTrade(tid: string): SandboxTrade | undefined {
      return byTid.get(tid);
    },

    generateTrades(count: number, opts: GenerateTradesOptions = {}): SandboxTrade[] {
      const to = opts.to ? new Date(opts.to) : options.now();
      const from = opts.from ? new Date(opts.from) : new Date(to.getTime() - (count > 1 ? DEFAULT_SPREAD_MS : 0));
      const span = Math.max(0, to.getTime() - from.getTime());
      const times = Array.from({ length: count }, () => from.getTime() + Math.floor(rng.next() * (span + 1))).sort((a, b) => a - b);
      const created = times.map((t) => {
        const trade = generateTrade({
          rng,
          catalogue: sellable(opts.outerSkuIds),
          sellerNick: options.sellerNick,
          modified: new Date(t),
          status: opts.status,
          newId,
        });
        if (trade.status === 'WAIT_BUYER_PAY') {
          // Pays a few minutes after it is seen at the earliest, so an incremental pull meets it twice.
          const payAt = Math.max(t, options.now().getTime()) + rng.int(60, 900) * 1_000;
          state.pendingPayments[trade.tid] = new Date(payAt).toISOString();
        }
        state.trades.push(trade);
        index(trade);
        return trade;
      });
      changed();
      return created;
    },

    /** The seller lists a new item (上架), with fresh num_iid and sku_ids. */
    listItem(input: ListItemInput): SandboxItem {
      const at = nowText();
      const skus = (input.skus ?? []).map((k) => ({
        sku_id: newId(13), outer_id: k.outerId ?? '', properties_name: k.props, price: fenToYuan(k.priceFen ?? input.priceFen), quantity: k.quantity ?? 100, modified: at,
      }));
      const item: SandboxItem = {
        num_iid: newId(12), title: input.title, outer_id: input.outerId ?? '', price: fenToYuan(input.priceFen),
        num: skus.length ? skus.reduce((n, k) => n + k.quantity, 0) : 100, approve_status: 'onsale', modified: at,
        ...(skus.length ? { skus: { sku: skus } } : {}),
      };
      state.items.push(item);
      changed();
      return item;
    },

    /** Buyers whose payment time has come pay now; `modified` is now so the next pull sees it. */
    settlePayments(): void {
      const now = options.now().getTime();
      let paid = false;
      for (const [tid, at] of Object.entries(state.pendingPayments)) {
        const trade = byTid.get(tid);
        if (new Date(at).getTime() > now) continue;
        if (trade?.status === 'WAIT_BUYER_PAY') pay(trade);
        delete state.pendingPayments[tid];
        paid = true;
      }
      if (paid) changed();
    },

    payTrade(tid: string): SandboxTrade {
      const trade = requireTrade(tid);
      if (trade.status !== 'WAIT_BUYER_PAY') throw topFailure.remote('isv.trade-status-error', `交易 ${tid} 不是待付款状态`);
      pay(trade);
      changed();
      return trade;
    },

    /** Closes a trade that has not shipped: TRADE_CLOSED once paid, TRADE_CLOSED_BY_TAOBAO before. */
    closeTrade(tid: string): SandboxTrade {
      const trade = requireTrade(tid);
      if (SHIPPED.has(trade.status) || trade.status === 'SELLER_CONSIGNED_PART') {
        throw topFailure.remote('isv.trade-status-error', `交易 ${tid} 已发货，不能关闭`);
      }
      if (tradeIsClosed(trade.status)) return trade;
      const at = nowText();
      trade.status = trade.pay_time ? 'TRADE_CLOSED' : 'TRADE_CLOSED_BY_TAOBAO';
      trade.end_time = at;
      trade.modified = at;
      for (const order of trade.orders.order) order.status = trade.status;
      delete state.pendingPayments[tid];
      changed();
      return trade;
    },

    /** taobao.logistics.offline.send: the trade (or the given sub-orders) leaves with this tracking number. */
    ship(input: ShipInput): SandboxShipment {
      const trade = requireTrade(input.tid);
      const orders = input.oids ? trade.orders.order.filter((o) => input.oids?.includes(o.oid)) : trade.orders.order;
      if (input.oids && orders.length !== input.oids.length) {
        throw topFailure.invalid('sub_tid', `子订单 ${input.oids.join(',')} 不全属于交易 ${input.tid}`);
      }
      if (orders.some((o) => o.invoice_no) || (!input.oids && SHIPPED.has(trade.status))) {
        throw topFailure.remote(TOP_SUB_CODES.alreadyShipped, '订单已发货，不能重复发货');
      }
      if (tradeIsClosed(trade.status)) {
        throw topFailure.remote(TOP_SUB_CODES.tradeStatusForbidsSend, `交易已关闭(${trade.status})，不能发货`);
      }
      if (orders.some((o) => refundBlocksShipping(o.refund_status))) {
        throw topFailure.remote(TOP_SUB_CODES.refundForbidsSend, '订单存在退款，不能发货');
      }
      if (!tradeAwaitsShipment(trade.status)) {
        throw topFailure.remote(TOP_SUB_CODES.tradeStatusForbidsSend, `交易状态 ${trade.status} 不能发货`);
      }
      const at = options.now();
      const atText = isoToTaobaoTime(at);
      for (const order of orders) {
        order.invoice_no = input.outSid;
        order.logistics_company = COMPANY_NAMES[input.companyCode] ?? input.companyCode;
        order.consign_time = atText;
        order.status = 'WAIT_BUYER_CONFIRM_GOODS';
      }
      const waiting = trade.orders.order.some((o) => !o.invoice_no && o.status !== 'TRADE_CLOSED');
      trade.status = waiting ? 'SELLER_CONSIGNED_PART' : 'WAIT_BUYER_CONFIRM_GOODS';
      trade.consign_time = atText;
      trade.modified = atText;
      const shipment: SandboxShipment = {
        tid: input.tid,
        companyCode: input.companyCode,
        outSid: input.outSid,
        ...(input.oids ? { oids: input.oids } : {}),
        at: at.toISOString(),
      };
      state.shipments.push(shipment);
      changed();
      return shipment;
    },

    /** For the waybill desk and the refund book, which keep their records in the same state and snapshot. */
    changed,
    rng,
    now: options.now,
    nowText,
    newId,
    requireTrade,
  };
}

function readSnapshot(file: string): Snapshot | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const snapshot = JSON.parse(text) as Snapshot;
  if (snapshot.version !== SNAPSHOT_VERSION) throw new Error(`sandbox: ${file} has snapshot version ${snapshot.version}`);
  return snapshot;
}

