import { refundFactsFromTaobao, refundIsOpen, type TaobaoRefund } from './platform-refund';

const refund = (over: Partial<TaobaoRefund> = {}): TaobaoRefund => ({
  refund_id: '201234567890123',
  tid: '4012345678901234567',
  oid: '4012345678901234568',
  title: '纯棉圆领短袖T恤',
  outer_id: 'TX-02',
  num: 2,
  buyer_nick: 'tb_小林',
  total_fee: '138.00',
  payment: '128.00',
  refund_fee: '64.5',
  status: 'WAIT_SELLER_AGREE',
  order_status: 'WAIT_BUYER_CONFIRM_GOODS',
  good_status: 'BUYER_RECEIVED',
  has_good_return: true,
  reason: '尺码不合适',
  created: '2026-11-26 10:00:00',
  modified: '2026-11-26 10:05:30',
  ...over,
});

describe('platform refund facts', () => {
  it('reads money in fen, times in UTC and the deadline from refund_remind_timeout', () => {
    const facts = refundFactsFromTaobao('tb-main', refund({
      dispute_type: 'REFUND_AND_RETURN', refund_phase: 'onsale', refund_version: 1764122730000, sid: ' SF1234567890 ', company_name: '顺丰速运',
      refund_remind_timeout: { remind_type: 1, exist_timeout: true, timeout: '2026-11-28 10:05:30' },
    }));
    expect(facts).toMatchObject({
      shopCode: 'tb-main', refundId: '201234567890123', refundFeeFen: 6450, paymentFen: 12800, num: 2, outerId: 'TX-02',
      disputeType: 'REFUND_AND_RETURN', refundPhase: 'onsale', hasGoodReturn: true, returnCompany: '顺丰速运', returnWaybillNo: 'SF1234567890',
      refundVersion: '1764122730000', deadline: '2026-11-28T02:05:30.000Z', created: '2026-11-26T02:00:00.000Z', modified: '2026-11-26T02:05:30.000Z',
    });
  });

  it('names the dispute from has_good_return when the platform leaves dispute_type out', () => {
    expect(refundFactsFromTaobao('s', refund({ has_good_return: false })).disputeType).toBe('REFUND');
    expect(refundFactsFromTaobao('s', refund({ has_good_return: true })).disputeType).toBe('REFUND_AND_RETURN');
    expect(refundFactsFromTaobao('s', refund({ dispute_type: 'TMALL_EXCHANGE' })).disputeType).toBe('TMALL_EXCHANGE');
    expect(refundFactsFromTaobao('s', refund({ dispute_type: 'REPAIR' })).disputeType).toBe('OTHER');
    expect(refundFactsFromTaobao('s', refund({ special_refund_type: 'priceProtect', dispute_type: 'REFUND' })).disputeType).toBe('PRICE_PROTECT');
  });

  it('has no deadline when the platform runs no countdown, and no return parcel before the buyer sends one', () => {
    const facts = refundFactsFromTaobao('s', refund({ refund_remind_timeout: { exist_timeout: false, timeout: '2026-11-28 10:05:30' } }));
    expect([facts.deadline, facts.returnCompany, facts.returnWaybillNo, facts.refundVersion]).toEqual([null, '', '', '']);
  });

  it('counts a refund of a finished trade as after-sale when the phase is not sent', () => {
    expect(refundFactsFromTaobao('s', refund({ order_status: 'TRADE_FINISHED' })).refundPhase).toBe('aftersale');
    expect(refundFactsFromTaobao('s', refund()).refundPhase).toBe('onsale');
  });

  it('refuses a malformed amount or time, naming the refund', () => {
    expect(() => refundFactsFromTaobao('s', refund({ refund_fee: '12.345' }))).toThrow('平台退款 201234567890123 的退款金额无效');
    expect(() => refundFactsFromTaobao('s', refund({ modified: 'yesterday' }))).toThrow('修改时间无效');
  });

  it('keeps a refund open until it succeeds, closes or the seller refuses it', () => {
    expect(['WAIT_SELLER_AGREE', 'WAIT_BUYER_RETURN_GOODS', 'WAIT_SELLER_CONFIRM_GOODS'].map(refundIsOpen)).toEqual([true, true, true]);
    expect(['SUCCESS', 'CLOSED', 'SELLER_REFUSE_BUYER', 'NO_REFUND'].map(refundIsOpen)).toEqual([false, false, false, false]);
  });
});
