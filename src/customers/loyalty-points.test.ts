import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOYALTY_PROGRAMME, type LoyaltyProgramme } from '../contracts/index.ts';
import {
  type EarnLine,
  earnPoints,
  pointsForValue,
  pointsToReverse,
  pointsValueMinor,
  tierFor,
  twelveMonthSpend,
} from './loyalty-points.ts';

const programme: LoyaltyProgramme = {
  ...DEFAULT_LOYALTY_PROGRAMME,
  enabled: true,
  pointsPerUnit: 1,
  categories: { snacks: 20_000, tobacco: 0 },
  stores: { S002: { pointsPerUnit: 3 }, S009: { enabled: false } },
};

const line = fc.record({
  lineNo: fc.nat(1000),
  netMinor: fc.integer({ min: -5_000, max: 5_000_000 }),
  qty: fc.integer({ min: 1, max: 50 }),
  categoryIds: fc.subarray(['snacks', 'tobacco', 'dairy']),
  storedValue: fc.boolean(),
});
const sale = fc.record({
  lines: fc.array(line, { minLength: 1, maxLength: 12 }),
  tierMultiplierBp: fc.integer({ min: 0, max: 30_000 }),
  storeId: fc.constantFrom('S001', 'S002', 'S009'),
  currency: fc.constantFrom('EUR', 'JPY', 'KWD'),
  paidWithPointsMinor: fc.nat(1_000_000),
});
type Sale = {
  lines: EarnLine[];
  storeId: string;
  currency: string;
  tierMultiplierBp: number;
  paidWithPointsMinor: number;
};
const earn = (s: Sale) => {
  const grossMinor = s.lines.reduce((a, l) => a + Math.max(0, l.netMinor), 0) + 1;
  return earnPoints(programme, {
    ...s,
    grossMinor,
    paidWithPointsMinor: Math.min(grossMinor, s.paidWithPointsMinor),
  });
};

describe('earning points', () => {
  it('a 23.99 basket earns 23 points, double on snacks, none on tobacco or gift cards', () => {
    const base = {
      storeId: 'S001',
      currency: 'EUR',
      tierMultiplierBp: 10_000,
      grossMinor: 0,
      paidWithPointsMinor: 0,
    };
    const lines: EarnLine[] = [
      { lineNo: 1, netMinor: 1_999, qty: 1 },
      { lineNo: 2, netMinor: 400, qty: 2, categoryIds: ['snacks'] },
      { lineNo: 3, netMinor: 900, qty: 1, categoryIds: ['tobacco'] },
      { lineNo: 4, netMinor: 5_000, qty: 1, storedValue: true },
    ];
    const gross = 8_299;
    const r = earnPoints(programme, { ...base, lines, grossMinor: gross });
    expect(r.points).toBe(27); // 19.99 + 2 × 4.00 = 27.99 → 27
    expect(r.linePoints.reduce((a, b) => a + b, 0)).toBe(27);
    expect(r.linePoints[2]).toBe(0);
    expect(r.linePoints[3]).toBe(0);
    expect(earnPoints(programme, { ...base, lines, grossMinor: gross, storeId: 'S002' }).points).toBe(83);
    expect(earnPoints(programme, { ...base, lines, grossMinor: gross, storeId: 'S009' }).points).toBe(0);
    expect(earnPoints({ ...programme, enabled: false }, { ...base, lines, grossMinor: gross }).points).toBe(
      0,
    );
  });

  it('is a whole number, never negative, spread over the lines exactly', () => {
    fc.assert(
      fc.property(sale, (s) => {
        const r = earn(s);
        expect(Number.isSafeInteger(r.points)).toBe(true);
        expect(r.points).toBeGreaterThanOrEqual(0);
        expect(r.linePoints.reduce((a, b) => a + b, 0)).toBe(r.points);
        r.linePoints.forEach((p, i) => {
          expect(p).toBeGreaterThanOrEqual(0);
          if (s.lines[i]!.storedValue) expect(p).toBe(0);
        });
      }),
    );
  });

  it('never earns on gift card or store credit lines, whatever they cost', () => {
    fc.assert(
      fc.property(sale, fc.integer({ min: 1, max: 10_000_000 }), (s, extra) => {
        const withCard = {
          ...s,
          lines: [...s.lines, { lineNo: 999, netMinor: extra, qty: 1, storedValue: true }],
        };
        const grossMinor = s.lines.reduce((a, l) => a + Math.max(0, l.netMinor), 0) + 1;
        const input = {
          storeId: s.storeId,
          currency: s.currency,
          tierMultiplierBp: s.tierMultiplierBp,
          grossMinor,
          paidWithPointsMinor: 0,
        };
        expect(earnPoints(programme, { ...input, lines: withCard.lines }).points).toBe(
          earnPoints(programme, { ...input, lines: s.lines }).points,
        );
      }),
    );
  });

  it('spending more never earns fewer points', () => {
    fc.assert(
      fc.property(sale, fc.nat(1_000_000), fc.nat(11), (s, more, at) => {
        const i = at % s.lines.length;
        const input = {
          storeId: s.storeId,
          currency: s.currency,
          tierMultiplierBp: s.tierMultiplierBp,
          grossMinor: 10_000_000,
          paidWithPointsMinor: 0,
        };
        const bigger = s.lines.map((l, k) =>
          k === i ? { ...l, netMinor: Math.max(0, l.netMinor) + more } : l,
        );
        const smaller = s.lines.map((l, k) => (k === i ? { ...l, netMinor: Math.max(0, l.netMinor) } : l));
        expect(earnPoints(programme, { ...input, lines: bigger }).points).toBeGreaterThanOrEqual(
          earnPoints(programme, { ...input, lines: smaller }).points,
        );
      }),
    );
  });
});

