/**
 * The hit-rate protocol of issue 20: in each test basket with at least two products, hide one (drawn
 * with a seeded generator, the same one for every method), recommend ten from the rest, and count the
 * baskets whose hidden product is among them.
 */
import type { BasketTable } from './basket-builder.ts';

export interface Recommends {
  recommend(basket: ArrayLike<number>, k: number, context?: ReadonlyMap<number, number>): number[];
}

/** mulberry32: small, seeded, the same draws on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export interface HiddenCase {
  rest: Int32Array;
  hidden: number;
  customer: string;
}

/** One case per basket of two or more products; `hide: 'last'` hides the product of the last line. */
export function hiddenCases(test: BasketTable, seed = 7, hide: 'random' | 'last' = 'random'): HiddenCase[] {
  const rand = seededRandom(seed);
  const out: HiddenCase[] = [];
  for (let b = 0; b < test.offsets.length - 1; b++) {
    const items = test.items.subarray(test.offsets[b] as number, test.offsets[b + 1] as number);
    if (items.length < 2) continue;
    const h = hide === 'last' ? items.length - 1 : Math.floor(rand() * items.length);
    const rest = new Int32Array(items.length - 1);
    let j = 0;
    for (let i = 0; i < items.length; i++) if (i !== h) rest[j++] = items[i] as number;
    out.push({ rest, hidden: items[h] as number, customer: test.customer[b] ?? '' });
  }
  return out;
}

/** `context`: extra votes for a case (the customer's history), when the method uses them. */
export function hitRate(
  cases: HiddenCase[],
  model: Recommends,
  k = 10,
  context?: (c: HiddenCase) => ReadonlyMap<number, number> | undefined,
): number {
  let hits = 0;
  for (const c of cases) if (model.recommend(c.rest, k, context?.(c)).includes(c.hidden)) hits++;
  return cases.length === 0 ? Number.NaN : hits / cases.length;
}
