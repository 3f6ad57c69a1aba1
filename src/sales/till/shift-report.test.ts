import { afterEach, describe, expect, it } from 'vitest';
import { MANAGER_APPROVAL, openTestTill, removeTestTills } from '../../../test/fixtures/till.ts';
import { thrownBy } from '../../../test/helpers/refusals.ts';
import { SALES_EVENT_TYPES, shiftClosedSchema } from '../events.ts';
import { countedTotal, xReport } from './shift-report.ts';

afterEach(removeTestTills);

const setup = openTestTill;

const errorOf = thrownBy;

/**
 * The manager's day: €100.00 float; two cash sales (€17.98 paid with €20, €3.57 paid with €5) and
 * one card sale (€8.99); €50.00 to the safe; €12.50 paid to the window cleaner; one no-sale.
 * The drawer should hold 100.00 + 21.55 − 50.00 − 12.50 = 59.05; the count finds 54.05.
 */
async function managersDay(s: ReturnType<typeof setup>) {
  s.register.openShift({ cashierId: 'alice', openingFloatMinor: 10_000 });
  await s.sell([['WINE', 2]], [{ kind: 'cash', tenderedMinor: 2_000 }]);
  await s.sell([['MILK', 3]], [{ kind: 'cash', tenderedMinor: 500 }]);
  await s.sell([['WINE', 1]], [{ kind: 'card', amountMinor: 899 }]);
  s.register.cashDrop({ amountMinor: 5_000, reason: 'safe drop' });
  s.register.paidOut({ amountMinor: 1_250, reason: 'window cleaner' });
  s.register.noSale({ reason: 'change for the bus driver', managerPin: MANAGER_APPROVAL });
}

// 2 × €20, 1 × €10, 2 × €2, 1 × 5c = €54.05
const shortCount = {
  denominations: [
    { valueMinor: 2_000, count: 2 },
    { valueMinor: 1_000, count: 1 },
    { valueMinor: 200, count: 2 },
    { valueMinor: 5, count: 1 },
  ],
};

