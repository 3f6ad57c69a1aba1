import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { cornerShopConfig, openTestTill, removeTestTills } from '../../../test/fixtures/till.ts';
import { rejection } from '../../../test/helpers/refusals.ts';
import { SALES_EVENT_TYPES, type SaleCompleted } from '../events.ts';
import { planTenders, roundToStep } from './tenders.ts';

afterEach(removeTestTills);

function setup(config = cornerShopConfig()) {
  const till = openTestTill(config);
  till.register.openShift({ cashierId: 'alice', openingFloatMinor: 10_000 });
  const count = (): number => till.db.prepare('SELECT COUNT(*) FROM ledger').pluck().get() as number;
  return { ...till, count };
}

describe('cash rounding', () => {
  it('rounds to the smallest coin, half up, never by more than half a coin', () => {
    expect([2, 3, 7, 8, 10].map((n) => roundToStep(n, 5))).toEqual([0, 5, 5, 10, 10]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.constantFrom(1, 5, 10, 50), (amount, step) => {
        const r = roundToStep(amount, step);
        expect(r % step).toBe(0);
        expect(Math.abs(r - amount) * 2).toBeLessThanOrEqual(step);
      }),
    );
  });

  it('splits any bill exactly: non-cash + cash − change − rounding = due', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e8 }),
        fc.array(fc.nat({ max: 100 }), { maxLength: 3 }),
        fc.nat({ max: 1e6 }),
        fc.constantFrom(1, 5),
        (due, cardShares, extraCash, step) => {
          // Cards take shares of the bill; cash covers the rest (rounded) plus some change.
          const cards = cardShares.map((p) => Math.floor((due * p) / 400)).filter((a) => a > 0);
          const cardTotal = cards.reduce((a, b) => a + b, 0);
          const cashDue = roundToStep(due - cardTotal, step);
          const tenders = [
            ...cards.map((amountMinor) => ({ kind: 'card' as const, amountMinor })),
            ...(due - cardTotal > 0
              ? [{ kind: 'cash' as const, tenderedMinor: Math.max(1, cashDue) + extraCash }]
              : []),
          ];
          if (due - cardTotal > 0 && cashDue === 0) return; // rounded away: nothing to hand over
          const plan = planTenders(due, tenders, { cashStepMinor: step });
          const paid = plan.cards.reduce((a, b) => a + b, 0) + (plan.cash?.amountMinor ?? 0);
          expect(paid).toBe(due + plan.roundingMinor);
          expect(plan.cash ? plan.cash.tenderedMinor - plan.cash.changeMinor : 0).toBe(
            plan.cash?.amountMinor ?? 0,
          );
          expect(Math.abs(plan.roundingMinor) * 2).toBeLessThanOrEqual(step);
        },
      ),
    );
  });

  it('rounds cash to the configured coin (5, as CHF by default) and records it; EUR is not rounded by default', async () => {
    const s = setup(cornerShopConfig({ cashRounding: { EUR: 5 } }));
    const sale = await s.sell([['MILK', 2]], [{ kind: 'cash', tenderedMinor: 500 }]); // 2.38 → 2.40
    expect(sale).toMatchObject({ grossMinor: 238, roundingMinor: 2, changeMinor: 260 });
    expect(sale.tenders).toEqual([{ kind: 'cash', amountMinor: 240, tenderedMinor: 500, changeMinor: 260 }]);
    // A card pays to the cent.
    const card = await s.sell([['MILK', 2]], [{ kind: 'card', amountMinor: 238 }]);
    expect(card.roundingMinor).toBe(0);
    const x = s.register.xReport();
    expect(x.cash).toMatchObject({ cashSalesMinor: 240, roundingMinor: 2, expectedMinor: 10_240 });
    expect(s.register.receipt(sale.saleId, 'text')).toMatch(/Cash rounding\s+0,02/);

    const plain = setup();
    expect((await plain.sell([['MILK', 2]], [{ kind: 'cash', tenderedMinor: 500 }])).roundingMinor).toBe(0);
  });
});

