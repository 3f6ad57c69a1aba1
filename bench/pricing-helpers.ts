import { priceCart } from '../src/pricing/price-cart.ts';
import type { CartLine } from '../src/pricing/pricing-input.ts';
import { compilePromotions } from '../src/pricing/promotions/compile.ts';
import type { PromotionInput } from '../src/pricing/promotions/schema.ts';
import { context, germany } from '../test/fixtures/pricing.ts';

/**
 * Pricing latency on a supermarket-like catalog: 2,000 SKUs in 12 departments × 6 categories, 40
 * product groups, and a promotion mix like a weekly circular (item and category cuts, member prices,
 * multi-buys, buy X get Y, meal deals, spend thresholds, coupons, happy hours). Carts are drawn from a
 * seeded generator, so runs compare like with like. Promotions are compiled once, as a till does when
 * they arrive.
 */

export interface Rand {
  (): number;
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
}

export function rng(seed: number): Rand {
  let s = seed >>> 0 || 1;
  const r = (() => {
    // xorshift32: fast, seedable, good enough to draw carts.
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4_294_967_296;
  }) as Rand;
  r.int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  r.pick = (xs) => xs[Math.floor(r() * xs.length)]!;
  return r;
}

const DEPTS = 12;
const CATS_PER_DEPT = 6;
const SKUS = 2000;
const GROUPS = 40;

export interface Product {
  sku: string;
  price: number;
  categoryIds: string[];
  productGroupIds: string[];
  taxClass: string;
}

export function catalog(r: Rand): Product[] {
  return Array.from({ length: SKUS }, (_, k) => {
    const d = k % DEPTS;
    const c = r.int(0, CATS_PER_DEPT - 1);
    return {
      sku: `sku-${k}`,
      price: r.int(49, 2999),
      categoryIds: [`d${d}`, `d${d}-c${c}`],
      productGroupIds: r() < 0.3 ? [`g${r.int(0, GROUPS - 1)}`] : [],
      taxClass: r() < 0.6 ? 'reduced' : 'standard',
    };
  });
}

/**
 * `circular`: most offers name a few SKUs, as a weekly circular does (80 % SKU, 12 % category, 3 %
 * department, 5 % product group). `dense`: half the offers cover whole categories or departments, a
 * stress case where one cart meets dozens of overlapping offers.
 */
export function benchPromotions(
  n: number,
  products: readonly Product[],
  r: Rand,
  mix: 'circular' | 'dense',
): PromotionInput[] {
  const [skuShare, catShare, deptShare] = mix === 'circular' ? [0.8, 0.92, 0.95] : [0.45, 0.8, 0.9];
  const sel = () => {
    const x = r();
    if (x < skuShare) return { skus: Array.from({ length: r.int(1, 4) }, () => r.pick(products).sku) };
    if (x < catShare) return { categoryIds: [`d${r.int(0, DEPTS - 1)}-c${r.int(0, CATS_PER_DEPT - 1)}`] };
    if (x < deptShare) return { categoryIds: [`d${r.int(0, DEPTS - 1)}`] };
    return { productGroupIds: [`g${r.int(0, GROUPS - 1)}`] };
  };
  return Array.from({ length: n }, (_, k): PromotionInput => {
    const base = { id: `promo-${String(k).padStart(4, '0')}`, name: `Offer ${k}`, priority: r.int(0, 3) };
    const x = r();
    const scoped: Pick<Extract<PromotionInput, { kind: 'percentOff' }>, 'schedule' | 'audience'> = r() < 0.1
      ? {
          schedule: {
            windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], start: '11:00', end: '14:00' }],
          },
        }
      : r() < 0.1
        ? { audience: { membersOnly: true } }
        : {};
    if (x < 0.3)
      return {
        ...base,
        ...scoped,
        kind: 'percentOff',
        target: sel(),
        percentBp: r.pick([500, 1000, 1500, 2000, 2500, 3000]),
      };
    if (x < 0.4)
      return { ...base, ...scoped, kind: 'amountOff', target: sel(), amountMinor: r.pick([20, 50, 100]) };
    if (x < 0.5) return { ...base, ...scoped, kind: 'fixedPrice', target: sel(), priceMinor: r.int(49, 999) };
    if (x < 0.62)
      return { ...base, kind: 'multiBuy', target: sel(), qty: r.int(2, 3), priceMinor: r.int(200, 1500) };
    if (x < 0.72)
      return {
        ...base,
        kind: 'buyXGetY',
        buy: { target: sel(), qty: r.int(1, 2) },
        get: { qty: 1, percentBp: r.pick([5000, 10_000]) },
      };
    if (x < 0.77)
      return {
        ...base,
        kind: 'mixAndMatch',
        components: [{ target: sel() }, { target: sel() }, { target: sel() }],
        priceMinor: r.int(300, 900),
      };
    if (x < 0.85)
      return {
        ...base,
        kind: 'spendThreshold',
        tiers: [
          { minSpendMinor: 5000, amountOffMinor: 500 },
          { minSpendMinor: 10_000, amountOffMinor: 1500 },
        ],
      };
    if (x < 0.9)
      return {
        ...base,
        kind: 'percentOff',
        target: sel(),
        percentBp: 500,
        stacking: 'stackable',
        audience: { membersOnly: true },
      };
    if (x < 0.95) return { ...base, kind: 'basketOff', percentOffBp: 1000, couponCodes: [`SAVE${k}`] };
    return {
      ...base,
      kind: 'percentOff',
      target: {},
      percentBp: 2000,
      stacking: 'exclusive',
      couponCodes: [`VIP${k}`],
    };
  });
}

