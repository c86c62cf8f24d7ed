/** Order activities: auto-review against the catalogue, stock and couriers, and the read-model write. */
import { ApplicationFailure } from '@temporalio/activity';
import { AuditEvent, BundleComponent, Courier, Order, OrderLine, Shop, Sku, StockLevel, Warehouse } from '../db/entities';
import type { Db } from '../db/orm';
import { autoReview as decide, DEFAULT_REVIEW_RULES, type AutoReviewOutcome, type SkuFacts } from '../domain/auto-review';
import type { OrderDraft } from '../domain/order-draft';
import type { AuditEntry, OrderSnapshot } from '../domain/order-snapshot';

export interface AutoReviewResult extends AutoReviewOutcome {
  shipBy: string | null;
}

export interface SaveOrderInput {
  snapshot: OrderSnapshot;
  audit: AuditEntry[];
}

/** Loads SKU facts (barcode, bundle components) for the given codes. */
export async function loadSkuFacts(db: Db, codes: string[]): Promise<Record<string, SkuFacts>> {
  const em = db.em();
  const unique = [...new Set(codes.filter(Boolean))];
  if (!unique.length) return {};
  const skus = await em.find(Sku, { code: { $in: unique }, active: true });
  const parts = await em.find(BundleComponent, { bundleSkuCode: { $in: skus.filter((s) => s.isBundle).map((s) => s.code) } });
  const facts: Record<string, SkuFacts> = {};
  for (const s of skus) facts[s.code] = { code: s.code, barcode: s.barcode, components: {} };
  for (const p of parts) {
    const f = facts[p.bundleSkuCode];
    if (f) f.components[p.componentSkuCode] = p.qty;
  }
  return facts;
}

export function createOrderActivities({ db }: { db: Db }) {
  return {
    /** Applies the review rules to a new order with the catalogue, stock and couriers as they are now. */
    async autoReview(draft: OrderDraft): Promise<AutoReviewResult> {
      const em = db.em();
      const [couriers, warehouses, shop] = await Promise.all([
        em.find(Courier, { active: true }, { orderBy: { id: 'asc' } }),
        em.find(Warehouse, { active: true }, { orderBy: { id: 'asc' } }),
        em.findOne(Shop, { code: draft.shopCode }),
      ]);
      const skus = await loadSkuFacts(db, draft.lines.map((l) => l.skuCode));
      const componentCodes = Object.values(skus).flatMap((s) => [s.code, ...Object.keys(s.components)]);
      const normal = warehouses.find((w) => w.kind === 'normal' && w.isDefault) ?? warehouses.find((w) => w.kind === 'normal');
      const levels = normal && componentCodes.length
        ? await em.find(StockLevel, { warehouseCode: normal.code, skuCode: { $in: componentCodes } })
        : [];
      const outcome = decide(draft, {
        couriers,
        warehouses,
        skus,
        available: Object.fromEntries(levels.map((l) => [l.skuCode, l.onHand - l.reserved])),
        rules: DEFAULT_REVIEW_RULES,
      });
      const paid = draft.paidAt ? new Date(draft.paidAt).getTime() : null;
      const shipBy = paid !== null && shop ? new Date(paid + shop.shipByHours * 3_600_000).toISOString() : null;
      return { ...outcome, shipBy };
    },

    /**
     * Writes the order's read model and its audit rows in one transaction: a version older than the stored
     * one changes nothing, an audit row already written is skipped, so any retry is harmless.
     */
    async saveOrder({ snapshot: s, audit }: SaveOrderInput): Promise<void> {
      if (!s.id) throw ApplicationFailure.nonRetryable('saveOrder without an order id', 'BadSnapshot');
      await db.em().transactional(async (em) => {
        const current = await em.findOne(Order, { id: s.id }, { fields: ['id', 'version'] });
        if (!current || current.version < s.version) {
          const row = toOrderRow(s);
          if (current) {
            await em.nativeUpdate(Order, { id: s.id }, row);
          } else {
            await em.insert(Order, { ...row, id: s.id, createdAt: new Date() });
          }
          await em.nativeDelete(OrderLine, { orderId: s.id });
          if (s.lines.length) {
            await em.insertMany(OrderLine, s.lines.map((l, i) => ({
              orderId: s.id, lineNo: i + 1, oid: l.oid, skuCode: l.skuCode, barcode: l.barcode, title: l.title,
              spec: l.spec, qty: l.qty, priceFen: l.priceFen, amountFen: l.amountFen, isGift: l.isGift,
            })));
          }
        }
        if (audit.length) {
          const existing = await em.find(AuditEvent, { eventKey: { $in: audit.map((a) => a.key) } }, { fields: ['eventKey'] });
          const seen = new Set(existing.map((e) => e.eventKey));
          const fresh = audit.filter((a) => !seen.has(a.key));
          if (fresh.length) {
            await em.insertMany(AuditEvent, fresh.map((a) => ({
              eventKey: a.key, entityType: 'order', entityId: s.id, action: a.action, actor: a.actor, actorName: a.actorName,
              reason: a.reason, before: a.before, after: a.after, at: new Date(a.at),
            })));
          }
        }
      });
    },
  };
}

function toOrderRow(s: OrderSnapshot): Omit<Order, 'id' | 'createdAt'> {
  const date = (v: string | null) => (v ? new Date(v) : null);
  return {
    version: s.version,
    status: s.status,
    reviewReasons: s.reviewReasons.join('；').slice(0, 500),
    shopCode: s.shopCode,
    platformOrderNo: s.platformOrderNo,
    platformStatus: s.platformStatus,
    refundStatus: s.refundStatus,
    source: s.source,
    buyerNick: s.buyerNick,
    receiverName: s.receiver.name,
    receiverMobile: s.receiver.mobile,
    receiverPhone: s.receiver.phone,
    province: s.receiver.province,
    city: s.receiver.city,
    district: s.receiver.district,
    address: s.receiver.detail,
    zip: s.receiver.zip,
    buyerMessage: s.buyerMessage,
    sellerMemo: s.sellerMemo,
    goodsFen: s.goodsFen,
    postFen: s.postFen,
    paidFen: s.paidFen,
    itemCount: s.lines.reduce((n, l) => n + l.qty, 0),
    mainSku: s.lines[0]?.skuCode ?? '',
    courierCode: s.courierCode,
    warehouseCode: s.warehouseCode,
    waybillNo: s.waybillNo,
    paidAt: date(s.paidAt),
    platformCreatedAt: date(s.platformCreatedAt),
    shipBy: date(s.shipBy),
    reviewedBy: s.reviewedBy,
    reviewedAt: date(s.reviewedAt),
    printCount: s.printCount,
    printedAt: date(s.printedAt),
    shippedBy: s.shippedBy,
    shippedAt: date(s.shippedAt),
    weightGrams: s.weightGrams,
    postageFen: s.postageFen,
    syncStatus: s.sync.status,
    syncAttempts: s.sync.attempts,
    syncLastError: s.sync.lastError.slice(0, 500),
    syncNextAt: date(s.sync.nextAt),
    syncedAt: date(s.sync.syncedAt),
    alert: s.alert.slice(0, 255),
    updatedAt: new Date(),
  };
}
