import type { Promotion } from './schema.ts';

/**
 * The rules of a promotion's use limits, over plain data, so HQ's reservation (a row-locked count in
 * SQL) and the property tests agree on one definition. A use is "active" when it is confirmed (a sale
 * recorded it) or reserved and not yet expired (a till asked and may still commit); released and
 * expired uses count for nothing.
 */
export interface UseLimits {
  readonly total?: number | undefined;
  readonly perCustomer?: number | undefined;
  readonly perCode?: number | undefined;
}

/** Active uses that compete with a new request: all of the promotion's, the customer's, the code's. */
export interface ActiveUses {
  readonly total: number;
  readonly customer: number;
  readonly code: number;
}

export interface UseRequest {
  readonly customerId?: string | undefined;
  /** Upper-cased, as the till presents it. */
  readonly couponCode?: string | undefined;
}

export type UseRefusal = 'fully_redeemed' | 'customer_limit' | 'code_used' | 'needs_customer' | 'needs_code';

export type UseDecision = { readonly ok: true } | { readonly ok: false; readonly reason: UseRefusal };

/** The limits HQ counts: `perCart` is the engine's own business. */
export function countedLimitsOf(p: Pick<Promotion, 'limits'>): UseLimits | undefined {
  const l = p.limits;
  if (!l || (l.total === undefined && l.perCustomer === undefined && l.perCode === undefined))
    return undefined;
  return { total: l.total, perCustomer: l.perCustomer, perCode: l.perCode };
}

/** How many uses one till may give while HQ is unreachable (see contracts/promotions.ts). */
export function offlineAllowance(p: Pick<Promotion, 'limits'>): number {
  const l = p.limits;
  if (l?.offlinePerTill !== undefined) return l.offlinePerTill;
  return l?.perCode !== undefined ? 0 : 2;
}

/** Whether one more use fits; refusals name the limit reached, checked widest first. */
export function decideUse(limits: UseLimits, active: ActiveUses, req: UseRequest): UseDecision {
  if (limits.total !== undefined && active.total >= limits.total)
    return { ok: false, reason: 'fully_redeemed' };
  if (limits.perCustomer !== undefined) {
    if (!req.customerId) return { ok: false, reason: 'needs_customer' };
    if (active.customer >= limits.perCustomer) return { ok: false, reason: 'customer_limit' };
  }
  if (limits.perCode !== undefined) {
    if (!req.couponCode) return { ok: false, reason: 'needs_code' };
    if (active.code >= limits.perCode) return { ok: false, reason: 'code_used' };
  }
  return { ok: true };
}

/** What the cashier reads when HQ refuses a use ("SPRING10: fully redeemed"). */
export function refusalText(name: string, reason: UseRefusal): string {
  const why: Record<UseRefusal, string> = {
    fully_redeemed: 'fully redeemed across the chain',
    customer_limit: 'this customer has used it as often as allowed',
    code_used: 'this coupon code has been used already',
    needs_customer: 'needs an identified customer',
    needs_code: 'needs a coupon code',
  };
  return `${name}: ${why[reason]}`;
}

export type UseState = 'reserved' | 'confirmed' | 'released';

/** One use as HQ's ledger keeps it, reduced to what the limits read. */
export interface UseRow {
  readonly state: UseState;
  /** Milliseconds since the epoch; a reservation past it no longer counts. */
  readonly expiresAt: number;
  readonly customerId?: string | undefined;
  readonly couponCode?: string | undefined;
}

export const isActive = (u: UseRow, now: number): boolean =>
  u.state === 'confirmed' || (u.state === 'reserved' && u.expiresAt > now);

/** Counts the active uses a request competes with. */
export function activeUses(rows: Iterable<UseRow>, req: UseRequest, now: number): ActiveUses {
  let total = 0;
  let customer = 0;
  let code = 0;
  for (const u of rows) {
    if (!isActive(u, now)) continue;
    total += 1;
    if (req.customerId !== undefined && u.customerId === req.customerId) customer += 1;
    if (req.couponCode !== undefined && u.couponCode === req.couponCode) code += 1;
  }
  return { total, customer, code };
}
