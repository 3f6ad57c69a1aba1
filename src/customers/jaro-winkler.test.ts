import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jaro, jaroWinkler } from './jaro-winkler.ts';

describe('Jaro–Winkler name similarity', () => {
  it('gives the published values for the classic examples', () => {
    expect(jaro('MARTHA', 'MARHTA')).toBeCloseTo(0.944, 3);
    expect(jaroWinkler('MARTHA', 'MARHTA')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('DWAYNE', 'DUANE')).toBeCloseTo(0.84, 3);
    expect(jaroWinkler('DIXON', 'DICKSONX')).toBeCloseTo(0.813, 3);
    expect(jaro('CRATE', 'TRACE')).toBeCloseTo(0.733, 3);
  });

  it('scores a typo in a name far above a different name', () => {
    expect(jaroWinkler('ana lima', 'anna lima')).toBeGreaterThan(0.95);
    expect(jaroWinkler('ana lima', 'jonas weber')).toBeLessThan(0.6);
  });

  it('is 1 for equal names and 0 when one is empty or nothing matches', () => {
    expect(jaroWinkler('lima', 'lima')).toBe(1);
    expect(jaroWinkler('', 'lima')).toBe(0);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
  });

  it('is symmetric and stays between 0 and 1', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const s = jaroWinkler(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1 + 1e-12);
        expect(jaroWinkler(b, a)).toBeCloseTo(s, 12);
      }),
    );
  });
});
