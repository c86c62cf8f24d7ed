/**
 * The credentials and catalogue the demo sandbox starts with, so the demo shop's settings and the
 * sandbox agree without anyone copying keys around. Never real Taobao credentials.
 */
import type { SandboxCatalogueItem } from './generate-trade';

export const SANDBOX_DEFAULT_PORT = 4100;
export const SANDBOX_DEMO_APP_KEY = '21750001';
export const SANDBOX_DEMO_APP_SECRET = 'guanjia-sandbox-secret-0001';
export const SANDBOX_DEMO_SESSION_KEY = '6100guanjia-demo-session';

/** The demo shop's SKUs (商家编码 = outerSkuId); the earphones alone cross the 999-yuan SF rule. */
export const SANDBOX_DEMO_CATALOGUE: readonly SandboxCatalogueItem[] = [
  { outerSkuId: 'TS-1001-BK-M', outerIid: 'TS-1001', title: '纯棉圆领短袖T恤 男女同款', priceFen: 5_900, props: '颜色分类:黑色;尺码:M' },
  { outerSkuId: 'TS-1001-WH-L', outerIid: 'TS-1001', title: '纯棉圆领短袖T恤 男女同款', priceFen: 5_900, props: '颜色分类:白色;尺码:L' },
  { outerSkuId: 'MUG-2001', title: '陶瓷马克杯 350ml 带盖勺', priceFen: 3_900, props: '颜色分类:奶白' },
  { outerSkuId: 'TEA-3001-250', outerIid: 'TEA-3001', title: '明前龙井茶 特级 250g 礼盒装', priceFen: 26_800, props: '净含量:250g' },
  { outerSkuId: 'BAG-4001-BR', outerIid: 'BAG-4001', title: '真皮双肩包 通勤大容量', priceFen: 49_900, props: '颜色分类:棕色' },
  { outerSkuId: 'EARPH-5001', title: '蓝牙降噪耳机 主动降噪', priceFen: 129_900, props: '颜色分类:曜石黑' },
  { outerSkuId: 'SOCK-6001-5P', outerIid: 'SOCK-6001', title: '精梳棉中筒袜 5双装', priceFen: 2_990, props: '颜色分类:混色;尺码:均码' },
  { outerSkuId: 'SNACK-7001', title: '坚果大礼包 1.5kg', priceFen: 8_800, props: '规格:1.5kg' },
];
