/** Order activities: auto-review against the catalogue, stock and couriers, and the read-model write. */
import { ApplicationFailure } from '@temporalio/activity';
import { BundleComponent, Courier, Order, OrderLine, Shop, Sku, StockLevel, Warehouse } from '../db/entities';
import type { Db } from '../db/orm';
import { writeAuditRows } from './audit-rows';
import { resolveLines } from '../db/settings/resolve-lines';
import { autoReview as decide, DEFAULT_REVIEW_RULES, type AutoReviewOutcome, type SkuFacts } from '../domain/auto-review';
import type { OrderDraft } from '../domain/order-draft';
import type { AuditEntry, OrderSnapshot } from '../domain/order-snapshot';
import { fitReceiver, fitText, TEXT_LIMITS } from '../domain/text-limits';

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
      // 货品对应 first: a line the shop mapped ships as the SKU it was mapped to, whatever its outer id says.
      const lines = await resolveLines(em, draft.shopCode, draft.lines);
      const skus = await loadSkuFacts(db, lines.map((l) => l.skuCode));
      const componentCodes = Object.values(skus).flatMap((s) => [s.code, ...Object.keys(s.components)]);
      const normal = warehouses.find((w) => w.kind === 'normal' && w.isDefault) ?? warehouses.find((w) => w.kind === 'normal');
      const levels = normal && componentCodes.length
        ? await em.find(StockLevel, { warehouseCode: normal.code, quality: 'good', skuCode: { $in: componentCodes } })
        : [];
      const outcome = decide({ ...draft, lines }, {
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
     * Writes the order's read model and its audit rows in one transaction. The order row changes only through one
     * conditional UPDATE (stored version older than this one), so a late retry of an older write can never
     * overwrite a newer state, even when two writes race; an audit row already written is skipped.
     */
    async saveOrder({ snapshot: s, audit }: SaveOrderInput): Promise<void> {
      if (!s.id) throw ApplicationFailure.nonRetryable('saveOrder without an order id', 'BadSnapshot');
      await db.em().transactional(async (em) => {
        const row = toOrderRow(s);
        let won = (await em.nativeUpdate(Order, { id: s.id, version: { $lt: s.version } }, row)) === 1;
        if (!won && !(await em.count(Order, { id: s.id }))) {
          // First write of this order; a racing first write makes this insert fail and the activity retry.
          await em.insert(Order, { ...row, id: s.id, createdAt: new Date() });
          won = true;
        }
        if (won) {
          await em.nativeDelete(OrderLine, { orderId: s.id });
          if (s.lines.length) {
            await em.insertMany(OrderLine, s.lines.map((l, i) => ({
              orderId: s.id, lineNo: i + 1, oid: fitText(l.oid, TEXT_LIMITS.lineOid), skuCode: fitText(l.skuCode, TEXT_LIMITS.lineSkuCode),
              barcode: l.barcode, title: fitText(l.title, TEXT_LIMITS.lineTitle), spec: fitText(l.spec, TEXT_LIMITS.lineSpec),
              qty: l.qty, priceFen: l.priceFen, amountFen: l.amountFen, isGift: l.isGift,
            })));
          }
        }
        await writeAuditRows(em, 'order', s.id, audit);
      });
    },
  };
}

/** The order row; every text is cut to its column, so no order older than intake's own limits can wedge its write. */
function toOrderRow(s: OrderSnapshot): Omit<Order, 'id' | 'createdAt'> {
  const date = (v: string | null) => (v ? new Date(v) : null);
  const r = fitReceiver(s.receiver);
  return {
    version: s.version,
    status: s.status,
    reviewReasons: fitText(s.reviewReasons.join('；'), TEXT_LIMITS.reviewReasons),
    shopCode: s.shopCode,
    platformOrderNo: s.platformOrderNo,
    platformStatus: s.platformStatus,
    refundStatus: s.refundStatus,
    source: s.source,
    buyerNick: fitText(s.buyerNick, TEXT_LIMITS.buyerNick),
    receiverName: r.name,
    receiverMobile: r.mobile,
    receiverPhone: r.phone,
    province: r.province,
    city: r.city,
    district: r.district,
    address: r.detail,
    zip: r.zip,
    buyerMessage: fitText(s.buyerMessage, TEXT_LIMITS.buyerMessage),
    sellerMemo: fitText(s.sellerMemo, TEXT_LIMITS.sellerMemo),
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
    syncLastError: fitText(s.sync.lastError, TEXT_LIMITS.syncLastError),
    syncNextAt: date(s.sync.nextAt),
    syncedAt: date(s.sync.syncedAt),
    alert: fitText(s.alert, TEXT_LIMITS.alert),
    interceptCaseNo: s.intercept?.caseNo ?? '',
    updatedAt: new Date(),
  };
}
