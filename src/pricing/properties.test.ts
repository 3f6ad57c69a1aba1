import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { context, germany, newYorkCity, unitedKingdom } from '../../test/fixtures/pricing.ts';
import { type PriceCartInput, type PricedCart, priceCart } from './price-cart.ts';
import type { CartLine, ManualDiscount } from './pricing-input.ts';
import type { ItemSelector, PromotionInput } from './promotions/schema.ts';
import type { TaxJurisdictionInput } from './tax-schema.ts';

/**
 * Properties of the whole engine over random carts, promotions of every kind and every tax setup.
 *
 * What holds, precisely:
 * - Always: the total and every line figure are ≥ 0; no line's discounts exceed its list amount; net + tax
 *   = gross on every line and on the document; the same cart prices the same whatever the order of its
 *   lines, promotions and cashier discounts.
 * - The engine minimises what the customer pays before tax is added (with VAT-inclusive prices, the total
 *   itself). With sales tax added at different rates per line (exempt groceries beside taxed goods), two
 *   combinations worth the same before tax can differ by a cent of tax, so the two properties below are
 *   stated on the amount after discounts, and on the total where prices include tax.
 * - Adding a promotion never makes the customer pay more, when the search is exact: every conflict
 *   component within the exhaustive limit, basket promotions on the whole basket, and spend thresholds
 *   measured on shelf prices (`basis: 'list'`). A threshold measured after item discounts, or a basket
 *   promotion on part of the basket, makes the best combination a non-separable problem; the engine then
 *   uses the bounded repairs documented in combine.ts and can miss the optimum.
 * - Removing a line never raises the total when every promotion is unconditional (percent, amount or
 *   fixed price off an item, and basket discounts without a threshold). It is NOT true of conditional
 *   promotions, by their nature: remove the toothbrush and the free toothpaste is charged; remove one
 *   item from a "3 for 10" and the other two go back to full price, which can exceed 10; drop below
 *   "spend 50" and the 10 off goes. For those the property that holds is the trivial bound: the total of
 *   the smaller cart never exceeds its own list price.
 */

/** FC_SCALE=20 npx vitest run src/pricing/properties.test.ts for a longer hunt. */
const runs = (n: number): number => n * Number(process.env.FC_SCALE ?? 1);

const skus = ['s0', 's1', 's2', 's3', 's4', 's5'];
const cats = ['c0', 'c1', 'c2', 'c3'];
const groups = ['g0', 'g1', 'g2'];
const jurisdictions: [TaxJurisdictionInput, string[]][] = [
  [germany, ['standard', 'reduced', 'exempt']],
  [unitedKingdom, ['standard', 'reduced', 'zero']],
  [newYorkCity('line'), ['standard', 'grocery', 'clothing']],
  [newYorkCity('document'), ['standard', 'grocery', 'clothing']],
];

const sub = (pool: string[]) => fc.subarray(pool, { maxLength: 2 });

const lineArb = fc.record({
  sku: fc.constantFrom(...skus),
  qty: fc.integer({ min: 1, max: 4 }),
  unitPriceMinor: fc.integer({ min: 0, max: 3000 }),
  categoryIds: sub(cats),
  productGroupIds: sub(groups),
  taxIndex: fc.integer({ min: 0, max: 2 }),
});

const selectorArb: fc.Arbitrary<ItemSelector> = fc.oneof(
  fc.record({ skus: fc.subarray(skus, { minLength: 1, maxLength: 3 }) }),
  fc.record({ categoryIds: fc.subarray(cats, { minLength: 1, maxLength: 2 }) }),
  fc.record({ productGroupIds: fc.subarray(groups, { minLength: 1, maxLength: 2 }) }),
  fc.constant({}),
);
const bp = fc.integer({ min: 1, max: 10_000 });
const amount = fc.integer({ min: 1, max: 2000 });
const anyStacking = fc.constantFrom('standard', 'stackable', 'exclusive') as fc.Arbitrary<
  'standard' | 'stackable' | 'exclusive'