describe('shift reports', () => {
  it('closes the worked example €5.00 short, with every section of the Z report', async () => {
    const s = setup();
    await managersDay(s);
    expect(countedTotal(shortCount)).toBe(5_405);
    const closed = s.register.closeShift({ counted: shortCount });
    const z = closed.report;
    expect(z.kind).toBe('Z');
    expect(z.zNumber).toBe(1);
    expect(z.sales).toMatchObject({ count: 3, grossMinor: 1_798 + 357 + 899 });
    expect(z.taxByRate.map((r) => [r.taxRateBp, r.grossMinor])).toEqual([
      [700, 357],
      [1900, 2_697],
    ]);
    expect(z.taxByRate.reduce((t, r) => t + r.taxMinor, 0)).toBe(z.sales.taxMinor);
    expect(z.tenders).toEqual([
      { kind: 'cash', count: 2, amountMinor: 2_155 },
      { kind: 'card', count: 1, amountMinor: 899 },
    ]);
    expect(z.cashDrops).toMatchObject({ count: 1, totalMinor: 5_000, items: [{ reason: 'safe drop' }] });
    expect(z.paidOuts).toMatchObject({ count: 1, totalMinor: 1_250, items: [{ reason: 'window cleaner' }] });
    expect(z.noSales).toMatchObject({ count: 1, items: [{ reason: 'change for the bus driver' }] });
    expect(z.returns).toEqual({ count: 0, totalMinor: 0, cashMinor: 0, cardMinor: 0, storeCreditMinor: 0 });
    for (const section of [z.voids, z.discounts]) expect(section).toMatchObject({ count: 0, totalMinor: 0 });
    expect(z.cash).toMatchObject({
      openingFloatMinor: 10_000,
      cashSalesMinor: 2_155,
      cashDropsMinor: 5_000,
      paidOutsMinor: 1_250,
      expectedMinor: 5_905,
      countedMinor: 5_405,
      differenceMinor: -500,
    });
    // The shift.closed event carries the same figures, the count and the Z number.
    const event = s.ledger.latestOf([SALES_EVENT_TYPES.shiftClosed]);
    const payload = shiftClosedSchema.parse(event?.payload);
    expect(payload).toMatchObject({
      zNumber: 1,
      expectedCashMinor: 5_905,
      countedCashMinor: 5_405,
      differenceMinor: -500,
      cashDropsMinor: 5_000,
      paidOutsMinor: 1_250,
      noSaleCount: 1,
      counted: shortCount,
    });
    expect(s.register.currentShift()).toBeUndefined();
  });

  it('still closes with a plain counted total', async () => {
    const s = setup();
    await managersDay(s);
    const closed = s.register.closeShift({ countedCashMinor: 5_905 });
    expect(closed).toMatchObject({ countedCashMinor: 5_905, differenceMinor: 0, zNumber: 1 });
    expect(closed.report.cash.counted).toBeUndefined();
  });

  it('reads an X report mid-shift without writing anything', async () => {
    const s = setup();
    await managersDay(s);
    const before = s.ledger.lastSeq();
    const x = s.register.xReport();
    expect(x.kind).toBe('X');
    expect(x.zNumber).toBeUndefined();
    expect(x.cash.expectedMinor).toBe(5_905);
    expect(x.cash.countedMinor).toBeUndefined();
    expect(x.upToSeq).toBe(before);
    expect(s.register.xReport()).toEqual(x);
    expect(s.ledger.lastSeq()).toBe(before);
    expect(s.register.currentShift()).toBeDefined();
    // The first Z after X reports is still number 1.
    expect(s.register.closeShift({}).zNumber).toBe(1);
  });

  it('numbers Z reports 1, 2, 3 over three shifts', () => {
    const s = setup();
    const numbers: (number | undefined)[] = [];
    for (const cashierId of ['alice', 'bob', 'carol']) {
      s.register.openShift({ cashierId, openingFloatMinor: 10_000 });
      const closed = s.register.closeShift({ countedCashMinor: 10_000 });
      expect(closed.report.zNumber).toBe(closed.zNumber);
      numbers.push(closed.zNumber);
    }
    expect(numbers).toEqual([1, 2, 3]);
  });

  it('keeps Z numbers gap-free when a close is refused', () => {
    const s = setup();
    s.register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    expect(s.register.closeShift({}).zNumber).toBe(1);
    expect(errorOf(() => s.register.closeShift({})).status).toBe(409);
    s.register.openShift({ cashierId: 'bob', openingFloatMinor: 0 });
    expect(s.register.closeShift({}).zNumber).toBe(2);
  });

  it('reports only its own shift from a plain ledger range', async () => {
    const s = setup();
    await managersDay(s);
    s.register.closeShift({});
    s.register.openShift({ cashierId: 'bob', openingFloatMinor: 2_000 });
    await s.sell([['MILK', 1]], [{ kind: 'cash', tenderedMinor: 119 }]);
    const all = s.ledger.range(1, 1_000);
    const second = all.filter((e) => e.seq >= (s.register.currentShift()?.seq ?? 0));
    expect(xReport(all).cash.expectedMinor).toBe(5_905); // the first shift.opened decides
    expect(xReport(second)).toMatchObject({
      cashierId: 'bob',
      sales: { count: 1 },
      cash: { expectedMinor: 2_119 },
    });
  });
});

