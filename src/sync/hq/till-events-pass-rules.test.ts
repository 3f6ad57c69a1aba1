import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cornerShopConfig,
  MANAGER_APPROVAL,
  openTestTill,
  removeTestTills,
} from '../../../test/fixtures/till.ts';
import { hqEventRegistry } from '../../apps/shared/event-registry.ts';
import { TallyError } from '../../core/errors.ts';
import type { EventEnvelope } from '../../core/event.ts';
import type { TenderRequest } from '../../sales/till/tenders.ts';
import { checkEvent } from './event-checks.ts';
import { defaultEventRules } from './event-rules-config.ts';

/**
 * HQ's rules must never quarantine what a real till writes: every sale, return and void the till's own
 * checkout can produce (weighed lines, cashier discounts on lines and baskets, cards, split tenders,
 * change, cash rounding to 5 cents) passes checkEvent unchanged.
 */
const rules = defaultEventRules();
afterAll(removeTestTills);

const lineArb = fc.oneof(
  fc.record({ code: fc.constantFrom('MILK', 'WINE'), qty: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ code: fc.constant('BANANA'), weightGrams: fc.integer({ min: 1, max: 5_000 }) }),
);
const discountArb = fc.option(
  fc.oneof(
    fc.record({ percent: fc.integer({ min: 1, max: 60 }) }),
    fc.record({ amountMinor: fc.integer({ min: 1, max: 300 }) }),
    fc.record({ lineNo: fc.constant(1), percent: fc.integer({ min: 1, max: 100 }) }),
  ),
  { nil: undefined },
);
const payArb = fc.constantFrom('cash-exact', 'cash-over', 'card', 'card-and-cash');
const tendersFor = (how: string, due: number, extra: number): TenderRequest[] => {
  if (how === 'card') return [{ kind: 'card', amountMinor: due }];
  if (how === 'card-and-cash' && due > 1)
    return [
      { kind: 'card', amountMinor: Math.floor(due / 2) },
      { kind: 'cash', tenderedMinor: due + extra },
    ];
  return [{ kind: 'cash', tenderedMinor: how === 'cash-over' ? due + extra + 5 : due + 5 }];
};

describe('every document a real till writes passes HQ rules', () => {
  for (const rounding of [undefined, 5]) {
    it(`sales, returns and voids ${rounding ? 'with cash rounded to 5 cents' : 'to the cent'}`, async () => {
      const till = openTestTill(cornerShopConfig(rounding ? { cashRounding: { EUR: rounding } } : {}));
      till.register.openShift({ cashierId: 'ana', openingFloatMinor: 10_000 });
      const passes = (e: EventEnvelope) => {
        const r = checkEvent(e, { registry: hqEventRegistry, now: till.clock.now(), rules });
        expect(r, `${e.type} ${JSON.stringify(e.payload)}`).toMatchObject({ ok: true });
        if (r.ok) expect(r.event.payload).toEqual(JSON.parse(JSON.stringify(e.payload)));
      };
      await fc.assert(
        fc.asyncProperty(
          fc.array(lineArb, { minLength: 1, maxLength: 5 }),
          discountArb,
          payArb,
          fc.integer({ min: 0, max: 5_000 }),
          fc.constantFrom('none', 'return', 'void'),
          async (lines, discount, how, extra, after) => {
            const cart = till.register.createCart();
            for (const l of lines)
              till.register.addLine(
                cart.id,
                l.code,
                'qty' in l ? l.qty : 1,
                'weightGrams' in l ? { weightGrams: l.weightGrams } : {},
              );
            // A discount the till refuses (nothing left to discount) is simply not given.
            if (discount)
              try {
                till.register.addDiscount(cart.id, {
                  ...discount,
                  reason: 'loyal customer',
                  managerPin: MANAGER_APPROVAL,
                });
              } catch (err) {
                if (!(err instanceof TallyError)) throw err;
              }
            if (after === 'void') {
              const v = till.register.voidSale(cart.id, 'customer left');
              passes(till.ledger.range(v.seq, 1)[0]!);
              return;
            }
            const due = till.register.getCart(cart.id).totals.grossMinor;
            // A free cart takes no tender at the till; what it writes then is not a sale to judge here.
            if (due === 0) {
              till.register.voidSale(cart.id, 'nothing to pay');
              return;
            }
            const sale = await till.register.complete(cart.id, tendersFor(how, due, extra));
            passes(till.register.sale(sale.saleId));
            if (after === 'return') {
              const r = await till.register.returnItems({
                saleId: sale.saleId,
                lines: [{ lineNo: 1, qty: 1 }],
                refundTo: 'original',
                reason: 'changed mind',
                managerPin: MANAGER_APPROVAL,
              });
              const last = till.ledger.range(till.ledger.lastSeq(), 1)[0]!;
              expect(last.payload).toMatchObject({ returnId: r.returnId });
              passes(last);
            }
          },
        ),
        { numRuns: 60 },
      );
    });
  }
});