>;
const claimStacking = fc.constantFrom('standard', 'exclusive') as fc.Arbitrary<'standard' | 'exclusive'>;
const priority = fc.integer({ min: 0, max: 3 });
const perCart = fc.option(fc.record({ perCart: fc.integer({ min: 1, max: 3 }) }), { nil: undefined });

type Body = Omit<PromotionInput, 'id' | 'name'>;
const unconditionalArb = (wholeBasketOnly: boolean): fc.Arbitrary<Body> =>
  fc.oneof(
    fc.record({
      kind: fc.constant('percentOff' as const),
      target: selectorArb,
      percentBp: bp,
      stacking: anyStacking,
      priority,
      limits: perCart,
    }),
    fc.record({
      kind: fc.constant('amountOff' as const),
      target: selectorArb,
      amountMinor: amount,
      stacking: anyStacking,
      priority,
    }),
    fc.record({
      kind: fc.constant('fixedPrice' as const),
      target: selectorArb,
      priceMinor: fc.integer({ min: 0, max: 2000 }),
      stacking: anyStacking,
      priority,
    }),
    fc
      .oneof(
        fc.record({
          kind: fc.constant('basketOff' as const),
          percentOffBp: bp,
          stacking: anyStacking,
          priority,
        }),
        fc.record({
          kind: fc.constant('basketOff' as const),
          amountOffMinor: amount,
          stacking: anyStacking,
          priority,
        }),
      )
      .chain((b) => (wholeBasketOnly ? fc.constant(b) : selectorArb.map((target) => ({ ...b, target })))),
  );

const conditionalArb = (listBasisOnly: boolean, wholeBasketOnly: boolean): fc.Arbitrary<Body> =>
  fc.oneof(
    fc.record({
      kind: fc.constant('buyXGetY' as const),
      buy: fc.record({ target: selectorArb, qty: fc.integer({ min: 1, max: 3 }) }),
      get: fc.record(
        { target: selectorArb, qty: fc.integer({ min: 1, max: 2 }), percentBp: bp },
        { requiredKeys: ['qty', 'percentBp'] },
      ),
      applyTo: fc.constantFrom('cheapest', 'mostExpensive') as fc.Arbitrary<'cheapest' | 'mostExpensive'>,
      stacking: claimStacking,
      priority,
      limits: perCart,
    }),
    fc.record({
      kind: fc.constant('multiBuy' as const),
      target: selectorArb,
      qty: fc.integer({ min: 2, max: 4 }),
      priceMinor: fc.integer({ min: 0, max: 5000 }),
      stacking: claimStacking,
      priority,
      limits: perCart,
    }),
    fc.record({
      kind: fc.constant('mixAndMatch' as const),
      components: fc.array(fc.record({ target: selectorArb, qty: fc.integer({ min: 1, max: 2 }) }), {
        minLength: 2,
        maxLength: 3,
      }),
      priceMinor: fc.integer({ min: 0, max: 5000 }),
      stacking: claimStacking,
      priority,
    }),
    fc
      .record({
        kind: fc.constant('spendThreshold' as const),
        basis: listBasisOnly
          ? fc.constant('list' as const)
          : (fc.constantFrom('net', 'list') as fc.Arbitrary<'net' | 'list'>),
        tiers: fc.array(
          fc.oneof(
            fc.record({ minSpendMinor: fc.integer({ min: 0, max: 8000 }), amountOffMinor: amount }),
            fc.record({ minSpendMinor: fc.integer({ min: 0, max: 8000 }), percentOffBp: bp }),
          ),
          { minLength: 1, maxLength: 3 },
        ),
        stacking: anyStacking,
        priority,
      })
      .chain((b) => (wholeBasketOnly ? fc.constant(b) : selectorArb.map((target) => ({ ...b, target })))),
  );

