/** Everything the sandbox platform remembers, in the shape it is saved to its snapshot file. */
import type { TaobaoOrder, TaobaoTrade } from '../../domain/taobao';
import type { CainiaoContact } from '../taobao/cainiao-waybill';
import type { TaobaoExchange } from '../taobao/taobao-exchange';
import type { TaobaoRefund } from '../taobao/taobao-refund';

/** A sub-order with the fields the real gateway adds once money moves or the parcel leaves. */
export interface SandboxOrder extends TaobaoOrder {
  total_fee: string;
  discount_fee: string;
  refund_id?: string;
  invoice_no?: string;
  logistics_company?: string;
  consign_time?: string;
}

export interface SandboxTrade extends TaobaoTrade {
  type: string;
  seller_nick: string;
  discount_fee: string;
  shipping_type: string;
  consign_time?: string;
  end_time?: string;
  orders: { order: SandboxOrder[] };
}

/** What taobao.logistics.offline.send recorded: the proof a test checks that a shipment reached Taobao. */
export interface SandboxShipment {
  tid: string;
  companyCode: string;
  outSid: string;
  /** Sub-orders of a split shipment; absent when the whole trade shipped. */
  oids?: string[];
  /** ISO-8601 UTC. */
  at: string;
}

export interface SandboxWaybill {
  waybillCode: string;
  cpCode: string;
  objectId: string;
  tradeOrderList: string[];
  packageId: string;
  recipient: CainiaoContact;
  printData: string;
  cancelled: boolean;
  createdAt: string;
  cancelledAt?: string;
}

/** Money the platform paid back to a buyer: one row per refund, ever, which is what a test counts. */
export interface SandboxRefundPayment {
  refund_id: string;
  tid: string;
  oid: string;
  amount_fen: number;
  /** ISO-8601 UTC. */
  at: string;
  /** seller: rp.refunds.agree; timeout: the platform decided for the buyer; platform: set by a test through /admin. */
  by: 'seller' | 'timeout' | 'platform';
}

/** A Tmall exchange with the sub-order and trade it belongs to, which the wire shape leaves out. */
export interface SandboxExchange extends TaobaoExchange {
  tid: string;
}

export interface SandboxState {
  trades: SandboxTrade[];
  refunds: TaobaoRefund[];
  shipments: SandboxShipment[];
  waybills: SandboxWaybill[];
  /** tid → ISO time at which the buyer of a WAIT_BUYER_PAY trade pays. */
  pendingPayments: Record<string, string>;
  refundPayments: SandboxRefundPayment[];
  exchanges: SandboxExchange[];
  /** The shop's listings (taobao.items.onsale.get / taobao.item.seller.get); made from the catalogue when empty. */
  items: SandboxItem[];
}

export function emptySandboxState(): SandboxState {
  return { trades: [], refunds: [], shipments: [], waybills: [], pendingPayments: {}, refundPayments: [], exchanges: [], items: [] };
}

/** One SKU of a sandbox listing, as taobao.item.seller.get answers it. */
export interface SandboxItemSku {
  sku_id: string;
  outer_id: string;
  properties_name: string;
  price: string;
  quantity: number;
  modified: string;
}

/** A listing on sale in the sandbox shop, as taobao.items.onsale.get and taobao.item.seller.get answer it. */
export interface SandboxItem {
  num_iid: string;
  title: string;
  /** 商家编码 of the item (outer_id). */
  outer_id: string;
  price: string;
  num: number;
  approve_status: 'onsale' | 'instock';
  modified: string;
  /** Absent for an item sold without SKUs. */
  skus?: { sku: SandboxItemSku[] };
}
