/**
 * After-sales activities: write a case's read model and audit, record confirmed money once, and tell the platform
 * (agree a return, refund, refuse). Platform calls read the refund's current version first and retry once when the
 * platform says the version went stale, so a buyer's edit in between never wedges a case.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { AfterSaleCase, Courier, MoneyEntry, Shop, Sku, Warehouse, type MoneyKind } from '../db/entities';
import type { Db } from '../db/orm';
import type { CaseSnapshot } from '../domain/after-sale-snapshot';
import type { AuditEntry } from '../domain/order-snapshot';
import { fitText, TEXT_LIMITS } from '../domain/text-limits';
import { isStaleRefundVersion, type TaobaoApi } from '../integrations/taobao/taobao-api';
import { writeAuditRows } from './audit-rows';
import { senderOf } from './print/sender-of';
import { asActivityFailure, shopApi } from './shop-api';

export interface SaveCaseInput {
  snapshot: CaseSnapshot;
  audit: AuditEntry[];
}

export interface RecordMoneyInput {
  /** Case + step: a retried confirmation writes its entry once. */
  key: string;
  kind: MoneyKind;
  direction: 1 | -1;
  amountFen: number;
  channel: string;
  account: string;
  reference: string;
  shopCode: string;
  caseNo: string;
  orderId: string;
  confirmedBy: string;
  note: string;
}

export interface PlatformRefundCall {
  shopCode: string;
  refundId: string;
}

