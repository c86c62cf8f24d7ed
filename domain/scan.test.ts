import { replayScans, verifyScans } from './scan';

const lines = [
  { barcode: '6901', skuCode: 'A', title: '保温杯', spec: '蓝色', qty: 2 },
  { barcode: '6902', skuCode: 'B', title: '杯套', spec: '', qty: 1 },
];

describe('scan check', () => {
  it('accepts the exact items in any order', () => {
    expect(verifyScans(lines, ['6902', '6901', '6901'])).toBeNull();
  });
  it('refuses an item that is not in the parcel', () => {
    expect(replayScans(lines, ['6901', '9999']).error).toBe('条码 9999 不是本订单的货品');
  });
  it('refuses one item too many', () => {
    expect(verifyScans(lines, ['6901', '6901', '6901'])).toContain('多扫了一件');
  });
  it('names what is still missing', () => {
    expect(verifyScans(lines, ['6901'])).toBe('验货未完成：保温杯(蓝色) 还差 1 件，杯套 还差 1 件');
  });
});
