/** Waybill activities: take a tracking number from the courier's number pool or its e-waybill service, once per key. */
import { ApplicationFailure } from '@temporalio/activity';
import { Courier, Order, Shop, Warehouse, Waybill, WaybillPoolNumber } from '../db/entities';
import type { Db } from '../db/orm';
import type { Receiver } from '../domain/order-draft';
import { senderPartsOf, senderWarehouse } from './print/sender-of';
import { asActivityFailure, shopApi } from './shop-api';

export interface ReserveWaybillInput {
  /** Order id + reservation number: a retry with the same key returns the same tracking number. */
  key: string;
  orderId: string;
  shopCode: string;
  platformOrderNo: string;
  courierCode: string;
  receiver: Receiver;
  lines: Array<{ title: string; qty: number }>;
}

export interface CancelWaybillInput {
  orderId: string;
  shopCode: string;
  courierCode: string;
  waybillNo: string;
}

/** The shop whose e-waybill account issues a courier's numbers: the one set on the courier, else the order's own. */
function waybillShopCode(courier: Courier, orderShopCode: string): string {
  const set = courier.settings['shopCode'];
  return typeof set === 'string' && set ? set : orderShopCode;
}

export function createWaybillActivities({ db }: { db: Db }) {
  async function claimFromPool(courierCode: string, orderId: string): Promise<string> {
    // Two workers may race for the same free number; the conditional update lets exactly one win.
    for (let attempt = 0; attempt < 20; attempt++) {
      const em = db.em();
      const free = await em.find(WaybillPoolNumber, { courierCode, status: 'free' }, { orderBy: { id: 'asc' }, limit: 5, offset: attempt % 3 });
      if (!free.length) break;
      for (const candidate of free) {
        const won = await em.nativeUpdate(WaybillPoolNumber, { id: candidate.id, status: 'free' }, { status: 'reserved', orderId, reservedAt: new Date() });
        if (won === 1) return candidate.number;
      }
    }
    throw ApplicationFailure.nonRetryable(`${courierCode} 物流单号池已用完，请导入新单号`, 'WaybillPoolEmpty');
  }

  return {
    /** 预约物流单号: one number per key, from the pool or the e-waybill API, recorded against the order. */
    async reserveWaybillNumber(input: ReserveWaybillInput): Promise<{ waybillNo: string }> {
      const em = db.em();
      const known = await em.findOne(Waybill, { reservationKey: input.key });
      if (known) return { waybillNo: known.number };
      const courier = await em.findOne(Courier, { code: input.courierCode, active: true });
      if (!courier) throw ApplicationFailure.nonRetryable(`快递 ${input.courierCode || '(未选择)'} 不存在或已停用`, 'UnknownCourier');
      let number: string;
      if (courier.provider === 'pool') {
        const already = await em.findOne(WaybillPoolNumber, { courierCode: courier.code, orderId: input.orderId, status: 'reserved' });
        number = already && !(await em.count(Waybill, { number: already.number, courierCode: courier.code })) ? already.number : await claimFromPool(courier.code, input.orderId);
      } else {
        const shopCode = waybillShopCode(courier, input.shopCode);
        const shop = await em.findOne(Shop, { code: shopCode });
        if (!shop) throw ApplicationFailure.nonRetryable(`店铺 ${shopCode} 不存在`, 'UnknownShop');
        // The sender the courier checks is the ship-from warehouse's address (设置 → 仓库), as printed on the label.
        const order = await em.findOne(Order, { id: input.orderId }, { fields: ['warehouseCode'] });
        const [own, fallback] = await Promise.all([
          order?.warehouseCode ? em.findOne(Warehouse, { code: order.warehouseCode }) : null,
          em.findOne(Warehouse, { isDefault: true }),
        ]);
        const sender = senderPartsOf(courier, shop, senderWarehouse(own, fallback));
        const r = input.receiver;
        // Cainiao answers a repeated object_id with the number it already gave. The id names the order's n-th number
        // with this courier, not the reservation attempt: a retry after a lost answer, and a new reservation after
        // every retry of the last one gave up, get the number the platform already took, never a second one;
        // a number Guanjia recorded (even if cancelled since) moves n on, so a send-back gets a fresh number.
        const objectId = `${input.orderId}:${courier.code}:${await em.count(Waybill, { orderId: input.orderId, courierCode: courier.code })}`;
        try {
          const [issued] = await shopApi(shop).getWaybills({
            cpCode: String(courier.settings.cpCode || courier.code),
            sender: {
              name: sender.name,
              mobile: sender.mobile,
              address: { province: sender.province, city: sender.city, district: sender.district, detail: sender.detail },
            },
            parcels: [{
              objectId,
              tradeOrderList: [input.platformOrderNo],
              items: input.lines.map((l) => ({ name: l.title, count: l.qty })),
              recipient: { name: r.name, mobile: r.mobile || r.phone, address: { province: r.province, city: r.city, district: r.district, detail: r.detail } },
            }],
          });
          if (!issued?.waybillCode) throw ApplicationFailure.nonRetryable('电子面单接口未返回单号', 'WaybillMissing');
          number = issued.waybillCode;
        } catch (err) {
          throw asActivityFailure(err);
        }
      }
      const fresh = { orderId: input.orderId, status: 'reserved' as const, printCount: 0, reservationKey: input.key, reservedAt: new Date(), printedAt: null, cancelledAt: null };
      // A roll number given back (设置 → 快递: reuse cancelled numbers) still has its cancelled waybill row; the number
      // is one waybill, so that row becomes this order's (the old order's audit trail keeps what happened to it).
      const reused = await em.nativeUpdate(Waybill, { courierCode: courier.code, number, status: 'cancelled' }, fresh);
      if (!reused) await em.insert(Waybill, { courierCode: courier.code, number, ...fresh });
      return { waybillNo: number };
    },

    /**
     * Gives a tracking number back: an e-waybill is cancelled with the courier; a roll number never printed goes back
     * to the roll when the courier allows reuse (设置 → 快递), else it is void, and a printed one is always void
     * (its label may already be on a parcel).
     */
    async cancelWaybillNumber(input: CancelWaybillInput): Promise<void> {
      const em = db.em();
      const waybill = await em.findOne(Waybill, { courierCode: input.courierCode, number: input.waybillNo });
      if (!waybill || waybill.status === 'cancelled') return;
      const courier = await em.findOne(Courier, { code: input.courierCode });
      if (courier?.provider === 'cainiao') {
        const shop = await em.findOne(Shop, { code: waybillShopCode(courier, input.shopCode) });
        if (shop) {
          try {
            await shopApi(shop).cancelWaybill({ cpCode: String(courier.settings.cpCode || courier.code), waybillCode: input.waybillNo });
          } catch (err) {
            throw asActivityFailure(err);
          }
        }
      } else {
        await em.nativeUpdate(
          WaybillPoolNumber,
          { courierCode: input.courierCode, number: input.waybillNo },
          waybill.printCount === 0 && (courier?.reuseCancelled ?? true) ? { status: 'free', orderId: null, reservedAt: null } : { status: 'void' },
        );
      }
      await em.nativeUpdate(Waybill, { id: waybill.id }, { status: 'cancelled', cancelledAt: new Date() });
    },
  };
}