describe('returns take points back', () => {
  const soldLine = fc.record({ linePoints: fc.nat(10_000), qtySold: fc.integer({ min: 1, max: 40 }) });

  it('returning every unit, in any number of partial returns, takes back exactly what was earned', () => {
    fc.assert(
      fc.property(
        fc.array(soldLine, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(40), { maxLength: 6 }),
        (lines, parts) => {
          const returned = lines.map(() => 0);
          let taken = 0;
          for (const p of parts) {
            const now = lines.map((l, i) => Math.min(l.qtySold - returned[i]!, p));
            taken += pointsToReverse(
              lines.map((l, i) => ({ ...l, qtyReturnedBefore: returned[i]!, qtyReturnedNow: now[i]! })),
            );
            now.forEach((n, i) => {
              returned[i]! += n;
            });
            expect(taken).toBeLessThanOrEqual(lines.reduce((a, l) => a + l.linePoints, 0));
          }
          taken += pointsToReverse(
            lines.map((l, i) => ({
              ...l,
              qtyReturnedBefore: returned[i]!,
              qtyReturnedNow: l.qtySold - returned[i]!,
            })),
          );
          expect(taken).toBe(lines.reduce((a, l) => a + l.linePoints, 0));
        },
      ),
    );
  });

  it('a return of more units than were sold takes back no more than the line earned', () => {
    expect(pointsToReverse([{ linePoints: 10, qtySold: 2, qtyReturnedBefore: 1, qtyReturnedNow: 5 }])).toBe(
      5,
    );
  });
});

describe('spending points and tiers', () => {
  it('100 points pay 1.00; 1.01 needs 101 points; never more value than points', () => {
    expect(pointsValueMinor(programme, 250, 'EUR')).toBe(250);
    expect(pointsForValue(programme, 101, 'EUR')).toBe(101);
    expect(pointsValueMinor(programme, 250, 'JPY')).toBe(2);
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.constantFrom('EUR', 'JPY', 'KWD'), (v, c) => {
        expect(pointsValueMinor(programme, pointsForValue(programme, v, c), c)).toBeGreaterThanOrEqual(v);
      }),
    );
  });

  it('the tier follows the spend of the last 365 days', () => {
    const now = new Date('2026-12-03T12:00:00Z');
    const spend = twelveMonthSpend(
      [
        { at: '2025-12-01T10:00:00Z', spendMinor: 900_000 },
        { at: '2026-06-01T10:00:00Z', spendMinor: 60_000 },
      ],
      now,
    );
    expect(spend).toBe(60_000);
    expect(tierFor(programme.tiers, spend).name).toBe('silver');
    expect(tierFor(programme.tiers, 0).name).toBe('bronze');
    expect(tierFor(programme.tiers, 150_000).name).toBe('gold');
  });
});
