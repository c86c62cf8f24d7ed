/** Platform activities: pull a shop's changed orders, ask about refunds before shipping, and sync shipments. */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/activity';
import { Shop } from '../db/entities';
import type { Db } from '../db/orm';
import { draftFromTaobaoTrade, refundBlocksShipping, tradeAwaitsShipment, tradeIsClosed } from '../domain/taobao';
import type { OrderIntake } from '../integrations/order-intake';
import type { ShopPullResult } from '../domain/shop-pull';
import { markShopAuth } from '../db/settings/save-shop';
import { shopHasApi } from '../db/settings/shop-fields';
import { SYSTEM_ACTOR } from '../domain/roles';
import { asActivityFailure, isSessionRefused, shopApi, type ShopPullControl } from './shop-api';

/** Trades written at the very edge of the window may land late; each pull re-reads this much (harmless: intake dedupes). */
const PULL_OVERLAP_MS = 2 * 60_000;
/** A new shop's first pull looks back this far. */
const FIRST_PULL_LOOKBACK_MS = 24 * 3600_000;

export interface RefundCheck {
  blocked: boolean;
  refundStatus: string;
  platformStatus: string;
  /** Set for a shop without platform access (仅 CSV 导入): nothing could be asked, the parcel goes on. */
  noPlatform?: string;
}

const NO_REFUND_CHECK = '仅 CSV 导入的店铺没有平台接口，未做退款检测';
const NOT_SYNCED = '仅 CSV 导入的店铺没有平台接口：请在平台后台填写物流单号';

