import { describe, expect, it } from 'vitest';
import type { SaleCompleted } from '../events.ts';
import { pointsBack } from './loyalty-returns.ts';
import { planTenders } from './tenders.ts';

describe('paying with points', () => {
  it('points pay like a card: no change on them, cash covers the rest', () => {
    const plan = planTenders(1_018, [
      { kind: 'loyalty_points', points: 250, amountMinor: 250 },
      { kind: 'cash', tenderedMinor: 1_000 },
    ]);
    expect(plan.points).toEqual({ points: 250, amountMinor: 250, index: 0 });
    expect(plan.cash).toEqual({ amountMinor: 768, tenderedMinor: 1_000, changeMinor: 232 });
    expect(() => planTenders(100, [{ kind: 'loyalty_points', points: 500, amountMinor: 500 }])).toThrow(
      /no change/,
    );
    expect(() =>
      planTenders(1_000, [
        { kind: 'loyalty_points', points: 100, amountMinor: 100 },
        { kind: 'loyalty_points', points: 100, amountMinor: 100 },
        { kind: 'cash', tenderedMinor: 800 },
      ]),
    ).toThrow(/one tender/);
    expect(() => planTenders(1_000, [{ kind: 'loyalty_points', points: 1, amountMinor: 0 }])).toThrow(
      expect.objectContaining({ field: 'tenders[0].points' }),
    );
  });

  it('a return gives points back after the money tenders, at the rate they were spent, never more than were spent', () => {
    const sale = {
      tenders: [{ kind: 'loyalty_points', amountMinor: 300, points: 300 }],
    } as unknown as SaleCompleted;
    expect(pointsBack(sale, [], 100)).toEqual({ amountMinor: 100, points: 100 });
    const earlier = [{ refunds: [{ kind: 'loyalty_points', amountMinor: 250, points: 250 }] }] as never;
    expect(pointsBack(sale, earlier, 999)).toEqual({ amountMinor: 50, points: 50 });
    const all = [{ refunds: [{ kind: 'loyalty_points', amountMinor: 300, points: 300 }] }] as never;
    expect(pointsBack(sale, all, 999)).toBeUndefined();
  });
});
