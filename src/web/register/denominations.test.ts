import { describe, expect, it } from 'vitest';
import { countTotal, denominationsOf, quickCash } from './denominations.ts';

describe('cash helpers', () => {
  it('adds up a drawer count by denomination', () => {
    expect(
      countTotal([
        { valueMinor: 2000, count: 2 },
        { valueMinor: 5, count: 3 },
      ]),
    ).toBe(4015);
    expect(denominationsOf('EUR')?.[0]).toBe(50000);
    expect(denominationsOf('XYZ')).toBeUndefined();
  });

  it('offers the exact amount and the next round notes above it', () => {
    expect(quickCash(1234, 'EUR')).toEqual([1234, 1500, 2000, 5000]);
    expect(quickCash(2000, 'EUR')).toEqual([2000, 5000, 10000, 20000]);
  });
});
