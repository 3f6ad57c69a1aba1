import { fileURLToPath } from 'node:url';
import { storePricing } from '../src/pricing/store-pricing.ts';
import { type Cart, priceCart } from '../src/sales/till/cart.ts';
import { germany } from '../test/fixtures/pricing.ts';
import { benchPromotions, catalog, rng } from './pricing-helpers.ts';
import { printTable } from './stats.ts';

/**
 * The till's own pricing path (src/sales/cart.ts priceCart with the store's published rules, as the
 * register calls it on every scan): tax classes from category and rate, promotions scoped to the store,
 * member customer, 50-line carts against 1,000 promotions compiled once per catalog pull.
 */
export function benchTillPricing(): Record<string, number | string>[] {
  return [run(30, 200, 'circular', 300), run(50, 1000, 'circular', 200), run(50, 1000, 'dense', 100)];
}

function run(lineCount: number, promoCount: number, mix: 'circular' | 'dense', iterations: number) {
  const r = rng(20_261_128 + lineCount * 7 + promoCount);
  const products = catalog(r);
  const t0 = performance.now();
  const { pricing } = storePricing({
    storeId: 'berlin-mitte',
    zoneId: 'zone-de-city',
    timeZone: 'Europe/Berlin',
    promotions: benchPromotions(promoCount, products, r, mix),
    taxJurisdictions: [{ ...germany, storeIds: ['berlin-mitte'] }],
  });
  const compileMs = performance.now() - t0;
  const carts: Cart[] = Array.from({ length: iterations + 20 }, (_, c) => ({
    id: `c${c}`,
    currency: 'EUR',
    taxInclusive: true,
    createdAt: '2026-11-27T11:30:00.000Z',
    lines: Array.from({ length: lineCount }, (_, k) => {
      const p = r.pick(products);
      return {
        lineNo: k + 1,
        sku: p.sku,
        name: p.sku,
        qty: r() < 0.7 ? 1 : r.int(2, 4),
        unitPriceMinor: p.price,
        taxRateBp: p.taxClass === 'reduced' ? 700 : 1900,
        categoryIds: p.categoryIds,
        productGroupIds: p.productGroupIds,
      };
    }),
  }));
  const customer = { id: 'c1', loyaltyMember: true, segments: [] };
  const samples: number[] = [];
  let promotions = 0;
  carts.forEach((cart, k) => {
    const t = performance.now();
    const v = priceCart(cart, { pricing, at: cart.createdAt, customer });
    const dt = performance.now() - t;
    if (k < 20) return; // warm-up: JIT and caches
    samples.push(dt);
    promotions += v.promotions.length;
  });
  samples.sort((a, b) => a - b);
  const at = (p: number): number => samples[Math.min(samples.length - 1, Math.ceil(p * samples.length) - 1)]!;
  return {
    case: `${lineCount} lines × ${promoCount} promotions (${mix}), till path`,
    carts: samples.length,
    'compile ms': Number(compileMs.toFixed(1)),
    'median ms': Number(at(0.5).toFixed(3)),
    'p99 ms': Number(at(0.99).toFixed(3)),
    'carts/s (1 core)': Math.round(1000 / (samples.reduce((a, b) => a + b, 0) / samples.length)),
    'promotions applied/cart': Number((promotions / samples.length).toFixed(1)),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(
    `Till cart pricing — node ${process.version}, ${new Date().toISOString()} (one core; other work on the machine adds noise)`,
  );
  printTable('Cart pricing at the till (store rules, tax classes, promotions)', benchTillPricing());
}