function benchCart(products: readonly Product[], lines: number, r: Rand): CartLine[] {
  return Array.from({ length: lines }, (_, k) => {
    const p = r.pick(products);
    return {
      lineId: `l${String(k).padStart(3, '0')}`,
      sku: p.sku,
      qty: r() < 0.7 ? 1 : r.int(2, 4),
      unitPriceMinor: p.price,
      categoryIds: p.categoryIds,
      productGroupIds: p.productGroupIds,
      taxClass: p.taxClass,
    };
  });
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;

function runCase(
  lineCount: number,
  promoCount: number,
  mix: 'circular' | 'dense',
  iterations: number,
): Record<string, number | string> {
  const r = rng(20_261_128 + lineCount * 7 + promoCount);
  const products = catalog(r);
  const book = compilePromotions(benchPromotions(promoCount, products, r, mix));
  const member = { id: 'c1', loyaltyMember: true, segments: [] };
  const ctx = context({ at: '2026-11-27T12:30:00+01:00', customer: member });
  const carts = Array.from({ length: iterations + 20 }, () => benchCart(products, lineCount, r));
  const samples: number[] = [];
  let candidates = 0;
  let exhaustive = 0;
  let saved = 0;
  let largest = 0;
  carts.forEach((lines, k) => {
    const t0 = performance.now();
    const res = priceCart({ currency: 'EUR', lines, context: ctx, promotions: book, tax: germany });
    const dt = performance.now() - t0;
    if (k < 20) return; // warm-up: JIT and caches
    samples.push(dt);
    candidates += res.search.candidates;
    exhaustive += res.search.exhaustive ? 1 : 0;
    largest = Math.max(largest, res.search.largestComponent);
    saved += res.savingsMinor / res.listMinor;
  });
  samples.sort((a, b) => a - b);
  const median = percentile(samples, 0.5);
  return {
    case: `${lineCount} lines × ${promoCount} promotions (${mix})`,
    carts: samples.length,
    'median ms': Number(median.toFixed(3)),
    'p99 ms': Number(percentile(samples, 0.99).toFixed(3)),
    'carts/s (1 core)': Math.round(1000 / (samples.reduce((a, b) => a + b, 0) / samples.length)),
    'candidates/cart': Number((candidates / samples.length).toFixed(1)),
    'exhaustive %': Math.round((100 * exhaustive) / samples.length),
    'largest component': largest,
    'avg saving %': Number(((100 * saved) / samples.length).toFixed(1)),
  };
}

/** Median and p99 latency of pricing a cart; one row per case. */
export function benchPricing(): Record<string, number | string>[] {
  return [
    runCase(30, 200, 'circular', 300),
    runCase(30, 200, 'dense', 300),
    runCase(50, 1000, 'circular', 200),
    runCase(50, 1000, 'dense', 100),
  ];
}