export function createPlatformActivities({ db, intake, shopPulls }: { db: Db; intake: OrderIntake; shopPulls: ShopPullControl }) {
  async function loadShop(shopCode: string): Promise<Shop> {
    const shop = await db.em().findOne(Shop, { code: shopCode });
    if (!shop) throw ApplicationFailure.nonRetryable(`店铺 ${shopCode} 不存在`, 'UnknownShop');
    return shop;
  }

  /**
   * Pulling every minute with a dead session only repeats the refusal: the shop is marked 授权已过期 and its schedule
   * paused until a new key is saved. The refusal speaks only for the session this attempt read: a key saved while it
   * was on its way is tried by the next attempt, and a key saved while the pause was on its way resumes the schedule.
   */
  async function pauseForExpiredSession(read: Shop, error: string): Promise<void> {
    const sessionNow = async () => db.em().fork().findOne(Shop, { code: read.code });
    const before = await sessionNow();
    if (!before || before.sessionKey !== read.sessionKey) return;
    await markShopAuth(db.em().fork(), SYSTEM_ACTOR, read.code, { at: new Date(), message: error });
    await shopPulls.pause(read.code, `授权已过期：${read.name}，保存新的 SessionKey 后恢复抓单`);
    const after = await sessionNow();
    if (after && after.active && (after.sessionKey !== read.sessionKey || !after.authExpiredAt)) await shopPulls.resume(read.code, `抓单 ${after.name}`);
  }

  return {
    /**
     * Pulls every trade modified since the shop's cursor, window by window, and submits each; the cursor
     * moves only past fully read windows, so a crash re-reads at most one window and loses nothing.
     */
    async pullShopOrders({ shopCode }: { shopCode: string }): Promise<ShopPullResult> {
      const shop = await loadShop(shopCode);
      // 授权已过期: the platform would refuse again; the shop waits for a new session key, its schedule paused.
      if (!shop.active || shop.authExpiredAt) return { shopCode, pulled: 0, started: 0, signalled: 0, unchanged: 0, cursor: shop.pullCursor?.toISOString() ?? '' };
      const api = shopApi(shop);
      const end = new Date(Date.now() - 5_000);
      const start = new Date((shop.pullCursor?.getTime() ?? end.getTime() - FIRST_PULL_LOOKBACK_MS) - PULL_OVERLAP_MS);
      const totals = { pulled: 0, started: 0, signalled: 0, unchanged: 0, refunds: 0, casesOpened: 0 };
      let cursor = shop.pullCursor ?? start;
      try {
        for await (const page of api.pullIncrement({ start, end, pageSize: 100 })) {
          Context.current().heartbeat({ windowStart: page.windowStart, pageNo: page.pageNo, pulled: totals.pulled });
          const items = page.trades.map((t) => ({ draft: draftFromTaobaoTrade(shopCode, t, 'pull'), raw: JSON.stringify(t) }));
          const r = await intake.ingest(items);
          totals.pulled += items.length;
          totals.started += r.started;
          totals.signalled += r.signalled;
          totals.unchanged += r.unchanged + r.skipped;
          if (page.windowDone) {
            cursor = new Date(page.windowEnd);
            await db.em().nativeUpdate(Shop, { code: shopCode }, { pullCursor: cursor, lastPullAt: new Date(), lastPullError: null });
          }
        }
        // 退款: by their own modified-time cursor, after the orders, so a refund finds the order it belongs to.
        const refundStart = new Date((shop.refundCursor?.getTime() ?? end.getTime() - FIRST_PULL_LOOKBACK_MS) - PULL_OVERLAP_MS);
        for await (const page of api.pullRefunds({ start: refundStart, end, pageSize: 100 })) {
          Context.current().heartbeat({ refundWindowStart: page.windowStart, pageNo: page.pageNo, pulled: totals.pulled });
          const r = await intake.refunds.ingest(shopCode, page.refunds, (refundId) => api.getRefund(refundId));
          totals.refunds += page.refunds.length;
          totals.casesOpened += r.opened;
          if (page.windowDone) await db.em().nativeUpdate(Shop, { code: shopCode }, { refundCursor: new Date(page.windowEnd) });
        }
      } catch (err) {
        const expired = isSessionRefused(err);
        const error = `${expired ? '授权已过期：' : ''}${String((err as Error).message ?? err)}`.slice(0, 1000);
        await db.em().nativeUpdate(Shop, { code: shopCode }, { lastPullAt: new Date(), lastPullError: error });
        if (expired) await pauseForExpiredSession(shop, error);
        throw asActivityFailure(err);
      }
      return { shopCode, ...totals, cursor: cursor.toISOString() };
    },

    /** 退款检测: reads the trade now; a refund asked for or granted, or a closed trade, blocks the parcel. */
    async checkRefund({ shopCode, platformOrderNo, oids }: { shopCode: string; platformOrderNo: string; oids?: string[] }): Promise<RefundCheck> {
      const shop = await loadShop(shopCode);
      if (!shopHasApi(shop.platform)) return { blocked: false, refundStatus: '', platformStatus: '', noPlatform: NO_REFUND_CHECK };
      try {
        const trade = await shopApi(shop).getTrade(platformOrderNo);
        // Sub-orders refunded before shipment have left the order already: only the lines it still ships count.
        const own = trade.orders.order.filter((o) => !oids || oids.includes(String(o.oid)));
        const refund = own.map((o) => o.refund_status ?? '').find((r) => refundBlocksShipping(r)) ?? '';
        const blocked = !!refund || tradeIsClosed(trade.status) || !tradeAwaitsShipment(trade.status) && trade.status !== 'WAIT_BUYER_CONFIRM_GOODS';
        return { blocked, refundStatus: refund, platformStatus: trade.status };
      } catch (err) {
        throw asActivityFailure(err);
      }
    },

    /** 发货同步: tells the platform the courier and tracking number; a repeat with the same number is success. */
    async syncShipment(input: { shopCode: string; platformOrderNo: string; courierCode: string; waybillNo: string; oids?: string[] }): Promise<{ alreadyShipped: boolean; notSent?: string }> {
      const shop = await loadShop(input.shopCode);
      // A shop the seller imports by file has nothing to tell: the number goes to the platform by hand.
      if (!shopHasApi(shop.platform)) return { alreadyShipped: false, notSent: NOT_SYNCED };
      try {
        const r = await shopApi(shop).offlineSend({ tid: input.platformOrderNo, companyCode: input.courierCode, outSid: input.waybillNo, ...(input.oids ? { oids: input.oids } : {}) });
        return { alreadyShipped: r.alreadyShipped };
      } catch (err) {
        throw asActivityFailure(err);
      }
    },
  };
}