describe('shift and drawer bad input leaves the ledger unchanged', () => {
  const cases: [string, (s: ReturnType<typeof setup>) => unknown, number, string][] = [
    ['a Z with no open shift', (s) => s.register.closeShift({ countedCashMinor: 0 }), 409, 'shift'],
    ['an X with no open shift', (s) => s.register.xReport(), 409, 'shift'],
    [
      'a cash drop with no open shift',
      (s) => s.register.cashDrop({ amountMinor: 1, reason: 'x' }),
      409,
      'shift',
    ],
    [
      'a negative cash drop',
      (s) => s.register.cashDrop({ amountMinor: -100, reason: 'safe' }),
      400,
      'amountMinor',
    ],
    ['a zero cash drop', (s) => s.register.cashDrop({ amountMinor: 0, reason: 'safe' }), 400, 'amountMinor'],
    ['a cash drop without amount', (s) => s.register.cashDrop({ reason: 'safe' }), 400, 'amountMinor'],
    [
      'a fractional cash drop',
      (s) => s.register.cashDrop({ amountMinor: 1.5, reason: 'safe' }),
      400,
      'amountMinor',
    ],
    ['a cash drop without reason', (s) => s.register.cashDrop({ amountMinor: 100 }), 400, 'reason'],
    [
      'a negative pay-out',
      (s) => s.register.paidOut({ amountMinor: -1, reason: 'milk' }),
      400,
      'amountMinor',
    ],
    ['a pay-out without reason', (s) => s.register.paidOut({ amountMinor: 100 }), 400, 'reason'],
    [
      'a pay-out with a blank reason',
      (s) => s.register.paidOut({ amountMinor: 100, reason: '  ' }),
      400,
      'reason',
    ],
    [
      'a pay-out above the drawer',
      (s) => s.register.paidOut({ amountMinor: 10_001, reason: 'x' }),
      400,
      'amountMinor',
    ],
    ['a no-sale without reason', (s) => s.register.noSale({}), 400, 'reason'],
    ['a no-sale with money', (s) => s.register.noSale({ amountMinor: 5, reason: 'x' }), 400, 'amountMinor'],
    ['a negative count', (s) => s.register.closeShift({ countedCashMinor: -1 }), 400, 'countedCashMinor'],
    [
      'a negative denomination count',
      (s) => s.register.closeShift({ counted: { denominations: [{ valueMinor: 100, count: -1 }] } }),
      400,
      'counted.denominations.0.count',
    ],
    [
      'a count whose total disagrees',
      (s) =>
        s.register.closeShift({
          countedCashMinor: 5,
          counted: { denominations: [{ valueMinor: 100, count: 1 }] },
        }),
      400,
      'countedCashMinor',
    ],
  ];
  for (const [name, act, status, field] of cases) {
    it(`refuses ${name}: ${status} on ${field}`, () => {
      const s = setup();
      if (field !== 'shift') s.register.openShift({ cashierId: 'alice', openingFloatMinor: 10_000 });
      const seq = s.ledger.lastSeq();
      const err = errorOf(() => act(s));
      expect({ status: err.status, field: err.field }).toEqual({ status, field });
      expect(err.message).toContain(field === 'shift' ? 'no shift is open' : field);
      expect(s.ledger.lastSeq()).toBe(seq);
    });
  }

  it('refuses a Z on a shift already closed', () => {
    const s = setup();
    s.register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    s.register.closeShift({});
    const seq = s.ledger.lastSeq();
    const err = errorOf(() => s.register.closeShift({ countedCashMinor: 0 }));
    expect({ status: err.status, field: err.field }).toEqual({ status: 409, field: 'shift' });
    expect(s.ledger.lastSeq()).toBe(seq);
  });

  it('refuses a pay-out larger than the drawer holds after drops', async () => {
    const s = setup();
    await managersDay(s); // the drawer should hold 59.05
    const seq = s.ledger.lastSeq();
    expect(errorOf(() => s.register.paidOut({ amountMinor: 5_906, reason: 'too much' })).field).toBe(
      'amountMinor',
    );
    expect(s.ledger.lastSeq()).toBe(seq);
    expect(s.register.paidOut({ amountMinor: 5_905, reason: 'all of it' }).seq).toBe(seq + 1);
  });
});
