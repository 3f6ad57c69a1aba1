import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestTill, removeTestTills } from '../../../test/fixtures/till.ts';
import { shiftReportSchema } from '../../contracts/register.ts';
import type { EventEnvelope } from '../../core/event.ts';
import { SALES_EVENT_TYPES, shiftClosedSchema } from '../events.ts';
import { shiftReport, xReport } from './shift-report.ts';

/**
 * A till that took a 90-trillion gift card before amounts were capped could never print an X report
 * or close the shift again: the sums left the range where numbers are exact and every report failed.
 * Reports now add with checked arithmetic and leave such an event out, naming it.
 */
afterEach(removeTestTills);

// 2^53 − 1 cents: €90,071,992,547,409.91, the largest amount JavaScript still counts exactly.
const NINETY_TRILLION_EUR = Number.MAX_SAFE_INTEGER;

describe('a ledger that already holds an impossible amount', () => {
  it('still prints the X report, names the 90-trillion gift card, and closes the shift', async () => {
    const s = openTestTill();
    const shift = s.register.openShift({ cashierId: 'alice', openingFloatMinor: 10_000 });
    await s.sell([['MILK', 1]], [{ kind: 'cash', tenderedMinor: 119 }]);
    // Written the way an older build wrote it: no cap at the till's edge.
    const card = s.ledger.append(SALES_EVENT_TYPES.giftCardIssued, {
      accountId: '0190f3a2-7c4e-7000-8000-000000000001',
      last4: '4242',
      currency: 'EUR',
      amountMinor: NINETY_TRILLION_EUR,
      balanceMinor: NINETY_TRILLION_EUR,
      shiftId: shift.shiftId,
      cashierId: 'alice',
      tenders: [
        {
          kind: 'cash',
          amountMinor: NINETY_TRILLION_EUR,
          tenderedMinor: NINETY_TRILLION_EUR,
          changeMinor: 0,
        },
      ],
    });
    await s.sell([['MILK', 2]], [{ kind: 'cash', tenderedMinor: 238 }]);

    const x = s.register.xReport();
    expect(x.excluded).toEqual([
      {
        seq: card.seq,
        type: SALES_EVENT_TYPES.giftCardIssued,
        reason: expect.stringMatching(/safe integer/),
      },
    ]);
    expect(x.cash.expectedMinor).toBe(10_000 + 119 + 238);
    expect(x.sales.count).toBe(2);
    expect(() => shiftReportSchema.parse(x)).not.toThrow();

    const closed = s.register.closeShift({ countedCashMinor: 10_357 });
    expect(closed.report.excluded).toHaveLength(1);
    expect(closed).toMatchObject({ expectedCashMinor: 10_357, differenceMinor: 0 });
    expect(() => shiftClosedSchema.parse(closed)).not.toThrow();
    expect(s.register.currentShift()).toBeUndefined();
  });
});

// --- The class: whatever amounts a shift's events hold, a report is always a report. ---

const SHIFT = '0190f3a2-7c4e-7000-8000-0000000000aa';
const amount = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 1_000_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }) },
  { weight: 1, arbitrary: fc.constantFrom(2 ** 51, 2 ** 51 + 1, 2 ** 53, 2 ** 60, 1e300, 0.5) },
);
const cashTender = (a: number) => ({ kind: 'cash', amountMinor: a, tenderedMinor: a, changeMinor: 0 });
const eventArb = fc.oneof(
  amount.map((a) => ({
    type: SALES_EVENT_TYPES.saleCompleted,
    payload: {
      shiftId: SHIFT,
      netMinor: a,
      taxMinor: 0,
      grossMinor: a,
      lines: [{ taxRateBp: 1900, netMinor: a, taxMinor: 0, grossMinor: a, discounts: [] }],
      tenders: [cashTender(a)],
    },
  })),
  amount.map((a) => ({
    type: SALES_EVENT_TYPES.giftCardIssued,
    payload: { shiftId: SHIFT, amountMinor: a, tenders: [cashTender(a)] },
  })),
  amount.map((a) => ({
    type: SALES_EVENT_TYPES.cashDrop,
    payload: { shiftId: SHIFT, amountMinor: a, reason: 'safe' },
  })),
  amount.map((a) => ({
    type: SALES_EVENT_TYPES.paidOut,
    payload: { shiftId: SHIFT, amountMinor: a, reason: 'window' },
  })),
  amount.map((a) => ({
    type: SALES_EVENT_TYPES.saleReturned,
    payload: { shiftId: SHIFT, totals: { grossMinor: a }, refunds: [{ kind: 'cash', amountMinor: a }] },
  })),
  amount.map((a) => ({ type: SALES_EVENT_TYPES.saleVoided, payload: { shiftId: SHIFT, grossMinor: a } })),
);

const envelopes = (
  float: number,
  body: { type: string; payload: Record<string, unknown> }[],
): EventEnvelope[] =>
  [
    {
      type: SALES_EVENT_TYPES.shiftOpened,
      payload: { shiftId: SHIFT, cashierId: 'alice', openingFloatMinor: float, currency: 'EUR' },
    },
    ...body,
  ].map((e, i) => ({
    id: `e${i}`,
    type: e.type,
    schemaVersion: 1,
    storeId: 's1',
    terminalId: 'T1',
    seq: i + 1,
    businessDate: '2026-03-02',
    occurredAt: '2026-03-02T10:15:00+01:00',
    payload: e.payload,
  }));

/** Every number in a report, wherever it sits. */
const numbersIn = (v: unknown): number[] =>
  typeof v === 'number' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(numbersIn) : [];

describe('shift report sums (property)', () => {
  it('never throws, holds only exact whole numbers, and leaves out only the events it names', () => {
    fc.assert(
      fc.property(
        amount,
        fc.array(eventArb, { maxLength: 30 }),
        fc.integer({ min: 0, max: 1e9 }),
        (f, body, counted) => {
          const events = envelopes(f, body);
          const z = shiftReport(events, { kind: 'Z', zNumber: 1, countedCashMinor: counted });
          expect(() => shiftReportSchema.parse(z)).not.toThrow();
          for (const n of numbersIn(z)) expect(Number.isSafeInteger(n)).toBe(true);
          const left = new Set(z.excluded.map((e) => e.seq));
          const small = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n <= 1_000_000;
          // Amounts a shop can have are never left out, and then the drawer adds up as it always did.
          if (small(f) && numbersIn(body).every(small)) {
            expect(left.size).toBe(0);
            const cashIn = body
              .filter(
                (e) =>
                  e.type === SALES_EVENT_TYPES.saleCompleted || e.type === SALES_EVENT_TYPES.giftCardIssued,
              )
              .reduce(
                (t, e) => t + (e.payload as { tenders: { amountMinor: number }[] }).tenders[0]!.amountMinor,
                0,
              );
            const cashOut = body
              .filter((e) =>
                [SALES_EVENT_TYPES.cashDrop, SALES_EVENT_TYPES.paidOut].includes(e.type as never),
              )
              .reduce((t, e) => t + (e.payload as { amountMinor: number }).amountMinor, 0);
            const refunds = body
              .filter((e) => e.type === SALES_EVENT_TYPES.saleReturned)
              .reduce(
                (t, e) => t + (e.payload as { refunds: { amountMinor: number }[] }).refunds[0]!.amountMinor,
                0,
              );
            expect(z.cash.expectedMinor).toBe(f + cashIn - cashOut - refunds);
          }
          expect(xReport(events).excluded).toEqual(z.excluded);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
