import { barcodeSvg } from './print/barcode-svg';

/** Bar and space widths in modules, read back from the SVG's rectangles. */
function widths(svg: string): { total: number; runs: number[] } {
  const total = Number(/viewBox="0 0 (\d+) 1"/.exec(svg)?.[1]);
  const bars = [...svg.matchAll(/M(\d+) 0h(\d+)v1h-\d+z/g)].map((m) => ({ x: Number(m[1]), w: Number(m[2]) }));
  const runs: number[] = [];
  let x = 0;
  for (const bar of bars) {
    if (bar.x > x) runs.push(bar.x - x);
    if (bar.x < x) throw new Error(`bars overlap at ${bar.x}`);
    runs.push(bar.w);
    x = bar.x + bar.w;
  }
  if (x !== total) throw new Error(`bars end at ${x}, symbol is ${total} wide`);
  return { total, runs };
}

it('draws a numeric waybill number as Code128 set C: start C, two digits per symbol, check, stop', () => {
  const { total, runs } = widths(barcodeSvg('78310000000001'));
  expect(runs.slice(0, 6)).toEqual([2, 1, 1, 2, 3, 2]);
  expect(runs.slice(-7)).toEqual([2, 3, 3, 1, 1, 1, 2]);
  // start + 7 digit pairs + check at 11 modules each, stop at 13.
  expect(total).toBe(11 * 9 + 13);
});

it('draws a waybill number with letters (SF…) starting in Code128 set B', () => {
  const { runs } = widths(barcodeSvg('SF1431045122896'));
  expect(runs.slice(0, 6)).toEqual([2, 1, 1, 2, 1, 4]);
  expect(runs.slice(-7)).toEqual([2, 3, 3, 1, 1, 1, 2]);
});
