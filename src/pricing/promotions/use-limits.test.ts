import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  activeUses,
  countedLimitsOf,
  decideUse,
  offlineAllowance,
  type UseLimits,
  type UseRequest,
  type UseRow,
} from './use-limits.ts';

/**
 * A use ledger in memory, written the way HQ's SQL does it (promotion-uses.ts): reservations keyed by
 * cart, counted with `activeUses` and decided with `decideUse`; a confirmation of a reservation that
 * expired or was released still counts (the sale happened) and raises an exception when it overran.
 */
class UseBook {
  readonly rows = new Map<string, UseRow & { cart: string }>();
  exceptions = 0;
  constructor(
    readonly limits: UseLimits,
    readonly ttl: number,
  ) {}
  reserve(cart: string, req: UseRequest, now: number): boolean {
    const had = this.rows.get(cart);
    if (had) return true;
    const d = decideUse(this.limits, activeUses(this.rows.values(), req, now), req);
    if (!d.ok) return false;
    this.rows.set(cart, { cart, state: 'reserved', expiresAt: now + this.ttl, ...req });
    return true;
  }
  confirm(cart: string, now: number): void {
    const r = this.rows.get(cart);
    if (!r || r.state === 'confirmed') return;
    const live = r.state === 'reserved' && r.expiresAt > now;
    if (!live) {
      const others = [...this.rows.values()].filter((o) => o.cart !== cart);
      const req = { customerId: r.customerId, couponCode: r.couponCode };
      if (!decideUse(this.limits, activeUses(others, req, now), req).ok) this.exceptions += 1;
    }
    this.rows.set(cart, { ...r, state: 'confirmed' });
  }
  release(cart: string): void {
    const r = this.rows.get(cart);
    if (r) this.rows.set(cart, { ...r, state: 'released' });
  }
}

const limitsArb = fc.record(
  {
    total: fc.integer({ min: 1, max: 4 }),
    perCustomer: fc.integer({ min: 1, max: 3 }),
    perCode: fc.integer({ min: 1, max: 2 }),
  },
  { requiredKeys: [] },
);
const opArb = fc.oneof(
  fc.record({
    op: fc.constant('reserve' as const),
    cart: fc.integer({ min: 0, max: 9 }),
    customer: fc.option(fc.constantFrom('c1', 'c2'), { nil: undefined }),
    code: fc.option(fc.constantFrom('A', 'B'), { nil: undefined }),
  }),
  fc.record({ op: fc.constant('confirm' as const), cart: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ op: fc.constant('release' as const), cart: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 50 }) }),
);

const over = (book: UseBook, now: number): boolean => {
  const rows = [...book.rows.values()];
  const l = book.limits;
  const all = activeUses(rows, {}, now).total;
  if (l.total !== undefined && all > l.total) return true;
  for (const c of ['c1', 'c2'])
    if (l.perCustomer !== undefined && activeUses(rows, { customerId: c }, now).customer > l.perCustomer)
      return true;
  for (const code of ['A', 'B'])
    if (l.perCode !== undefined && activeUses(rows, { couponCode: code }, now).code > l.perCode) return true;
  return false;
};

describe('promotion use limits', () => {
  it('a promotion limited to one use in total gives it once, then says it is fully redeemed', () => {
    const limits = { total: 1 };
    expect(decideUse(limits, { total: 0, customer: 0, code: 0 }, {})).toEqual({ ok: true });
    expect(decideUse(limits, { total: 1, customer: 0, code: 0 }, {})).toEqual({
      ok: false,
      reason: 'fully_redeemed',
    });
  });

  it('a per-customer limit needs a customer, and a single-use code is refused the second time', () => {
    expect(decideUse({ perCustomer: 1 }, { total: 0, customer: 0, code: 0 }, {})).toMatchObject({
      reason: 'needs_customer',
    });
    expect(decideUse({ perCode: 1 }, { total: 5, customer: 0, code: 1 }, { couponCode: 'X' })).toMatchObject({
      reason: 'code_used',
    });
  });

  it('only limits HQ counts make a promotion limited; single-use codes are never spent offline by default', () => {
    expect(countedLimitsOf({ limits: { perCart: 2 } })).toBeUndefined();
    expect(countedLimitsOf({ limits: { total: 5 } })).toEqual({ total: 5 });
    expect(offlineAllowance({ limits: { perCode: 1 } })).toBe(0);
    expect(offlineAllowance({ limits: { total: 100 } })).toBe(2);
    expect(offlineAllowance({ limits: { total: 100, offlinePerTill: 7 } })).toBe(7);
  });

  it('no interleaving of reserve, confirm, release and expiry gives more uses than the limits allow', () => {
    fc.assert(
      fc.property(limitsArb, fc.array(opArb, { maxLength: 60 }), (limits, ops) => {
        const book = new UseBook(limits, 100);
        let now = 0;
        for (const o of ops) {
          if (o.op === 'reserve')
            book.reserve(`k${o.cart}`, { customerId: o.customer, couponCode: o.code }, now);
          else if (o.op === 'confirm') {
            // A till confirms only what it reserved and still holds (the sale commits before expiry).
            const r = book.rows.get(`k${o.cart}`);
            if (r?.state === 'reserved' && r.expiresAt > now) book.confirm(`k${o.cart}`, now);
          } else if (o.op === 'release') book.release(`k${o.cart}`);
          else now += o.ms;
          expect(over(book, now)).toBe(false);
        }
        expect(book.exceptions).toBe(0);
      }),
    );
  });

  it('a late confirmation (after expiry) may overrun, and then it is counted as an exception', () => {
    fc.assert(
      fc.property(limitsArb, fc.array(opArb, { maxLength: 60 }), (limits, ops) => {
        const book = new UseBook(limits, 100);
        let now = 0;
        for (const o of ops) {
          if (o.op === 'reserve')
            book.reserve(`k${o.cart}`, { customerId: o.customer, couponCode: o.code }, now);
          else if (o.op === 'confirm') book.confirm(`k${o.cart}`, now);
          else if (o.op === 'release') book.release(`k${o.cart}`);
          else now += o.ms;
        }
        // Every use beyond a limit was recorded as an exception when it was confirmed.
        if (over(book, now)) expect(book.exceptions).toBeGreaterThan(0);
      }),
    );
  });

  it('reserving again for the same cart answers as the first time and takes no second use', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5 }), (total, tries) => {
        const book = new UseBook({ total }, 1_000);
        const first = book.reserve('cart', {}, 0);
        for (let i = 0; i < tries; i++) expect(book.reserve('cart', {}, i)).toBe(first);
        expect(activeUses(book.rows.values(), {}, 0).total).toBe(1);
      }),
    );
  });
});
