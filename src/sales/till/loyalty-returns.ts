import { LOYALTY_EVENT_TYPES, loyaltyReturnPointsSchema } from '../../customers/index.ts';
import type { SaleCompleted, SaleReturned } from '../events.ts';
import { loyaltyCheckout } from './loyalty-checkout.ts';
import type { RegisterContext } from './register-context.ts';

/**
 * Loyalty on a return against a receipt, kept apart from returns.ts. Refund order: to the original
 * tenders as returns.ts does — cards, then gift cards and store credit, then points, then cash — so
 * points come back last among what the customer paid with (after money that left their card), and a
 * partial return gives back the points' share only once the money tenders are repaid. Points go back at
 * the rate they were spent (all of them when the points tender's whole value comes back). The earned
 * points of the returned lines are taken back in proportion (customers/loyalty-points.ts).
 */
export interface PointsRefund {
  amountMinor: number;
  points: number;
}

const pointsRefunded = (earlier: readonly SaleReturned[]) =>
  earlier
    .flatMap((r) => r.refunds)
    .reduce(
      (s, f) =>
        f.kind === 'loyalty_points'
          ? { amountMinor: s.amountMinor + f.amountMinor, points: s.points + f.points }
          : s,
      { amountMinor: 0, points: 0 },
    );

/** How much of `left` goes back as points, and how many points that is. */
export function pointsBack(
  sale: SaleCompleted,
  earlier: readonly SaleReturned[],
  left: number,
): PointsRefund | undefined {
  const t = sale.tenders.find((x) => x.kind === 'loyalty_points');
  if (t?.kind !== 'loyalty_points' || left <= 0) return undefined;
  const done = pointsRefunded(earlier);
  const room = t.amountMinor - done.amountMinor;
  const amountMinor = Math.min(left, room);
  if (amountMinor <= 0) return undefined;
  const points =
    amountMinor === room
      ? t.points - done.points
      : Math.min(t.points - done.points, Math.floor((t.points * amountMinor) / t.amountMinor));
  return points > 0 ? { amountMinor, points } : undefined;
}

export function loyaltyReturns(ctx: RegisterContext) {
  const checkout = loyaltyCheckout(ctx);
  /** In the return's transaction: the points the returned lines take back and the spent points given back. */
  const record = (sale: SaleCompleted, earlier: readonly SaleReturned[], ret: SaleReturned): void => {
    const earned = checkout.ofSale(sale.saleId);
    if (!earned) return;
    const count = (rs: readonly SaleReturned[]) => {
      const m = new Map<number, number>();
      for (const r of rs)
        for (const l of r.lines)
          if (l.originalLineNo) m.set(l.originalLineNo, (m.get(l.originalLineNo) ?? 0) + l.qty);
      return m;
    };
    const refunded = ret.refunds.reduce((s, f) => s + (f.kind === 'loyalty_points' ? f.points : 0), 0);
    const payload = loyaltyReturnPointsSchema.parse(
      ctx.loyalty.settleReturn({
        sale: earned,
        returnId: ret.returnId,
        returnedBefore: count(earlier),
        returningNow: count([ret]),
        refundedPoints: refunded,
      }),
    );
    if (payload.reversed > 0 || payload.refunded > 0 || payload.eligibleNetMinor > 0)
      ctx.loyalty.recorded(ctx.ledger.append(LOYALTY_EVENT_TYPES.returnPoints, payload).id, payload);
  };
  return { record, pointsBack };
}
