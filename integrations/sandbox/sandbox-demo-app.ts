/**
 * The credentials and catalogue the demo sandbox starts with, so the demo shop's settings and the
 * sandbox agree without anyone copying keys around. Never real Taobao credentials.
 */
import { DEMO_CATALOGUE } from '../../db/seeders/demo-catalogue';
import type { SandboxCatalogueItem } from './generate-trade';

export const SANDBOX_DEFAULT_PORT = 4100;
export const SANDBOX_DEMO_APP_KEY = '21750001';
export const SANDBOX_DEMO_APP_SECRET = 'guanjia-sandbox-secret-0001';
export const SANDBOX_DEMO_SESSION_KEY = '6100guanjia-demo-session';

/** The demo shop's SKUs as the platform lists them (商家编码 = outerSkuId): the same catalogue Guanjia seeds. */
export const SANDBOX_DEMO_CATALOGUE: readonly SandboxCatalogueItem[] = DEMO_CATALOGUE.map((s) => ({
  outerSkuId: s.code,
  outerIid: s.productCode,
  title: s.productName,
  priceFen: s.priceFen,
  props: s.spec,
}));
