/** Splits what the buyer paid for the goods over the order's lines when the export gives no per-line amount. */

/**
 * Shares `totalFen` over the lines in proportion to their weights (price × qty), handing the fen left
 * by rounding down to the largest remainders, so the line amounts always add up to the total exactly.
 */
export function allocateLineAmounts(weights: readonly number[], totalFen: number): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (sum <= 0) return weights.map(() => 0);
  // BigInt because fen × fen outgrows Number's exact range on large orders.
  const total = BigInt(totalFen);
  const whole = BigInt(sum);
  const shares = weights.map((w, i) => {
    const scaled = total * BigInt(w);
    return { i, fen: scaled / whole, rest: scaled % whole };
  });
  let left = Number(total - shares.reduce((s, x) => s + x.fen, 0n));
  const result = shares.map((x) => Number(x.fen));
  const byRest = [...shares].sort((a, b) => (a.rest === b.rest ? a.i - b.i : a.rest > b.rest ? -1 : 1));
  for (const x of byRest) {
    if (left <= 0) break;
    result[x.i] = (result[x.i] ?? 0) + 1;
    left -= 1;
  }
  return result;
}
