import { invalid } from '../../core/index.ts';
import {
  LOYALTY_EVENT_TYPES,
  type LoyaltySalePoints,
  loyaltySalePointsSchema,
  pointsValueMinor,
} from '../../customers/index.ts';
import { type BurnHold, isErasedAtTill } from '../../customers/till/index.ts';
import type { SaleCompleted, Tender } from '../events.ts';
import type { SaleResult } from './checkout.ts';
import type { RegisterContext } from './register-context.ts';
import type { TenderPlan, TenderRequest } from './tenders.ts';

/**
 * Loyalty in the sale path, kept apart from checkout.ts: the points tender's value, HQ's authorisation
 * of the burn before any card is charged, the loyalty event written in the sale's transaction, and the
 * points on the sale's answer. Earning needs no call to HQ (the tier is the till's last known one), so a
 * sale with a customer is as fast as one without; only spending points asks HQ.
 */
export function loyaltyCheckout(ctx: RegisterContext) {
  const { loyalty } = ctx;

  /** Puts the value of a points tender in it (rounded down: points never pay more than they are worth). */
  const priceTenders = (
    tenders: TenderRequest[],
    customerId: string | undefined,
    currency: string,
  ): TenderRequest[] =>
    (tenders ?? []).map((t, i) => {
      if (t?.kind !== 'loyalty_points') return t;
      if (!customerId)
        throw invalid(`tenders[${i}].points`, 'attach the customer to the sale to pay with their points');
      const p = loyalty.programme();
      if (!p.enabled) throw invalid(`tenders[${i}].points`, 'the loyalty programme is off');
      return { ...t, amountMinor: pointsValueMinor(p, t.points, currency) };
    });

  /** HQ's authorisation of the burn (or the offline allowance); undefined when no points are spent. */
  const hold = async (customerId: string | undefined, plan: TenderPlan): Promise<BurnHold | undefined> => {
    if (!plan.points || !customerId) return undefined;
    await loyalty.refresh(customerId);
    return loyalty.holdBurn(customerId, plan.points.points, `tenders[${plan.points.index}].points`);
  };

  const tender = (plan: TenderPlan, h: BurnHold | undefined): Tender[] =>
    plan.points && h
      ? [
          {
            kind: 'loyalty_points',
            amountMinor: plan.points.amountMinor,
            points: plan.points.points,
            ...(h.authId ? { authId: h.authId } : {}),
            ...(h.mode === 'offline' ? { offline: true } : {}),
          },
        ]
      : [];

  /** In the sale's transaction: the customer's points on it, as an event of its own. */
  const record = (sale: SaleCompleted, plan: TenderPlan, h: BurnHold | undefined): void => {
    if (!sale.customerId || !loyalty.programme().enabled) return;
    const payload = loyaltySalePointsSchema.parse(
      loyalty.settleSale({
        customerId: sale.customerId,
        saleId: sale.saleId,
        currency: sale.currency,
        storeId: ctx.requireStore().storeId,
        lines: sale.lines.map((l) => ({
          lineNo: l.lineNo,
          qty: l.qty,
          netMinor: l.netMinor,
          categoryIds: l.categoryIds,
        })),
        grossMinor: sale.grossMinor,
        burn: plan.points && h ? { hold: h, valueMinor: plan.points.amountMinor } : undefined,
      }),
    );
    loyalty.recorded(ctx.ledger.append(LOYALTY_EVENT_TYPES.salePoints, payload).id, payload);
  };

  const ofSale = (saleId: string): LoyaltySalePoints | undefined =>
    ctx.ledger.findByPayload(LOYALTY_EVENT_TYPES.salePoints, 'saleId', saleId)[0]?.payload as
      | LoyaltySalePoints
      | undefined;

  /**
   * The points on a recorded sale, for its answer and its receipt; "as of" when HQ did not confirm them.
   * None once the customer was erased: a reprint shows the sale, not what it said about the person.
   */
  const receiptPoints = (saleId: string) => {
    const p = ofSale(saleId);
    if (!p || isErasedAtTill(ctx.ledger.db, p.customerId)) return undefined;
    const asOf = p.authId ? undefined : loyalty.known(p.customerId)?.asOf;
    return {
      earned: p.earned,
      burned: p.burned,
      balanceAfter: p.balanceAfter,
      tier: p.tier,
      ...(asOf ? { asOf } : {}),
    };
  };

  const withPoints = (r: SaleResult): SaleResult => {
    const l = r.customerId ? receiptPoints(r.saleId) : undefined;
    return l ? { ...r, loyalty: l } : r;
  };

  return { priceTenders, hold, tender, record, release: loyalty.release, ofSale, receiptPoints, withPoints };
}
