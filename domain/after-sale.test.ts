import { linesProblem, paidForUnits, qcProblem, returnableQty, returnStockLines, type CaseLine, type CaseOrderFacts } from './after-sale';

const order: CaseOrderFacts = {
  orderId: 'order:tb:1', shopCode: 'tb', platformOrderNo: '1', buyerNick: 'b', status: 'done', courierCode: 'ZTO', warehouseCode: 'MAIN',
  receiver: { name: '王小明', mobile: '13800138000', phone: '', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 1 号', zip: '' },
  lines: [
    { oid: 'a', skuCode: 'TS-01', title: 'T恤', spec: 'M', qty: 3, amountFen: 10_000, isGift: false },
    { oid: 'b', skuCode: 'WZ-01', title: '袜子', spec: '', qty: 1, amountFen: 1_990, isGift: false },
  ],
};
const line = (oid: string, qty: number): CaseLine => ({ oid, skuCode: oid, title: oid, spec: '', qty, paidFen: 0 });

describe('what a case may claim of an order', () => {
  it('refuses returning more than was ordered minus what open or finished cases already claim, and counts closed cases as given back', () => {
    const others = [
      { type: 'return' as const, stage: 'done' as const, lines: [line('a', 1)] },
      { type: 'return' as const, stage: 'closed' as const, lines: [line('a', 2)] },
      { type: 'reissue' as const, stage: 'done' as const, lines: [line('a', 3)] },
    ];
    expect(returnableQty(order, others).get('a')).toBe(2);
    expect(linesProblem('return', order, [{ oid: 'a', qty: 2 }], others)).toBe('');
    expect(linesProblem('return', order, [{ oid: 'a', qty: 3 }], others)).toContain('最多还能申请 2 件');
    expect(linesProblem('refund', order, [{ oid: 'x', qty: 1 }], others)).toContain('没有子订单 x');
    expect(linesProblem('return', order, [{ oid: 'b', qty: 0 }], others)).toContain('正整数');
    expect(linesProblem('return', order, [], others)).toBe('请选择商品和数量');
    // A reissue sends goods; it may go out however many units were returned before.
    expect(linesProblem('reissue', order, [{ oid: 'a', qty: 3 }], [{ type: 'return', stage: 'done', lines: [line('a', 3)] }])).toBe('');
  });

  it('pays back what was paid for the units, never more than the line in parts', () => {
    expect(paidForUnits(order.lines[0]!, 1)).toBe(3_333);
    expect(paidForUnits(order.lines[0]!, 3)).toBe(10_000);
    expect(paidForUnits(order.lines[0]!, 1) * 3).toBeLessThanOrEqual(10_000);
  });
});

describe('QC of a returned parcel', () => {
  const lines = [line('a', 2), line('b', 1)];

  it('asks for every line once with counts that add up to what came back', () => {
    expect(qcProblem(lines, [{ oid: 'a', good: 2, defective: 0, missing: 0, wrong: 0, note: '' }])).toContain('共 2 行');
    expect(qcProblem(lines, [
      { oid: 'a', good: 1, defective: 0, missing: 0, wrong: 0, note: '' },
      { oid: 'b', good: 1, defective: 0, missing: 0, wrong: 0, note: '' },
    ])).toContain('合计 1，应为 2');
    expect(qcProblem(lines, [
      { oid: 'a', good: 1, defective: 1, missing: 0, wrong: 0, note: '' },
      { oid: 'b', good: 0, defective: 0, missing: 1, wrong: 0, note: '' },
    ])).toBe('');
  });

  it('puts good units in sellable stock and defective ones in the returns warehouse; missing and wrong items move nothing', () => {
    expect(returnStockLines(lines, [
      { oid: 'a', good: 1, defective: 1, missing: 0, wrong: 0, note: '' },
      { oid: 'b', good: 0, defective: 0, missing: 0, wrong: 1, note: '' },
    ], 'MAIN', 'RET')).toEqual([
      { skuCode: 'a', qty: 1, quality: 'good', warehouseCode: 'MAIN' },
      { skuCode: 'a', qty: 1, quality: 'defective', warehouseCode: 'RET' },
    ]);
  });
});
