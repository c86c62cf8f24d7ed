import { allocateLineAmounts } from './allocate-line-amounts';

describe('allocateLineAmounts', () => {
  it('shares a discounted total in proportion to the line values and adds up to the total exactly', () => {
    const shares = allocateLineAmounts([1000, 2000, 3000], 5000);
    expect(shares).toEqual([833, 1667, 2500]);
    expect(shares.reduce((s, x) => s + x, 0)).toBe(5000);
  });

  it('gives the rounding fen to the lines with the largest remainders, earlier lines first on a tie', () => {
    expect(allocateLineAmounts([1, 1, 1], 100)).toEqual([34, 33, 33]);
  });

  it('stays exact where fen times fen outgrows floating point', () => {
    const shares = allocateLineAmounts([99_999_999_99, 1], 99_999_999_99);
    expect(shares.reduce((s, x) => s + x, 0)).toBe(99_999_999_99);
  });

  it('gives zero to every line when all lines are free', () => {
    expect(allocateLineAmounts([0, 0], 500)).toEqual([0, 0]);
  });
});