const named = (bodies: Body[]): PromotionInput[] =>
  bodies.map((b, k) => {
    const p = { ...b, id: `p${k}`, name: `Promotion ${k}` } as PromotionInput;
    // fast-check's optional fields come through as undefined; drop them like JSON would.
    return JSON.parse(JSON.stringify(p)) as PromotionInput;
  });

type ManualBody = Omit<ManualDiscount, 'id' | 'lineId'> & { line?: number };
const manualArb: fc.Arbitrary<ManualBody> = fc.oneof(
  fc.record({
    reason: fc.constant('Goodwill'),
    amountMinor: amount,
    line: fc.option(fc.nat(), { nil: undefined }),
  }),
  fc.record({ reason: fc.constant('Damaged'), percentBp: bp, line: fc.option(fc.nat(), { nil: undefined }) }),
);

interface Scenario {
  input: PriceCartInput;
}

const scenarioArb = (promos: fc.Arbitrary<Body[]>, withManual = true): fc.Arbitrary<Scenario> =>
  fc
    .record({
      lines: fc.array(lineArb, { minLength: 1, maxLength: 7 }),
      promos,
      manual: withManual ? fc.array(manualArb, { maxLength: 2 }) : fc.constant<ManualBody[]>([]),
      j: fc.integer({ min: 0, max: jurisdictions.length - 1 }),
      member: fc.boolean(),
    })
    .map(({ lines, promos: bodies, manual, j, member }) => {
      const [tax, classes] = jurisdictions[j]!;
      const cartLines: CartLine[] = lines.map((l, k) => ({
        lineId: `line-${String(k).padStart(2, '0')}`,
        sku: l.sku,
        qty: l.qty,
        unitPriceMinor: l.unitPriceMinor,
        categoryIds: l.categoryIds,
        productGroupIds: l.productGroupIds,
        taxClass: classes[l.taxIndex]!,
      }));
      const manualDiscounts: ManualDiscount[] = manual.map(({ line: li, ...m }, k) => ({
        ...m,
        id: `m${k}`,
        ...(li === undefined ? {} : { lineId: cartLines[li % cartLines.length]!.lineId }),
      }));
      return {
        input: {
          currency: 'EUR',
          lines: cartLines,
          context: context({ customer: { id: 'c', loyaltyMember: member, segments: [] } }),
          promotions: named(bodies),
          manualDiscounts,
          tax,
        },
      };
    });

const everyKind = fc.array(fc.oneof(unconditionalArb(false), conditionalArb(false, false)), { maxLength: 8 });