describe('gift cards and store credit', () => {
  it('issues, loads, checks the balance and redeems a gift card in a split with card and cash', async () => {
    const s = setup();
    const issued = await s.register.sellGiftCard({
      amountMinor: 2_000,
      tenders: [{ kind: 'cash', tenderedMinor: 2_000 }],
      load: false,
    });
    expect(issued.code).toMatch(/^\d{16}$/);
    expect(issued).toMatchObject({ amountMinor: 2_000, balanceMinor: 2_000, last4: issued.code!.slice(-4) });
    const loaded = await s.register.sellGiftCard({
      code: issued.code,
      amountMinor: 500,
      tenders: [{ kind: 'card', amountMinor: 500 }],
      load: true,
    });
    expect(loaded).toMatchObject({ balanceMinor: 2_500 });
    expect(loaded.code).toBeUndefined();
    expect(s.register.balance(issued.code!)).toMatchObject({ kind: 'gift_card', balanceMinor: 2_500 });

    // Wine 3 × 8.99 = 26.97: 20.00 from the gift card, 5.00 by card, the rest in cash.
    const sale = await s.sell(
      [['WINE', 3]],
      [
        { kind: 'gift_card', code: issued.code!, amountMinor: 2_000 },
        { kind: 'card', amountMinor: 500 },
        { kind: 'cash', tenderedMinor: 200 },
      ],
    );
    expect(sale.tenders.map((t) => [t.kind, t.amountMinor])).toEqual([
      ['card', 500],
      ['gift_card', 2_000],
      ['cash', 197],
    ]);
    expect(s.register.balance(issued.code!).balanceMinor).toBe(500);
    const stored = s.ledger.latestOf([SALES_EVENT_TYPES.saleCompleted])!.payload as SaleCompleted;
    expect(JSON.stringify(stored)).not.toContain(issued.code);
    const x = s.register.xReport();
    expect(x.giftCards).toEqual({ count: 2, totalMinor: 2_500, cashMinor: 2_000 });
    expect(x.cash.expectedMinor).toBe(10_000 + 2_000 + 197);
  });

  it('refuses a gift card without enough balance before charging any card, and leaves the ledger as it was', async () => {
    const s = setup();
    const { code } = await s.register.sellGiftCard({
      amountMinor: 300,
      tenders: [{ kind: 'cash', tenderedMinor: 300 }],
      load: false,
    });
    const cart = s.register.createCart();
    s.register.addLine(cart.id, 'WINE', 1);
    const n = s.count();
    const authorizations = s.provider.authorizations.length;
    const err = await rejection(
      s.register.complete(cart.id, [
        { kind: 'card', amountMinor: 499 },
        { kind: 'gift_card', code: code!, amountMinor: 400 },
      ]),
    );
    expect(err).toMatchObject({ code: 'validation', field: 'tenders[1].amountMinor' });
    expect(err.message).toMatch(/holds 300, less than the 400 asked/);
    expect(s.count()).toBe(n);
    expect(s.provider.authorizations.length).toBe(authorizations);
    expect(s.register.balance(code!).balanceMinor).toBe(300);
    expect(s.register.getCart(cart.id).lines).toHaveLength(1);
  });

  it('never lets a balance go below zero, whatever sequence of loads and redemptions', async () => {
    const s = setup();
    const { code } = await s.register.sellGiftCard({
      amountMinor: 1_000,
      tenders: [{ kind: 'cash', tenderedMinor: 1_000 }],
      load: false,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 1_500 })), { minLength: 1, maxLength: 8 }),
        async (ops) => {
          for (const [load, amount] of ops) {
            const before = s.register.balance(code!).balanceMinor;
            if (load) {
              await s.register.sellGiftCard({
                code,
                amountMinor: amount,
                tenders: [{ kind: 'cash', tenderedMinor: amount }],
                load: true,
              });
              expect(s.register.balance(code!).balanceMinor).toBe(before + amount);
            } else {
              const cart = s.register.createCart();
              s.register.addLine(cart.id, 'WINE', 2);
              const take = Math.min(amount, 1_798);
              const tenders = [
                { kind: 'gift_card' as const, code: code!, amountMinor: take },
                ...(take < 1_798 ? [{ kind: 'cash' as const, tenderedMinor: 1_798 - take }] : []),
              ];
              const done = await s.register.complete(cart.id, tenders).then(
                () => true,
                () => false,
              );
              expect(done).toBe(take <= before);
              expect(s.register.balance(code!).balanceMinor).toBe(done ? before - take : before);
              if (!done) s.register.voidSale(cart.id, 'test');
            }
            expect(s.register.balance(code!).balanceMinor).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      { numRuns: 15 },
    );
  });

  it('issues store credit on a return and takes it as a tender', async () => {
    const s = setup();
    const sale = await s.sell([['WINE', 2]], [{ kind: 'cash', tenderedMinor: 2_000 }]);
    const r = await s.register.returnItems({
      receiptNo: sale.receiptNo,
      lines: [{ lineNo: 1, qty: 1 }],
      refundTo: 'store_credit',
      reason: 'changed mind',
    });
    expect(r.storeCreditCode).toMatch(/^\d{16}$/);
    expect(r.refunds).toEqual([expect.objectContaining({ kind: 'store_credit', amountMinor: 899 })]);
    expect(s.register.balance(r.storeCreditCode!)).toMatchObject({ kind: 'store_credit', balanceMinor: 899 });
    const wrongKind = await rejection(
      s.sell([['MILK', 1]], [{ kind: 'gift_card', code: r.storeCreditCode!, amountMinor: 119 }]),
    );
    expect(wrongKind.field).toBe('tenders[0].code');
    const paid = await s.sell(
      [['MILK', 1]],
      [{ kind: 'store_credit', code: r.storeCreditCode!, amountMinor: 119 }],
    );
    expect(paid.tenders[0]).toMatchObject({ kind: 'store_credit', amountMinor: 119 });
    expect(s.register.balance(r.storeCreditCode!).balanceMinor).toBe(780);
    expect(s.register.xReport().storeCredit).toEqual({ issuedMinor: 899, redeemedMinor: 119 });
  });
});
