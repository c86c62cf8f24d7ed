/**
 * Auto-review (自动审单): decides what a reviewer must look at, which courier and warehouse an order
 * ships with, and whether its destination is out of area, from rules a seller's staff would set.
 */
import type { OrderDraft } from './order-draft';
import type { CourierCoverage, OrderLine } from './order-snapshot';
import { provinceShortName } from './regions';
import { unmatchedReason } from './sku-mapping';

export interface CourierRule {
  code: string;
  regionsNotServed: string[];
  isDefault: boolean;
}

export interface WarehouseRule {
  code: string;
  kind: 'normal' | 'returns' | 'out_of_area';
  isDefault: boolean;
}

export interface SkuFacts {
  code: string;
  barcode: string;
  /** Component code → quantity per bundle; empty for a plain SKU. */
  components: Record<string, number>;
}

export interface ReviewRules {
  /** Orders paid at or above this amount go with the premium courier. */
  premiumAmountFen: number;
  premiumCourier: string;
  /** Provinces (short names) always sent with the premium courier. */
  premiumProvinces: string[];
}

export const DEFAULT_REVIEW_RULES: ReviewRules = {
  premiumAmountFen: 99_900,
  premiumCourier: 'SF',
  premiumProvinces: ['湖南'],
};

export interface ReviewContext {
  couriers: CourierRule[];
  warehouses: WarehouseRule[];
  skus: Record<string, SkuFacts>;
  /** Available (on hand − reserved) per SKU code in the chosen ship-from warehouse. */
  available: Record<string, number>;
  rules: ReviewRules;
}

export interface AutoReviewOutcome {
  status: 'review' | 'out_of_area';
  /** Why a person must look (empty: nothing unusual, fit for batch approval). */
  reasons: string[];
  courierCode: string;
  /** Every courier that delivers to the province. */
  couriersServing: string[];
  /** Where each active courier does not deliver, so a province edited at review is checked without a look-up. */
  courierCoverage: CourierCoverage[];
  warehouseCode: string;
  lines: OrderLine[];
}


/** Expands bundles into their components: what leaves the shelf for these lines. */
export function componentsOf(lines: ReadonlyArray<{ skuCode: string; qty: number }>, skus: Record<string, SkuFacts>): Record<string, number> {
  const need: Record<string, number> = {};
  for (const line of lines) {
    const facts = skus[line.skuCode];
    const parts = facts && Object.keys(facts.components).length ? facts.components : { [line.skuCode]: 1 };
    for (const [code, per] of Object.entries(parts)) need[code] = (need[code] ?? 0) + per * line.qty;
  }
  return need;
}

/** Chooses the courier by amount and province rules, falling back to the default courier. */
export function chooseCourier(draft: Pick<OrderDraft, 'paidFen' | 'receiver'>, ctx: Pick<ReviewContext, 'couriers' | 'rules'>): string {
  const province = provinceShortName(draft.receiver.province) ?? '';
  const premium = ctx.couriers.find((c) => c.code === ctx.rules.premiumCourier);
  if (premium && (draft.paidFen >= ctx.rules.premiumAmountFen || ctx.rules.premiumProvinces.includes(province))) return premium.code;
  return (ctx.couriers.find((c) => c.isDefault) ?? ctx.couriers[0])?.code ?? '';
}

/** Whether a courier does not deliver to the province. */
export function courierServes(courier: CourierRule | undefined, province: string): boolean {
  if (!courier) return false;
  const short = provinceShortName(province) ?? province;
  return !courier.regionsNotServed.includes(short);
}

export function autoReview(draft: OrderDraft, ctx: ReviewContext): AutoReviewOutcome {
  const reasons: string[] = [];
  if (draft.buyerMessage) reasons.push('买家留言');
  if (draft.sellerMemo) reasons.push('客服备注');
  const r = draft.receiver;
  const province = provinceShortName(r.province);
  if (!province || !r.city || !r.detail.trim() || !r.name.trim() || !(r.mobile || r.phone)) reasons.push('地址不完整');

  const lines: OrderLine[] = draft.lines.map((l) => ({ ...l, barcode: ctx.skus[l.skuCode]?.barcode ?? '' }));
  // Lines arrive already resolved through 货品对应 (activities/order.ts); what still names no SKU waits for a mapping.
  const unknown = draft.lines.filter((l) => !ctx.skus[l.skuCode]);
  if (unknown.length) reasons.push(unmatchedReason(unknown));

  const courierCode = chooseCourier(draft, ctx);
  const couriersServing = ctx.couriers.filter((c) => !province || courierServes(c, province)).map((c) => c.code);
  const courierCoverage = ctx.couriers.map((c) => ({ code: c.code, regionsNotServed: [...c.regionsNotServed] }));
  const courier = ctx.couriers.find((c) => c.code === courierCode);
  const normal = ctx.warehouses.find((w) => w.kind === 'normal' && w.isDefault) ?? ctx.warehouses.find((w) => w.kind === 'normal');
  const parking = ctx.warehouses.find((w) => w.kind === 'out_of_area');

  if (province && !courierServes(courier, province)) {
    return {
      status: 'out_of_area',
      reasons: [`超区: ${province}`, ...reasons],
      courierCode,
      couriersServing,
      courierCoverage,
      warehouseCode: parking?.code ?? normal?.code ?? '',
      lines,
    };
  }

  if (!unknown.length) {
    const need = componentsOf(draft.lines, ctx.skus);
    const short = Object.entries(need).filter(([code, qty]) => (ctx.available[code] ?? 0) < qty).map(([code]) => code);
    if (short.length) reasons.push(`缺货: ${short.join(', ')}`);
  }
  return { status: 'review', reasons, courierCode, couriersServing, courierCoverage, warehouseCode: normal?.code ?? '', lines };
}