const shuffle = <T>(xs: readonly T[], seed: number): T[] => {
  const out = [...xs];
  let s = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

/** What the customer pays before any tax is added: the total itself with VAT-inclusive prices. */
const afterDiscounts = (r: PricedCart): number => r.lines.reduce((s, l) => s + l.amountMinor, 0);

const byLineId = (r: PricedCart) => [...r.lines].sort((a, b) => (a.lineId < b.lineId ? -1 : 1));

describe('pricing properties', () => {
  it('totals are never negative, discounts never exceed a line, net + tax = gross everywhere', () => {
    fc.assert(
      fc.property(scenarioArb(everyKind), ({ input }) => {
        const r = priceCart(input);
        expect(r.totalMinor).toBeGreaterThanOrEqual(0);
        for (const l of r.lines) {
          expect(l.discountMinor).toBeGreaterThanOrEqual(0);
          expect(l.discountMinor).toBeLessThanOrEqual(l.listMinor);
          expect(l.discounts.reduce((s, d) => s + d.amountMinor, 0)).toBe(l.discountMinor);
          for (const d of l.discounts) expect(d.amountMinor).toBeGreaterThanOrEqual(0);
          expect(l.netMinor).toBeGreaterThanOrEqual(0);
          expect(l.taxMinor).toBeGreaterThanOrEqual(0);
          expect(l.netMinor + l.taxMinor).toBe(l.grossMinor);
          expect(l.taxBreakdown.reduce((s, t) => s + t.taxMinor, 0)).toBe(l.taxMinor);
        }
        expect(r.netMinor + r.taxMinor).toBe(r.grossMinor);
        expect(r.lines.reduce((s, l) => s + l.grossMinor, 0)).toBe(r.grossMinor);
        expect(r.taxBreakdown.reduce((s, t) => s + t.taxMinor, 0)).toBe(r.taxMinor);
        expect(r.promotions.reduce((s, p) => s + p.amountMinor, 0)).toBeLessThanOrEqual(r.discountMinor);
      }),
      { numRuns: runs(400) },
    );
  });

  it('prices the same cart the same in any order of lines, promotions and cashier discounts', () => {
    fc.assert(
      fc.property(scenarioArb(everyKind), fc.integer({ min: 1, max: 1_000_000 }), ({ input }, seed) => {
        const a = priceCart(input);
        const b = priceCart({
          ...input,
          lines: shuffle(input.lines, seed),
          promotions: shuffle(input.promotions as PromotionInput[], seed + 1),
          manualDiscounts: shuffle(input.manualDiscounts ?? [], seed + 2),
        });
        expect(byLineId(b)).toEqual(byLineId(a));
        expect(b.promotions).toEqual(a.promotions);
        expect(b.taxBreakdown).toEqual(a.taxBreakdown);
        expect(b.totalMinor).toBe(a.totalMinor);
      }),
      { numRuns: runs(300) },
    );
  });

  it('adding a promotion never makes the customer pay more (exact search: whole-basket offers, shelf-price thresholds)', () => {
    const exactKinds = fc.array(fc.oneof(unconditionalArb(true), conditionalArb(true, true)), {
      maxLength: 7,
    });
    fc.assert(
      fc.property(
        scenarioArb(exactKinds),
        fc.oneof(unconditionalArb(true), conditionalArb(true, true)),
        ({ input }, extra) => {
          const before = priceCart(input);
          const promos = input.promotions as PromotionInput[];
          const after = priceCart({
            ...input,
            promotions: [...promos, named([...promos.map(() => ({}) as Body), extra]).at(-1)!],
          });
          expect(afterDiscounts(after)).toBeLessThanOrEqual(afterDiscounts(before));
          if (before.pricesIncludeTax) expect(after.totalMinor).toBeLessThanOrEqual(before.totalMinor);
        },
      ),
      { numRuns: runs(400) },
    );
  });

  it('removing a line never raises the total when every promotion is unconditional', () => {
    const unconditional = fc.array(unconditionalArb(true), { maxLength: 7 });
    fc.assert(
      fc.property(scenarioArb(unconditional, false), fc.nat(), ({ input }, k) => {
        const full = priceCart(input);
        const fewer = priceCart({
          ...input,
          lines: input.lines.filter((_, i) => i !== k % input.lines.length),
        });
        expect(afterDiscounts(fewer)).toBeLessThanOrEqual(afterDiscounts(full));
        if (full.pricesIncludeTax) expect(fewer.totalMinor).toBeLessThanOrEqual(full.totalMinor);
      }),
      { numRuns: runs(400) },
    );
  });

  it('with conditional promotions the smaller cart still never costs more than its own shelf price', () => {
    fc.assert(
      fc.property(scenarioArb(everyKind), fc.nat(), ({ input }, k) => {
        const lines = input.lines.filter((_, i) => i !== k % input.lines.length);
        const fewer = priceCart({ ...input, lines, manualDiscounts: [] });
        const shelf = priceCart({ ...input, lines, promotions: [], manualDiscounts: [] });
        expect(fewer.totalMinor).toBeLessThanOrEqual(shelf.totalMinor);
      }),
      { numRuns: runs(200) },
    );
  });
});
