import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Baskets, fpGrowth, type Itemsets } from './fp-growth.ts';

function basketsOf(lists: number[][], itemCount: number, weights?: number[]): Baskets {
  const offsets = [0];
  const items: number[] = [];
  for (const l of lists) {
    items.push(...l);
    offsets.push(items.length);
  }
  return {
    items: Int32Array.from(items),
    offsets: Int32Array.from(offsets),
    itemCount,
    weights: weights ? Float64Array.from(weights) : undefined,
  };
}

function asMap(sets: Itemsets, name: (c: number) => string = String): Map<string, number> {
  const m = new Map<string, number>();
  for (let k = 0; k < sets.size; k++) {
    const key = Array.from(sets.items.subarray(sets.offsets[k], sets.offsets[k + 1]), name).join('');
    expect(m.has(key), `${key} listed twice`).toBe(false);
    m.set(key, sets.count[k] as number);
  }
  return m;
}

/** Every subset of every basket, counted: the slow answer FP-growth must match. */
function bruteForce(lists: number[][], minCount: number, maxLength: number, weights?: number[]) {
  const counts = new Map<string, number>();
  lists.forEach((l, b) => {
    const sorted = [...new Set(l)].sort((x, y) => x - y);
    const walk = (from: number, chosen: number[]) => {
      for (let i = from; i < sorted.length; i++) {
        const next = [...chosen, sorted[i] as number];
        const key = next.join(',');
        counts.set(key, (counts.get(key) ?? 0) + (weights ? (weights[b] as number) : 1));
        if (next.length < maxLength) walk(i + 1, next);
      }
    };
    walk(0, []);
  });
  return new Map([...counts].filter(([, c]) => c >= minCount - 1e-9));
}

describe('FP-growth', () => {
  it("finds the 18 frequent itemsets of Han, Pei and Yin's example at a support of 3", () => {
    // The paper's five transactions (SIGMOD 2000, table 1), letters as codes.
    const letters = 'abcdefghijklmnops';
    const t = ['facdgimp', 'abcflmo', 'bfhjo', 'bcksp', 'afcelpmn'];
    const lists = t.map((s) => [...new Set(s)].map((ch) => letters.indexOf(ch)));
    const got = asMap(
      fpGrowth(basketsOf(lists, letters.length), { minCount: 3 }),
      (c) => letters[c] as string,
    );
    expect(Object.fromEntries(got)).toEqual({
      a: 3,
      b: 3,
      c: 4,
      f: 4,
      m: 3,
      p: 3,
      ac: 3,
      af: 3,
      am: 3,
      cf: 3,
      cm: 3,
      cp: 3,
      fm: 3,
      acf: 3,
      acm: 3,
      afm: 3,
      cfm: 3,
      acfm: 3,
    });
  });

  it('counts every itemset exactly as brute force does, weighted or not, up to a length', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { maxLength: 7 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.boolean(),
        (lists, minCount, maxLength, weighted) => {
          const weights = weighted ? lists.map((_, i) => 0.5 + (i % 3)) : undefined;
          const got = asMap(fpGrowth(basketsOf(lists, 10, weights), { minCount, maxLength }), (c) => `${c},`);
          const want = bruteForce(lists, minCount, maxLength, weights);
          expect(new Map([...got].map(([k, v]) => [k.slice(0, -1), v]))).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds nothing in no baskets and nothing below the minimum', () => {
    expect(fpGrowth(basketsOf([], 3), { minCount: 1 }).size).toBe(0);
    expect(
      fpGrowth(
        basketsOf(
          [
            [0, 1],
            [1, 2],
          ],
          3,
        ),
        { minCount: 3 },
      ).size,
    ).toBe(0);
  });
});
