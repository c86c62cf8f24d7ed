import { fenToYuan, yuanToFen } from './money';

describe('money in fen', () => {
  it('parses yuan strings without floating-point drift', () => {
    expect(yuanToFen('0.1')).toBe(10);
    expect(yuanToFen('19.99')).toBe(1999);
    expect(yuanToFen('¥1,299.50')).toBe(129950);
    expect(yuanToFen('-3.2')).toBe(-320);
  });
  it('refuses text that is not an amount', () => {
    expect(() => yuanToFen('12.345')).toThrow('不是有效金额');
    expect(() => yuanToFen('abc')).toThrow('不是有效金额');
  });
  it('formats fen as yuan with two decimals', () => {
    expect(fenToYuan(129950)).toBe('1299.50');
    expect(fenToYuan(5)).toBe('0.05');
    expect(fenToYuan(-320)).toBe('-3.20');
  });
});
