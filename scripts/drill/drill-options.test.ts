import { DrillUsageError, parseDrillOptions } from './drill-options';

describe('the drill command line', () => {
  it('runs 300 orders with ten kills by default, on a seed it prints', () => {
    const o = parseDrillOptions([]);
    expect([o.orders, o.kills, o.keep]).toEqual([300, 10, false]);
    expect(o.seed).toMatch(/^[0-9a-f]{6}$/);
  });

  it('takes --orders, --kills and --seed in both spellings, and scales the time limit with them', () => {
    const o = parseDrillOptions(['--orders', '60', '--kills=4', '--seed', 'ci-1', '--keep']);
    expect(o).toEqual({ orders: 60, kills: 4, seed: 'ci-1', keep: true, timeoutSeconds: 300 + 60 * 3 + 4 * 30 });
  });

  it.each([
    [['--orders', '0'], '--orders must be a whole number from 1 to 5000, not "0"'],
    [['--kills', 'many'], '--kills must be a whole number from 0 to 200, not "many"'],
    [['--seed', 'a b'], '--seed must be letters, digits, - or _ (at most 40), not "a b"'],
    [['--orders'], '--orders needs a value'],
    [['--fast'], 'unknown argument "--fast"'],
  ])('refuses %j with the reason', (argv, reason) => {
    expect(() => parseDrillOptions(argv)).toThrow(DrillUsageError);
    expect(() => parseDrillOptions(argv)).toThrow(reason);
  });
});
