/** Roles of the seller's staff and what each may do; checked by every route and again by workflow validators. */

export const ROLES = ['customer_service', 'reviewer', 'warehouse', 'after_sales', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  customer_service: { zh: '客服', en: 'Customer service' },
  reviewer: { zh: '审单', en: 'Reviewer' },
  warehouse: { zh: '仓库', en: 'Warehouse' },
  after_sales: { zh: '售后', en: 'After-sales' },
  finance: { zh: '财务', en: 'Finance' },
  admin: { zh: '管理员', en: 'Admin' },
};

export const PERMISSIONS = {
  'order.view': ['customer_service', 'reviewer', 'warehouse', 'after_sales', 'finance', 'admin'],
  'order.import': ['customer_service', 'reviewer', 'admin'],
  'order.review': ['reviewer', 'admin'],
  'print.run': ['warehouse', 'reviewer', 'admin'],
  'waybill.reserve': ['warehouse', 'reviewer', 'admin'],
  'ship.scan': ['warehouse', 'admin'],
  /**
   * A supervisor lets a scanned parcel leave without what the scan desk would wait for: the platform's refund check
   * when the platform cannot be reached, or a buyer's change made after the label was printed. Always audited.
   */
  'ship.override': ['admin'],
  'sync.manage': ['warehouse', 'reviewer', 'admin'],
  /** Closing a sync by hand says the platform has the number: only people who answer for orders. */
  'sync.markSynced': ['reviewer', 'admin'],
  'users.manage': ['admin'],
  /** After-sales cases: everyone who talks to buyers or handles goods may look. */
  'aftersale.view': ['customer_service', 'reviewer', 'warehouse', 'after_sales', 'finance', 'admin'],
  /** 退换登记: customer service registers returns, refunds, exchanges and reissues. */
  'aftersale.register': ['customer_service', 'after_sales', 'admin'],
  /** The returns desk and QC: the warehouse takes parcels in and checks them, but never decides money. */
  'aftersale.receive': ['warehouse', 'after_sales', 'admin'],
  /** Agreeing a return, approving or refusing a refund, closing a case. */
  'aftersale.approve': ['after_sales', 'admin'],
  /** 财务: confirming money out (refunds) and in (price differences), and the money entries. */
  'finance.confirm': ['finance', 'admin'],
  'finance.view': ['finance', 'after_sales', 'admin'],
  /** 库存查询, the ledger, transfers, documents and stocktakes: everyone may look. */
  'stock.view': ['customer_service', 'reviewer', 'warehouse', 'after_sales', 'finance', 'admin'],
  /** Creating transfers, stock-in/out documents and count sheets, and asking for a transfer's reverse. */
  'stock.manage': ['warehouse', 'admin'],
  /** 出库审核, 入库审核 and their difference, approving stock-in/out documents and stocktakes. */
  'stock.approve': ['warehouse', 'admin'],
  /** 冲销: putting a transfer's stock back where it was takes an admin's approval. */
  'stock.reverse': ['admin'],
  /** 设置: everyone reads shops, warehouses, couriers and goods, since their work names them. */
  'settings.view': ['customer_service', 'reviewer', 'warehouse', 'after_sales', 'finance', 'admin'],
  /** Adding and changing shops, goods, warehouses, couriers and number rolls, and shop credentials. */
  'settings.manage': ['admin'],
  /** 货品对应: mapping a platform SKU to ours, also from the review page for an order waiting with 货品未匹配. */
  'goods.map': ['reviewer', 'admin'],
  /** Decoding Temporal's encrypted payloads (the Temporal UI's codec endpoint) shows buyers' data in clear: admins only, audited. */
  'temporal.decode': ['admin'],
  /**
   * Buyers' phone, name and street in clear (each view logged): reviewers correct addresses, after-sales calls buyers
   * about returns; customer service talks to buyers through the platform's chat, and the warehouse and finance need
   * neither (labels print in the worker, not on their screens).
   */
  'order.viewPii': ['reviewer', 'after_sales', 'admin'],
  /** 订单导出: a whole list of orders as CSV/XLSX is a bulk copy of buyers' data, kept to those who answer for orders. */
  'order.export': ['reviewer', 'after_sales', 'admin'],
  /** The personal-data access log and the retention settings. */
  'privacy.admin': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function can(roles: readonly string[], permission: Permission): boolean {
  const allowed: readonly string[] = PERMISSIONS[permission];
  return roles.some((r) => allowed.includes(r));
}

/** The person behind a decision, carried into workflows so every audit row says who made it. */
export interface Actor {
  username: string;
  displayName: string;
  roles: Role[];
  /** Set by the web app's Temporal client on every decision it sends; workflows refuse a person's decision without it. */
  signature?: ActorSignature;
}

/** HMAC-SHA256 over (username, name, roles, action id, time) with the actor key `kid` (domain/actor-signature.ts). */
export interface ActorSignature {
  kid: string;
  /** The Update id (or `signal:<name>`) the signature was made for. */
  actionId: string;
  at: string;
  mac: string;
}

export const SYSTEM_ACTOR: Actor = { username: 'system', displayName: '系统', roles: ['admin'] };
