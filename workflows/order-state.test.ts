import { autoReview, type ReviewContext } from '../domain/auto-review';
import type { OrderDraft } from '../domain/order-draft';
import type { Actor } from '../domain/roles';
import { assertCanReserveWaybill, assertCanReview, assertCanShip, initialSnapshot } from './order-state';

const reviewer: Actor = { username: 'shendan', displayName: '审单', roles: ['reviewer'] };
const warehouse: Actor = { username: 'cangku', displayName: '仓库', roles: ['warehouse'] };
const admin: Actor = { username: 'admin', displayName: '管理员', roles: ['admin'] };

const draft: OrderDraft = {
  orderId: 'order:tb:1', shopCode: 'tb', platform: 'taobao', platformOrderNo: '1', source: 'pull', platformStatus: 'WAIT_SELLER_SEND_GOODS',
  buyerNick: 'b', receiver: { name: '张三', mobile: '13800138000', phone: '', province: '广东省', city: '深圳市', district: '南山区', detail: '科技园 1 号', zip: '' },
  buyerMessage: '', sellerMemo: '', goodsFen: 100, postFen: 0, paidFen: 100, createdAt: '2026-11-27T00:00:00Z', paidAt: null, modifiedAt: '2026-11-27T00:00:00Z',
  lines: [{ oid: '1', skuCode: 'A', title: 'A', spec: '', qty: 1, priceFen: 100, amountFen: 100, isGift: false }],
};
const ctx: ReviewContext = {
  couriers: [
    { code: 'ZTO', regionsNotServed: ['新疆', '西藏'], isDefault: true },
    { code: 'EMS', regionsNotServed: [], isDefault: false },
  ],
  warehouses: [{ code: 'MAIN', kind: 'normal', isDefault: true }],
  skus: { A: { code: 'A', barcode: '690', components: {} } },
  available: { A: 10 },
  rules: { premiumCourier: 'SF', premiumAmountFen: 99_900, premiumProvinces: [] },
};

function reviewedSnapshot() {
  const s = initialSnapshot(draft);
  const o = autoReview(draft, ctx);
  return { ...s, status: o.status, courierCode: o.courierCode, couriersServing: o.couriersServing, courierCoverage: o.courierCoverage, warehouseCode: o.warehouseCode, lines: o.lines };
}

describe('order decision checks', () => {
  it('checks the courier against the province the approval moves the order to, not the old one', () => {
    const s = reviewedSnapshot();
    expect(() => assertCanReview(s, { actor: reviewer, expectedVersion: 0, decision: 'approve', receiver: { province: '新疆维吾尔自治区' } })).toThrow('ZTO 不派送 新疆维吾尔自治区');
    expect(() => assertCanReview(s, { actor: reviewer, expectedVersion: 0, decision: 'approve', courierCode: 'EMS', receiver: { province: '新疆维吾尔自治区' } })).not.toThrow();
  });

  it('refuses to approve an order with a line that matches no SKU until it is mapped', () => {
    const unmapped = { ...draft, lines: [{ ...draft.lines[0]!, skuCode: 'NOPE' }] };
    const o = autoReview(unmapped, ctx);
    const s = { ...initialSnapshot(unmapped), status: o.status, reviewReasons: o.reasons, courierCode: o.courierCode, couriersServing: o.couriersServing, courierCoverage: o.courierCoverage, warehouseCode: o.warehouseCode, lines: o.lines };
    expect(() => assertCanReview(s, { actor: reviewer, expectedVersion: 0, decision: 'approve' })).toThrow('货品未匹配: NOPE：请先对应货品，再审核');
    expect(() => assertCanReview({ ...s, reviewReasons: [] }, { actor: reviewer, expectedVersion: 0, decision: 'approve' })).not.toThrow();
  });

  it('refuses a courier override on reserve-waybill that does not deliver to the province', () => {
    const s = { ...reviewedSnapshot(), status: 'waybill_pending' as const, receiver: { ...draft.receiver, province: '西藏自治区' } };
    expect(() => assertCanReserveWaybill(s, { actor: warehouse, courierCode: 'ZTO' })).toThrow('ZTO 不派送 西藏自治区');
    expect(() => assertCanReserveWaybill(s, { actor: warehouse, courierCode: 'EMS' })).not.toThrow();
  });

  it('refuses the scan of a parcel whose buyer changed the order after printing until a supervisor releases it', () => {
    const s = { ...reviewedSnapshot(), status: 'printed' as const, changedAfterPrint: '买家在打印后修改了收货地址' };
    const scanned = ['690'];
    expect(() => assertCanShip(s, { actor: warehouse, scannedBarcodes: scanned })).toThrow('主管放行后才能发货');
    expect(() => assertCanShip(s, { actor: warehouse, scannedBarcodes: scanned, override: { reason: '已核对' } })).toThrow('没有放行权限');
    expect(() => assertCanShip(s, { actor: reviewer, scannedBarcodes: scanned, override: { reason: '已核对' } })).toThrow('没有放行权限');
    expect(() => assertCanShip(s, { actor: admin, scannedBarcodes: scanned, override: { reason: '已电话核对，新地址已改面单' } })).not.toThrow();
  });
});