export function createAfterSaleActivities({ db }: { db: Db }) {
  async function api(shopCode: string): Promise<{ shop: Shop; api: TaobaoApi }> {
    const shop = await db.em().findOne(Shop, { code: shopCode });
    if (!shop) throw ApplicationFailure.nonRetryable(`店铺 ${shopCode} 不存在`, 'UnknownShop');
    return { shop, api: shopApi(shop) };
  }

  /** Runs a platform call with the refund's current version; a stale version (the buyer changed the refund) is re-read once. */
  async function withFreshVersion<T>(client: TaobaoApi, refundId: string, call: (version: string, status: string) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const refund = await client.getRefund(refundId);
      try {
        return await call(String(refund.refund_version ?? ''), refund.status);
      } catch (err) {
        if (attempt < 3 && isStaleRefundVersion(err)) continue;
        throw err;
      }
    }
  }

  return {
    /**
     * Writes the case row and its audit rows in one transaction; the row changes only when the stored version is
     * older, so a late retry of an older write never overwrites a newer state.
     */
    async saveCase({ snapshot: s, audit }: SaveCaseInput): Promise<void> {
      await db.em().transactional(async (em) => {
        const row = {
          workflowId: s.workflowId, type: s.type, stage: s.stage, version: s.version, shopCode: s.shopCode, orderId: s.orderId,
          platformOrderNo: s.platformOrderNo, buyerNick: fitText(s.buyerNick, TEXT_LIMITS.buyerNick),
          platformRefundId: s.platformRefund?.refundId ?? '', reason: fitText(s.reason, 100),
          itemCount: s.lines.reduce((n, l) => n + l.qty, 0), requestedFen: s.platformRefund?.requestedFen ?? 0, refundFen: s.refundFen,
          returnWaybillNo: fitText(s.returnWaybillNo, 60), deadline: s.platformRefund?.deadline ? new Date(s.platformRefund.deadline) : null,
          alert: fitText(s.alert, 255), childOrderIds: s.childOrderIds.join(' '), snapshot: s, createdBy: s.createdBy,
          updatedAt: new Date(), closedAt: s.stage === 'closed' ? new Date() : null, doneAt: s.doneAt ? new Date(s.doneAt) : null,
        };
        const won = (await em.nativeUpdate(AfterSaleCase, { caseNo: s.caseNo, version: { $lt: s.version } }, row)) === 1;
        // The registration (page or pull) wrote the row first; a case whose row is missing gets it now.
        if (!won && !(await em.count(AfterSaleCase, { caseNo: s.caseNo }))) {
          await em.insert(AfterSaleCase, { ...row, caseNo: s.caseNo, createdAt: new Date(s.createdAt) });
        }
        await writeAuditRows(em, 'case', s.caseNo, audit);
      });
    },

    /** Records one confirmed amount (现金银行): the key makes a retried or replayed confirmation write it once. */
    async recordMoney(input: RecordMoneyInput): Promise<void> {
      const em = db.em();
      if (await em.count(MoneyEntry, { entryKey: input.key })) return;
      try {
        await em.insert(MoneyEntry, {
          entryKey: input.key, kind: input.kind, direction: input.direction, amountFen: input.amountFen, channel: input.channel,
          account: fitText(input.account, 100), reference: fitText(input.reference, 100), shopCode: input.shopCode, caseNo: input.caseNo,
          orderId: input.orderId, confirmedBy: input.confirmedBy, note: fitText(input.note, 255), at: new Date(),
        });
      } catch (err) {
        // Two attempts racing: the other one wrote it.
        if (await em.fork().count(MoneyEntry, { entryKey: input.key })) return;
        throw err;
      }
    },

    /** 同意退货: the platform is told the seller takes the goods back, with the address the buyer sends them to. */
    async agreeReturnOnPlatform({ shopCode, refundId }: PlatformRefundCall): Promise<{ status: string }> {
      try {
        const { shop, api: client } = await api(shopCode);
        const courier = await db.em().findOne(Courier, { isDefault: true });
        // The buyer sends the goods to the returns warehouse's address (设置 → 仓库) when it has one.
        const returnsWarehouse = await db.em().findOne(Warehouse, { kind: 'returns', active: true }, { orderBy: { id: 'asc' } });
        const sender = senderOf(courier ?? undefined, shop, returnsWarehouse);
        return await withFreshVersion(client, refundId, async (version, status) => {
          if (status !== 'WAIT_SELLER_AGREE') return { status };
          return client.agreeReturnGoods({ refundId, refundVersion: version, name: sender.name, mobile: sender.phone, address: sender.address });
        });
      } catch (err) {
        throw asActivityFailure(err);
      }
    },

    /**
     * 同意退款: the platform pays the buyer back. A refund the platform already shows as paid is success, so a retry after
     * a lost answer never pays twice.
     */
    async refundOnPlatform(input: PlatformRefundCall & { amountFen: number; phase: 'onsale' | 'aftersale' }): Promise<{ alreadyDone: boolean }> {
      try {
        const { api: client } = await api(input.shopCode);
        return await withFreshVersion(client, input.refundId, async (version, status) => {
          if (status === 'SUCCESS') return { alreadyDone: true };
          if (status === 'CLOSED') throw ApplicationFailure.nonRetryable('买家已撤销退款，平台上不能再退款', 'RefundClosed');
          const [r] = await client.agreeRefunds([{ refundId: input.refundId, amountFen: input.amountFen, refundVersion: version, phase: input.phase }]);
          // Taobao answers a batch per refund: a stale version comes back as a result, re-read and retried like the thrown kind.
          if (r && !r.ok && isStaleRefundVersion(r)) throw Object.assign(new Error(r.message), { staleVersion: true });
          if (!r?.ok) throw ApplicationFailure.create({ message: r?.message || '平台未确认退款', type: 'RefundRefused', nonRetryable: false });
          return { alreadyDone: r.alreadyDone };
        });
      } catch (err) {
        throw asActivityFailure(err);
      }
    },

    /**
     * 批量同意退款: every refund of a finance batch with its current version, in as few calls as the platform's limits
     * allow (the client splits them); refunds whose version went stale meanwhile are re-read and asked once more.
     */
    async refundBatchOnPlatform(input: { shopCode: string; items: Array<{ refundId: string; amountFen: number; phase: 'onsale' | 'aftersale' }> }) {
      try {
        const { api: client } = await api(input.shopCode);
        const results = new Map<string, { refundId: string; ok: boolean; alreadyDone: boolean; message: string }>();
        let pending = input.items;
        for (let round = 1; pending.length && round <= 2; round++) {
          const asks: Array<{ refundId: string; amountFen: number; refundVersion: string; phase: 'onsale' | 'aftersale' }> = [];
          for (const item of pending) {
            const refund = await client.getRefund(item.refundId);
            if (refund.status === 'SUCCESS') results.set(item.refundId, { refundId: item.refundId, ok: true, alreadyDone: true, message: '' });
            else asks.push({ ...item, refundVersion: String(refund.refund_version ?? '') });
          }
          const answers = asks.length ? await client.agreeRefunds(asks) : [];
          pending = [];
          for (const a of answers) {
            const item = input.items.find((i) => i.refundId === a.refundId);
            if (!a.ok && isStaleRefundVersion(a) && item && round === 1) pending.push(item);
            else results.set(a.refundId, { refundId: a.refundId, ok: a.ok, alreadyDone: a.alreadyDone, message: a.message });
          }
        }
        return [...results.values()];
      } catch (err) {
        throw asActivityFailure(err);
      }
    },

    /** 拒绝退款: the refusal and its reason go to the platform; an already closed or refused refund needs nothing more. */
    async refuseOnPlatform(input: PlatformRefundCall & { reason: string; phase: 'onsale' | 'aftersale' }): Promise<{ status: string }> {
      try {
        const { api: client } = await api(input.shopCode);
        return await withFreshVersion(client, input.refundId, async (version, status) => {
          if (['SELLER_REFUSE_BUYER', 'CLOSED', 'SUCCESS'].includes(status)) return { status };
          return client.refuseRefund({ refundId: input.refundId, refundVersion: version, phase: input.phase, reason: input.reason });
        });
      } catch (err) {
        throw asActivityFailure(err);
      }
    },

    /** 同意换货 (Tmall): the buyer may send the goods back, to the seller's return address. */
    async agreeExchangeOnPlatform({ shopCode, refundId }: PlatformRefundCall): Promise<{ status: string }> {
      try {
        const { shop, api: client } = await api(shopCode);
        const courier = await db.em().findOne(Courier, { isDefault: true });
        // The buyer sends the goods to the returns warehouse's address (设置 → 仓库) when it has one.
        const returnsWarehouse = await db.em().findOne(Warehouse, { kind: 'returns', active: true }, { orderBy: { id: 'asc' } });
        const sender = senderOf(courier ?? undefined, shop, returnsWarehouse);
        return await client.agreeExchange({ disputeId: refundId, address: sender.address, mobile: sender.phone });
      } catch (err) {
        throw asActivityFailure(err);
      }
    },

    /**
     * 换货发货 (Tmall): confirms the returned goods arrived, then gives the replacement's tracking number; each step the
     * platform already shows as done counts as done, so a retry after a lost answer repeats nothing.
     */
    async consignExchangeOnPlatform(input: PlatformRefundCall & { courierCode: string; waybillNo: string }): Promise<{ status: string }> {
      try {
        const { api: client } = await api(input.shopCode);
        const courier = await db.em().findOne(Courier, { code: input.courierCode });
        await client.agreeExchangeReturnGoods({ disputeId: input.refundId });
        return await client.consignExchangeGoods({ disputeId: input.refundId, logisticsNo: input.waybillNo, companyName: courier?.name ?? input.courierCode });
      } catch (err) {
        throw asActivityFailure(err);
      }
    },

    /** 补发成本: what the reissued goods cost the seller (SKU cost × quantity), kept beside the money for reports. */
    async recordReissueCost(input: { key: string; caseNo: string; shopCode: string; orderId: string; lines: Array<{ skuCode: string; qty: number }>; actor: string }): Promise<void> {
      const skus = await db.em().find(Sku, { code: { $in: input.lines.map((l) => l.skuCode) } });
      const cost = input.lines.reduce((n, l) => n + (skus.find((x) => x.code === l.skuCode)?.costFen ?? 0) * l.qty, 0);
      const em = db.em();
      if (await em.count(MoneyEntry, { entryKey: input.key })) return;
      await em.insert(MoneyEntry, {
        entryKey: input.key, kind: 'reissue_cost', direction: -1, amountFen: cost, channel: 'cost', shopCode: input.shopCode,
        caseNo: input.caseNo, orderId: input.orderId, confirmedBy: input.actor, note: '补发成本（货品成本价）', at: new Date(),
      });
    },
  };
}
