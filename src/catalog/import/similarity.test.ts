import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nameSimilarity, nameTokens } from './similarity.ts';

const sim = (a: string, b: string) => nameSimilarity(nameTokens(a), nameTokens(b));

describe('name similarity', () => {
  it('treats spelling, case, accents and unit spacing as the same name', () => {
    expect(sim('Crème Brûlée Tea 500 ml', 'creme brulee tea 500ml')).toBe(1);
    expect(sim('Salt & Pepper Crisps', 'Salt and pepper crisps')).toBe(1);
  });

  it('keeps a one-letter typo a clear match', () => {
    expect(sim('Clasic Organic Tee Blue M', 'Classic Organic Tee Blue M')).toBeGreaterThan(0.9);
  });

  it('does not match different sizes or volumes', () => {
    expect(sim('Classic Tee Blue M', 'Classic Tee Blue L')).toBeLessThan(0.7);
    expect(sim('Oat Drink 1l', 'Oat Drink 500ml')).toBeLessThan(0.7);
  });

  it('is symmetric and between 0 and 1', () => {
    const word = fc.constantFrom(
      'tee',
      'blue',
      'm',
      'l',
      'classic',
      'clasic',
      '500ml',
      'oat',
      'drink',
      'organic',
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 6 }), fc.array(word, { maxLength: 6 }), (a, b) => {
        const x = nameSimilarity(a, b);
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(1 + 1e-9);
        expect(Math.abs(x - nameSimilarity(b, a))).toBeLessThan(1e-9);
      }),
    );
  });
});
