import type { CashierFigures } from '../../contracts/index.ts';
import type { EventEnvelope } from '../../core/index.ts';
import { checkedAdd } from '../../core/index.ts';
import {
  type CartLineVoided,
  SALES_EVENT_TYPES,
  type SaleCompleted,
  type SaleReturned,
  type SaleVoided,
} from '../events.ts';

/**
 * A shift's figures per cashier, for the X and Z reports: each event counts for the user it names as
 * its actor, so a switch of cashier mid-shift splits the shift between them. Events from a till older
 * than sign-in name nobody and count for the shift's cashier. Pure, like the report around it.
 */
export function cashierBreakdown(events: readonly EventEnvelope[], shiftCashier: string): CashierFigures[] {
  const rows = new Map<string, CashierFigures>();
  const row = (userId: string): CashierFigures => {
    let r = rows.get(userId);
    if (!r) {
      r = {
        userId,
        sales: { count: 0, netMinor: 0 },
        refunds: { count: 0, totalMinor: 0 },
        voids: { count: 0, totalMinor: 0 },
        noSales: 0,
        discounts: { count: 0, totalMinor: 0 },
      };
      rows.set(userId, r);
    }
    return r;
  };
  for (const e of events) {
    const who = e.actor ?? shiftCashier;
    if (e.type === SALES_EVENT_TYPES.saleCompleted) {
      const s = e.payload as SaleCompleted;
      const r = row(who);
      r.sales.count++;
      r.sales.netMinor = checkedAdd(r.sales.netMinor, s.netMinor);
      const given = new Set<string>();
      for (const l of s.lines)
        for (const d of l.discounts ?? []) {
          if (d.source === 'promotion') continue;
          given.add(d.id);
          r.discounts.totalMinor = checkedAdd(r.discounts.totalMinor, d.amountMinor);
        }
      r.discounts.count += given.size;
    } else if (e.type === SALES_EVENT_TYPES.saleReturned) {
      const r = row(who);
      r.refunds.count++;
      r.refunds.totalMinor = checkedAdd(r.refunds.totalMinor, (e.payload as SaleReturned).totals.grossMinor);
    } else if (e.type === SALES_EVENT_TYPES.saleVoided || e.type === SALES_EVENT_TYPES.cartLineVoided) {
      const r = row(who);
      r.voids.count++;
      r.voids.totalMinor = checkedAdd(
        r.voids.totalMinor,
        (e.payload as SaleVoided | CartLineVoided).grossMinor,
      );
    } else if (e.type === SALES_EVENT_TYPES.noSale) row(who).noSales++;
  }
  return [...rows.values()].sort((a, b) => (a.userId < b.userId ? -1 : 1));
}
