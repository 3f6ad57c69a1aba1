import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  changedPrice,
  PRICE_ENDINGS,
  percentToBp,
  planPriceChanges,
  roundToEnding,
  scaleMinor,
} from './price-change.ts';

const price = fc.integer({ min: 0, max: 10_000_000 });
const ending = fc.constantFrom(...PRICE_ENDINGS);
// −50 % … +100 %: the range a bulk price change is used for; the inverse of −50 % doubles.
const bp = fc.integer({ min: -5_000, max: 10_000 });

describe('bulk price change maths', () => {
  it('a percent change then its exact inverse drifts no more than the rounding allows, never below zero', () => {
    fc.assert(
      fc.property(price, bp, ending, (old, p, end) => {
        const raised = changedPrice(old, { kind: 'percent', bp: p }, end);
        // The inverse of ×(1 + p) is ×1/(1 + p): scaled exactly, then rounded to the same ending.
        const scaled = scaleMinor(raised, 10_000, 10_000 + p);
        const back = roundToEnding(
          scaled,
          end,
          scaled > raised ? 'up' : scaled < raised ? 'down' : 'nearest',
        );
        expect(raised).toBeGreaterThanOrEqual(0);
        // A raise never lowers a price; a cut never raises one, unless no price with that ending is below it (0.30 → 0.99).
        if (p > 0) expect(raised).toBeGreaterThanOrEqual(old);
        if (p < 0 && old >= (end === 'none' ? 0 : Number(end))) expect(raised).toBeLessThanOrEqual(old);
        expect(back).toBeGreaterThanOrEqual(0);
        // One rounding step per direction: half a minor unit plain, under a whole ending step (100) with endings.
        const step = end === 'none' ? 0.5 : 100;
        const inverseFactor = 10_000 / (10_000 + p);
        expect(Math.abs(back - old)).toBeLessThanOrEqual(step * inverseFactor + step);
      }),
    );
  });

  it('applies to exactly the products given, in their order, each ending as asked', () => {
    const products = fc.uniqueArray(
      fc.record({ sku: fc.stringMatching(/^[A-Z0-9]{1,8}$/), name: fc.string(), oldMinor: price }),
      { selector: (p) => p.sku, maxLength: 40 },
    );
    fc.assert(
      fc.property(products, bp, ending, (list, p, end) => {
        const lines = planPriceChanges(list, { kind: 'percent', bp: p }, end);
        expect(lines.map((l) => [l.sku, l.oldMinor])).toEqual(list.map((x) => [x.sku, x.oldMinor]));
        for (const l of lines) {
          expect(l.newMinor).toBeGreaterThanOrEqual(0);
          if (end !== 'none') expect(String(l.newMinor % 100).padStart(2, '0')).toBe(end);
        }
      }),
    );
  });

  it('rounds 10.23 to 9.99 (nearest) or 10.99 (up), 10.80 to 10.99 and 0.30 up to 0.99 (no negative price)', () => {
    expect(roundToEnding(1023, '99')).toBe(999);
    expect(roundToEnding(1023, '99', 'up')).toBe(1099);
    expect(roundToEnding(1099, '99', 'up')).toBe(1099);
    expect(roundToEnding(1080, '99', 'down')).toBe(999);
    expect(roundToEnding(30, '99', 'down')).toBe(99);
    expect(roundToEnding(1080, '99')).toBe(1099);
    expect(roundToEnding(30, '99')).toBe(99);
    expect(roundToEnding(1074, '49')).toBe(1049);
    expect(roundToEnding(1075, '49')).toBe(1049);
    expect(roundToEnding(1000, '00')).toBe(1000);
  });

  it('raises 3.49 by 5 % to 3.66 and lowers by 1.00 / sets a price, refusing to go below zero', () => {
    expect(changedPrice(349, { kind: 'percent', bp: 500 }, 'none')).toBe(366);
    expect(changedPrice(349, { kind: 'percent', bp: 500 }, '99')).toBe(399);
    expect(changedPrice(349, { kind: 'amount', minor: -100 }, 'none')).toBe(249);
    expect(changedPrice(349, { kind: 'amount', minor: -100 }, '99')).toBe(199);
    expect(changedPrice(349, { kind: 'set', minor: 500 }, '95')).toBe(495);
    expect(() => changedPrice(49, { kind: 'amount', minor: -100 }, 'none')).toThrow(/below zero/);
    expect(() => changedPrice(49, { kind: 'percent', bp: -10_000 }, 'none')).toThrow(/100 %/);
  });

  it('reads a typed percentage exactly, refusing more than two decimals', () => {
    expect(percentToBp(5)).toBe(500);
    expect(percentToBp(-12.5)).toBe(-1250);
    expect(percentToBp(0.07)).toBe(7);
    expect(() => percentToBp(1.234)).toThrow(/two decimals/);
  });
});
