/**
 * Pricebooks: the price of a SKU at a store at an instant. Prices are entries, never edited: a chain
 * default, a price zone's price, or a store override, each effective from an instant and optionally
 * until one (exclusive). The price in force is the entry of the most specific scope in force
 * (store, then zone, then chain); within a scope, the one that started last; for equal starts, the
 * one recorded last (highest id). Pure: HQ and tills resolve with the same function.
 */
export type PriceScopeKind = 'chain' | 'zone' | 'store';

export interface PriceEntry {
  /** Recording order, unique: a correction recorded later wins over an entry with the same start. */
  readonly id: number;
  readonly sku: string;
  readonly scope: PriceScopeKind;
  /** The zone or store id; '' for the chain. */
  readonly scopeId: string;
  readonly priceMinor: number;
  /** ISO instant. */
  readonly effectiveFrom: string;
  /** ISO instant, exclusive; absent or null: open-ended. */
  readonly effectiveTo?: string | null;
}

export interface PriceLocation {
  readonly storeId: string;
  readonly zoneId?: string | undefined;
}

const RANK: Record<PriceScopeKind, number> = { chain: 0, zone: 1, store: 2 };

const ms = (iso: string): number => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new RangeError(`"${iso}" is not an instant`);
  return t;
};

/** Whether the entry's scope covers the location (whatever the time). */
export const appliesTo = (e: PriceEntry, where: PriceLocation): boolean =>
  e.scope === 'chain' ||
  (e.scope === 'zone' && where.zoneId !== undefined && e.scopeId === where.zoneId) ||
  (e.scope === 'store' && e.scopeId === where.storeId);

export const inForceAt = (e: PriceEntry, t: number): boolean =>
  ms(e.effectiveFrom) <= t && (e.effectiveTo == null || t < ms(e.effectiveTo));

/** True when `a` wins over `b` (both in force at the same location and instant). */
const beats = (a: PriceEntry, b: PriceEntry): boolean => {
  if (RANK[a.scope] !== RANK[b.scope]) return RANK[a.scope] > RANK[b.scope];
  const fa = ms(a.effectiveFrom);
  const fb = ms(b.effectiveFrom);
  return fa !== fb ? fa > fb : a.id > b.id;
};

/** The entry in force for `sku` at `where` and `at`, or undefined when none is. */
export function priceInForce(
  entries: readonly PriceEntry[],
  sku: string,
  where: PriceLocation,
  at: string | Date,
): PriceEntry | undefined {
  const t = typeof at === 'string' ? ms(at) : at.getTime();
  let best: PriceEntry | undefined;
  for (const e of entries) {
    if (e.sku !== sku || !appliesTo(e, where) || !inForceAt(e, t)) continue;
    if (!best || beats(e, best)) best = e;
  }
  return best;
}

/**
 * The entries a till at `where` needs from `now` on: those of its scopes that can still be in force at
 * some instant ≥ now. An entry is dropped when it has ended, or when a later-starting, open-ended
 * entry of the same scope has already begun (it can never win again). So scheduled changes travel
 * with the price in force, and `priceInForce` on the result agrees with it on the full history for
 * every instant from `now` (property-tested).
 */
export function entriesFrom(
  entries: readonly PriceEntry[],
  where: PriceLocation,
  now: string | Date,
): PriceEntry[] {
  const t = typeof now === 'string' ? ms(now) : now.getTime();
  const mine = entries.filter((e) => appliesTo(e, where) && (e.effectiveTo == null || ms(e.effectiveTo) > t));
  return mine.filter(
    (e) =>
      !mine.some(
        (f) =>
          f !== e &&
          f.sku === e.sku &&
          f.scope === e.scope &&
          f.scopeId === e.scopeId &&
          f.effectiveTo == null &&
          ms(f.effectiveFrom) <= t &&
          (ms(f.effectiveFrom) > ms(e.effectiveFrom) || (f.effectiveFrom === e.effectiveFrom && f.id > e.id)),
      ),
  );
}
