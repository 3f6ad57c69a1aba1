import { atOrAfter, before, inWindow, type LocalMoment } from '../local-time.ts';
import type { CartLine, PricingContext } from '../pricing-input.ts';
import { type ItemSelector, type Promotion, weekdays } from './schema.ts';

/**
 * Whether a promotion is in scope for this sale, independent of the cart's contents: where, when,
 * which channel, who, which coupon, and how often it has been used. Returns the reason it is not, for
 * the cashier ("coupon SPRING: members only"), or null when it is.
 */
export function ineligibleReason(
  p: Promotion,
  ctx: PricingContext,
  now: LocalMoment,
  coupons: ReadonlySet<string>,
): string | null {
  const loc = p.locations;
  if (loc) {
    if (loc.excludeStoreIds?.includes(ctx.storeId)) return 'not at this store';
    const listed = loc.storeIds !== undefined || loc.zoneIds !== undefined;
    const inStore = loc.storeIds?.includes(ctx.storeId) ?? false;
    const inZone = loc.zoneIds?.some((z) => ctx.zoneIds?.includes(z)) ?? false;
    if (listed && !inStore && !inZone) return 'not at this store';
  }
  if (p.channels && !p.channels.includes(ctx.channel)) return `not on channel ${ctx.channel}`;
  const s = p.schedule;
  if (s) {
    if (s.from !== undefined && !atOrAfter(now, s.from)) return 'not started yet';
    if (s.to !== undefined && !before(now, s.to)) return 'ended';
    if (s.windows && !s.windows.some((w) => inWindow(now, w.days?.map(dayIndex), w.start, w.end)))
      return 'outside its hours';
  }
  const a = p.audience;
  if (a) {
    if (a.membersOnly && !ctx.customer?.loyaltyMember) return 'members only';
    if (a.segments && !a.segments.some((seg) => ctx.customer?.segments.includes(seg)))
      return 'not for this customer';
  }
  if (p.couponCodes && !p.couponCodes.some((c) => coupons.has(c.toUpperCase()))) return 'needs a coupon';
  const used = ctx.usage?.[p.id];
  if (used?.refused) return used.refused;
  const lim = p.limits;
  if (lim) {
    if (lim.total !== undefined && (used?.total ?? 0) >= lim.total) return 'fully redeemed';
    if (lim.perCustomer !== undefined) {
      if (!ctx.customer) return 'needs an identified customer';
      if ((used?.customer ?? 0) >= lim.perCustomer) return 'already used by this customer';
    }
  }
  return null;
}

const dayIndex = (d: (typeof weekdays)[number]): number => weekdays.indexOf(d);

export type LineTest = (line: CartLine) => boolean;

/** Compiles a selector into a test; sets make 200 promotions × 50 lines cheap. */
export function compileSelector(sel: ItemSelector | undefined): LineTest {
  if (!sel) return () => true;
  const set = (xs: readonly string[] | undefined): Set<string> | null =>
    xs && xs.length > 0 ? new Set(xs) : null;
  const skus = set(sel.skus);
  const cats = set(sel.categoryIds);
  const groups = set(sel.productGroupIds);
  const exSkus = set(sel.excludeSkus);
  const exCats = set(sel.excludeCategoryIds);
  const everything = !skus && !cats && !groups;
  return (l) => {
    if (exSkus?.has(l.sku) || (exCats && l.categoryIds.some((c) => exCats.has(c)))) return false;
    if (everything) return true;
    return (
      (skus?.has(l.sku) ?? false) ||
      (cats !== null && l.categoryIds.some((c) => cats.has(c))) ||
      (groups !== null && l.productGroupIds.some((g) => groups.has(g)))
    );
  };
}
