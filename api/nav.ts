/** The menu as the seller knows it from 网店管家: groups and pages in the same order, shown only where the role may go. */
import { can, type Permission } from '../domain/roles';

interface NavItemDef {
  key: string;
  href?: string;
  permission?: Permission;
  shortcut?: string;
}

interface NavGroupDef {
  key: string;
  items: NavItemDef[];
}

// Items without href are planned pages; they show as "coming soon" so staff find things where they expect them.
const NAV: NavGroupDef[] = [
  {
    key: 'nav.sales',
    items: [
      { key: 'nav.newOrder' },
      { key: 'nav.review', href: '/review', permission: 'order.review', shortcut: 'F2' },
      { key: 'nav.print', href: '/print', permission: 'print.run', shortcut: 'F3' },
      { key: 'nav.scan', href: '/scan', permission: 'ship.scan' },
      { key: 'nav.orders', href: '/orders', permission: 'order.view' },
      { key: 'nav.import', href: '/import', permission: 'order.import' },
      { key: 'nav.sync', href: '/sync', permission: 'sync.manage' },
    ],
  },
  {
    key: 'nav.afterSales',
    items: [
      { key: 'nav.rmaRegister', href: '/after-sales/register', permission: 'aftersale.register' },
      { key: 'nav.rmaApprove', href: '/after-sales/cases', permission: 'aftersale.view' },
      { key: 'nav.returnsDesk', href: '/after-sales/returns', permission: 'aftersale.receive' },
      { key: 'nav.qc', href: '/after-sales/qc', permission: 'aftersale.receive' },
    ],
  },
  {
    key: 'nav.stock',
    items: [
      { key: 'nav.stockQuery', href: '/stock/levels', permission: 'stock.view' },
      { key: 'nav.transfer', href: '/stock/transfers', permission: 'stock.view' },
      { key: 'nav.stocktake', href: '/stock/stocktakes', permission: 'stock.view' },
      { key: 'nav.stockOuts', href: '/stock/outages', permission: 'stock.view' },
      { key: 'nav.stockInOut', href: '/stock/documents', permission: 'stock.view' },
    ],
  },
  {
    key: 'nav.finance',
    items: [
      { key: 'nav.paymentConfirm', href: '/finance/payments', permission: 'finance.view' },
      { key: 'nav.refundConfirm', href: '/finance/refunds', permission: 'finance.view' },
      { key: 'nav.cashBank', href: '/finance/entries', permission: 'finance.view' },
      { key: 'nav.postage' },
    ],
  },
  { key: 'nav.reports', items: [{ key: 'nav.salesLedger' }] },
  {
    key: 'nav.settings',
    items: [
      { key: 'nav.shops', href: '/settings/shops', permission: 'settings.view' },
      { key: 'nav.warehouses', href: '/settings/warehouses', permission: 'settings.view' },
      { key: 'nav.couriers', href: '/settings/couriers', permission: 'settings.view' },
      { key: 'nav.products', href: '/settings/products', permission: 'settings.view' },
      { key: 'nav.skuMappings', href: '/settings/sku-mappings', permission: 'settings.view' },
      { key: 'nav.users', href: '/admin/users', permission: 'users.manage' },
      { key: 'nav.accessLog', href: '/admin/access-log', permission: 'privacy.admin' },
      { key: 'nav.retention', href: '/admin/retention', permission: 'privacy.admin' },
      { key: 'nav.tokens', href: '/account/tokens', permission: 'order.view' },
      { key: 'nav.reviewRules' },
      { key: 'nav.printTemplates' },
    ],
  },
];

export interface NavItem {
  key: string;
  href: string;
  shortcut: string;
  active: boolean;
  comingSoon: boolean;
}

export interface NavGroup {
  key: string;
  items: NavItem[];
}

export function navFor(roles: readonly string[], currentPath: string): NavGroup[] {
  return NAV.map((g) => ({
    key: g.key,
    items: g.items
      .filter((i) => !i.permission || can(roles, i.permission))
      .map((i) => ({
        key: i.key,
        href: i.href ?? '',
        shortcut: i.shortcut ?? '',
        comingSoon: !i.href,
        active: !!i.href && (currentPath === i.href || currentPath.startsWith(`${i.href}/`)),
      })),
  }));
}

/** Where a user lands after signing in: the first page of the work their role does. */
export function homePathFor(roles: readonly string[]): string {
  if (can(roles, 'order.review')) return '/review';
  if (can(roles, 'print.run')) return '/print';
  if (can(roles, 'finance.confirm')) return '/finance/refunds';
  if (can(roles, 'aftersale.approve')) return '/after-sales/cases';
  if (can(roles, 'order.view')) return '/orders';
  return '/account/tokens';
}
