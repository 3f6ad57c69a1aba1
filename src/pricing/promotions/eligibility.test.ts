import { describe, expect, it } from 'vitest';
import { cart, context, line } from '../../../test/fixtures/pricing.ts';
import { priceCart } from '../price-cart.ts';
import type { PricingContext } from '../pricing-input.ts';
import type { PromotionInput } from './schema.ts';

/** Where, when, for whom and how often a promotion applies. One 2.00 coffee, 0.50 off when in scope. */

const coffee = [line('coffee', 200, { lineId: 'a' })];
const base: PromotionInput = {
  id: 'p',
  name: 'Coffee -0.50',
  kind: 'amountOff',
  target: { skus: ['coffee'] },
  amountMinor: 50,
};
const pays = (scope: Partial<PromotionInput>, ctx: Partial<PricingContext> = {}): number =>
  priceCart(cart(coffee, [{ ...base, ...scope } as PromotionInput], { context: context(ctx) })).totalMinor;

describe('locations', () => {
  it('chain-wide when no location is given', () => {
    expect(pays({})).toBe(150);
  });
  it('a listed store, a store in a listed zone, but not an excluded store', () => {
    expect(pays({ locations: { storeIds: ['berlin-mitte'] } })).toBe(150);
    expect(pays({ locations: { storeIds: ['hamburg'] } })).toBe(200);
    expect(pays({ locations: { zoneIds: ['zone-de-city'] } })).toBe(150);
    expect(pays({ locations: { zoneIds: ['zone-de-city'], excludeStoreIds: ['berlin-mitte'] } })).toBe(200);
  });
});

describe('dates and happy hours, in the store’s time zone', () => {
  it('from is inclusive, to is exclusive, and a date-only end includes that whole day', () => {
    expect(pays({ schedule: { from: '2026-11-28' } })).toBe(150);
    expect(pays({ schedule: { from: '2026-11-28T12:00' } })).toBe(150);
    expect(pays({ schedule: { from: '2026-11-28T12:01' } })).toBe(200);
    expect(pays({ schedule: { to: '2026-11-28' } })).toBe(150);
    expect(pays({ schedule: { to: '2026-11-28T12:00' } })).toBe(200);
    expect(pays({ schedule: { to: '2026-11-27' } })).toBe(200);
  });

  it('a local start means local midnight in each store; an instant means one moment everywhere', () => {
    // 23:30 in New York on the 27th is already the 28th in UTC, but not in the store.
    const ny = { at: '2026-11-27T23:30:00-05:00', timeZone: 'America/New_York' };
    expect(pays({ schedule: { from: '2026-11-28' } }, ny)).toBe(200);
    expect(pays({ schedule: { from: '2026-11-28T00:00:00Z' } }, ny)).toBe(150);
  });

  it('happy hour Mon–Fri 17:00–19:00 in Berlin', () => {
    const hh: Partial<PromotionInput> = {
      schedule: { windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '17:00', end: '19:00' }] },
    };
    const at = (iso: string, timeZone = 'Europe/Berlin') => pays(hh, { at: iso, timeZone });
    expect(at('2026-11-27T17:30:00+01:00')).toBe(150); // Friday 17:30
    expect(at('2026-11-27T16:30:00Z')).toBe(150); // the same moment written in UTC
    expect(at('2026-11-27T19:00:00+01:00')).toBe(200); // the end is exclusive
    expect(at('2026-11-28T17:30:00+01:00')).toBe(200); // Saturday
    // The same instant is 11:30 in a New York store: no happy hour there.
    expect(at('2026-11-27T17:30:00+01:00', 'America/New_York')).toBe(200);
  });

  it('a late-night window Fri 22:00–02:00 still runs at 01:00 on Saturday, not at 01:00 on Sunday', () => {
    const late: Partial<PromotionInput> = {
      schedule: { windows: [{ days: ['fri'], start: '22:00', end: '02:00' }] },
    };
    const at = (iso: string) => pays(late, { at: iso });
    expect(at('2026-11-27T23:00:00+01:00')).toBe(150);
    expect(at('2026-11-28T01:00:00+01:00')).toBe(150);
    expect(at('2026-11-29T01:00:00+01:00')).toBe(200);
  });
});

describe('channels and customers', () => {
  it('an online-only offer does not apply at the till', () => {
    expect(pays({ channels: ['online'] })).toBe(200);
    expect(pays({ channels: ['online'] }, { channel: 'online' })).toBe(150);
  });
  it('members only, and segments', () => {
    expect(pays({ audience: { membersOnly: true } })).toBe(200);
    expect(
      pays({ audience: { membersOnly: true } }, { customer: { id: 'c', loyaltyMember: true, segments: [] } }),
    ).toBe(150);
    expect(
      pays(
        { audience: { segments: ['staff'] } },
        { customer: { id: 'c', loyaltyMember: false, segments: ['staff'] } },
      ),
    ).toBe(150);
  });
});

describe('usage limits', () => {
  const customer = { id: 'c', loyaltyMember: true, segments: [] };
  it('stops once redeemed the allowed number of times, chain-wide or per customer', () => {
    expect(pays({ limits: { total: 1000 } }, { usage: { p: { total: 999 } } })).toBe(150);
    expect(pays({ limits: { total: 1000 } }, { usage: { p: { total: 1000 } } })).toBe(200);
    expect(pays({ limits: { perCustomer: 1 } }, { customer, usage: { p: { customer: 0 } } })).toBe(150);
    expect(pays({ limits: { perCustomer: 1 } }, { customer, usage: { p: { customer: 1 } } })).toBe(200);
  });
  it('a per-customer limit needs a known customer', () => {
    expect(pays({ limits: { perCustomer: 1 } })).toBe(200);
  });
  it('a per-cart limit gives the discount on the dearest units: "max 2 per transaction"', () => {
    const r = priceCart(
      cart(
        [
          line('coffee', 200, { lineId: 'a', qty: 3 }),
          line('coffee-xl', 300, { lineId: 'b', categoryIds: ['hot'] }),
        ],
        [{ ...base, target: { skus: ['coffee', 'coffee-xl'] }, limits: { perCart: 2 } }],
      ),
    );
    expect(r.lines.map((l) => l.discounts[0]?.units ?? 0)).toEqual([1, 1]);
    expect(r.savingsMinor).toBe(100);
  });
});
