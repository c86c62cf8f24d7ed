import { autoReview, DEFAULT_REVIEW_RULES, type ReviewContext } from './auto-review';
import type { OrderDraft } from './order-draft';

const ctx: ReviewContext = {
  couriers: [
    { code: 'ZTO', regionsNotServed: ['新疆', '西藏', '内蒙古'], isDefault: true },
    { code: 'SF', regionsNotServed: ['新疆', '西藏', '内蒙古'], isDefault: false },
    { code: 'EMS', regionsNotServed: [], isDefault: false },
  ],
  warehouses: [
    { code: 'MAIN', kind: 'normal', isDefault: true },
    { code: 'RET', kind: 'returns', isDefault: false },
    { code: 'OOA', kind: 'out_of_area', isDefault: false },
  ],
  skus: {
    CUP: { code: 'CUP', barcode: '690001', components: {} },
    LID: { code: 'LID', barcode: '690002', components: {} },
    SET: { code: 'SET', barcode: '690003', components: { CUP: 1, LID: 2 } },
  },
  available: { CUP: 10, LID: 3 },
  rules: DEFAULT_REVIEW_RULES,
};

function draft(over: Partial<OrderDraft> = {}, province = '浙江省'): OrderDraft {
  return {
    orderId: 'order:tb:1', shopCode: 'tb', platform: 'taobao', platformOrderNo: '1', source: 'pull',
    platformStatus: 'WAIT_SELLER_SEND_GOODS', buyerNick: 'nick', buyerMessage: '', sellerMemo: '',
    receiver: { name: '张三', mobile: '13800000000', phone: '', province, city: '杭州市', district: '西湖区', detail: '文三路 1 号', zip: '' },
    goodsFen: 1000, postFen: 0, paidFen: 1000, createdAt: '2026-11-26T00:00:00.000Z', paidAt: null, modifiedAt: '2026-11-26T00:00:00.000Z',
    lines: [{ oid: '1', skuCode: 'CUP', title: '保温杯', spec: '', qty: 1, priceFen: 1000, amountFen: 1000, isGift: false }],
    ...over,
  };
}

describe('auto-review', () => {
  it('sends a plain order to review with the default courier and warehouse and no reasons', () => {
    const out = autoReview(draft(), ctx);
    expect(out).toMatchObject({ status: 'review', reasons: [], courierCode: 'ZTO', warehouseCode: 'MAIN' });
    expect(out.lines[0]?.barcode).toBe('690001');
  });
  it('flags a buyer message and a seller memo for manual review', () => {
    expect(autoReview(draft({ buyerMessage: '请发顺丰', sellerMemo: '送赠品' }), ctx).reasons).toEqual(['买家留言', '客服备注']);
  });
  it('parks an order to Xinjiang in the out-of-area warehouse', () => {
    const out = autoReview(draft({}, '新疆维吾尔自治区'), ctx);
    expect(out).toMatchObject({ status: 'out_of_area', warehouseCode: 'OOA', couriersServing: ['EMS'] });
    expect(out.reasons[0]).toBe('超区: 新疆');
  });
  it('ships orders of 999 yuan and more, and orders to Hunan, with SF', () => {
    expect(autoReview(draft({ paidFen: 99_900 }), ctx).courierCode).toBe('SF');
    expect(autoReview(draft({}, '湖南省'), ctx).courierCode).toBe('SF');
  });
  it('checks stock of bundle components and names the short SKU', () => {
    const out = autoReview(draft({ lines: [{ oid: '1', skuCode: 'SET', title: '套装', spec: '', qty: 2, priceFen: 1, amountFen: 2, isGift: false }] }), ctx);
    expect(out.reasons).toEqual(['缺货: LID']);
  });
  it('asks for review when the address is incomplete or a SKU is unknown', () => {
    const d = draft({ lines: [{ oid: '1', skuCode: 'NOPE', title: 'x', spec: '', qty: 1, priceFen: 1, amountFen: 1, isGift: false }] });
    d.receiver.detail = '';
    expect(autoReview(d, ctx).reasons).toEqual(['地址不完整', '货品未匹配: NOPE']);
  });
});
