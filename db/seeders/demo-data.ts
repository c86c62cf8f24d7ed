/** Loads the demo data on first start: a sandbox Taobao shop, catalogue, stock, warehouses, couriers with number pools, one user per role. */
import { StockLedgerEntry, StockLevel, User } from '../entities';
import { saveSkus } from '../settings/save-skus';
import type { Db } from '../orm';
import type { Actor, Role } from '../../domain/roles';
import { DEMO_CATALOGUE, ean13 } from './demo-catalogue';
import { seedDemoWarehousesAndCouriers } from './demo-warehouses-couriers';
import { saveShop } from '../settings/save-shop';

export interface DemoSettings {
  shopCode: string;
  sandboxUrl: string;
  appKey: string;
  appSecret: string;
  sessionKey: string;
  pullIntervalSeconds: number;
  hashPassword(password: string): Promise<string>;
}

export const DEMO_PASSWORD = 'guanjia123';

/** Who the demo data's audit rows name. */
const SEED_ACTOR = { username: 'seed', displayName: '演示数据', roles: ['admin'] } satisfies Actor;

export const DEMO_USERS: Array<{ username: string; displayName: string; roles: Role[] }> = [
  { username: 'admin', displayName: '管理员 老王', roles: ['admin'] },
  { username: 'kefu', displayName: '客服 小美', roles: ['customer_service'] },
  { username: 'shendan', displayName: '审单 阿强', roles: ['reviewer'] },
  { username: 'cangku', displayName: '仓库 大刘', roles: ['warehouse'] },
  { username: 'shouhou', displayName: '售后 小周', roles: ['after_sales'] },
  { username: 'caiwu', displayName: '财务 陈姐', roles: ['finance'] },
];

/** Every component SKU starts with this much in 本地仓库. */
const OPENING_ON_HAND = 5000;

/** Seeds once: returns false when the database already has users (a second start keeps its data). */
export async function seedDemoData(db: Db, settings: DemoSettings): Promise<boolean> {
  const em = db.em();
  if ((await em.count(User, {})) > 0) return false;
  await em.transactional(async (tx) => {
    // Through the same save as the 店铺 page, so the demo shop's secrets are sealed like any other shop's.
    const shop = await saveShop(tx, SEED_ACTOR, {
      code: settings.shopCode, platform: 'taobao', name: '管家生活馆（淘宝沙箱）', apiUrl: settings.sandboxUrl,
      appKey: settings.appKey, appSecret: settings.appSecret, sessionKey: settings.sessionKey, signMethod: 'hmac-sha256',
      pullIntervalSeconds: settings.pullIntervalSeconds, shipByHours: 48,
    });
    if (!shop.ok) throw new Error(`demo shop ${settings.shopCode}: ${shop.message}`);
    await seedDemoWarehousesAndCouriers(tx, SEED_ACTOR);
    // The catalogue goes through the same check-and-write as the goods pages and imports (db/settings/save-skus.ts).
    const goods = await saveSkus(tx, SEED_ACTOR, DEMO_CATALOGUE.map((s, i) => ({
      row: i + 1,
      input: {
        code: s.code, barcode: ean13(i + 1), name: s.productName, spec: s.spec, productCode: s.productCode, weightGrams: s.weightGrams,
        costFen: s.costFen, priceFen: s.priceFen, active: true, components: Object.entries(s.components ?? {}).map(([code, qty]) => ({ code, qty })),
      },
    })), 'create');
    if (!goods.ok) throw new Error(`demo goods: ${goods.errors.map((e) => `${e.code} ${e.message}`).join('; ')}`);
    DEMO_CATALOGUE.forEach((s) => {
      if (!s.components) {
        const at = new Date();
        tx.create(StockLevel, { skuCode: s.code, warehouseCode: 'MAIN', onHand: OPENING_ON_HAND, reserved: 0, updatedAt: at });
        // The opening balance is a ledger row like any movement, so the level equals the sum of its ledger (npm run stock:verify).
        tx.create(StockLedgerEntry, {
          idempotencyKey: `opening:MAIN:${s.code}`, kind: 'opening', skuCode: s.code, warehouseCode: 'MAIN',
          onHandDelta: OPENING_ON_HAND, reservedDelta: 0, onHandAfter: OPENING_ON_HAND, reservedAfter: 0,
          refType: 'opening', refId: 'MAIN', actor: 'seed', note: '期初库存', at,
        });
      }
    });
    for (const u of DEMO_USERS) {
      tx.create(User, { ...u, passwordHash: await settings.hashPassword(DEMO_PASSWORD), createdAt: new Date() });
    }
  });
  return true;
}
