import { PRICE_ENDING_CHOICES } from '../contracts/index.ts';
import { invalid, mulDiv } from '../core/index.ts';

/**
 * A bulk price change as pure integer maths: raise or lower by a percentage (basis points), by an
 * amount, or set a price, then round to a price ending (".99") or not at all. Money stays in minor
 * units; a percentage is applied once, rounded half away from zero, so no float ever holds a price.
 */
export type PriceChange =
  | { kind: 'percent' /** Basis points: 500 = +5 %, -1000 = −10 %. */; bp: number }
  | { kind: 'amount' /** Minor units added (negative: taken off). */; minor: number }
  | { kind: 'set'; minor: number };

/** The last two minor digits a rounded price ends in ("99" → 4.99), or none. */
export const PRICE_ENDINGS = PRICE_ENDING_CHOICES;
export type PriceEnding = (typeof PRICE_ENDINGS)[number];

/** One step of price endings: an ending repeats every 100 minor units. */
const STEP = 100;

/** Which way a price may move to reach its ending: a raise rounds up, a cut rounds down, a set price to the nearest. */
export type EndingDirection = 'up' | 'down' | 'nearest';

/**
 * The price at or above zero that ends in `ending`: at or above `minor` (up), at or below it (down,
 * unless that is below zero), or the nearer of the two (ties go up). So a raise never lowers a price
 * and a cut never raises one; either moves less than one step (100 minor units) to reach its ending.
 */
export function roundToEnding(
  minor: number,
  ending: PriceEnding,
  direction: EndingDirection = 'nearest',
): number {
  if (ending === 'none') return minor;
  const e = Number(ending);
  const base = Math.floor(minor / STEP) * STEP + e;
  const below = base <= minor ? base : base - STEP;
  const above = below === minor ? below : below + STEP;
  if (below < 0 || direction === 'up') return above;
  if (direction === 'down') return below;
  return minor - below < above - minor ? below : above;
}

/** round(minor × num / den), half away from zero: the scaling a percentage (or its inverse) makes. */
export const scaleMinor = (minor: number, num: number, den: number): number => mulDiv(minor, num, den);

/** The new price of one product; throws naming `field` when the change would take it below zero. */
export function changedPrice(
  oldMinor: number,
  change: PriceChange,
  ending: PriceEnding,
  field = 'change.value',
): number {
  let raw: number;
  if (change.kind === 'percent') {
    if (change.bp <= -10_000) throw invalid(field, 'a price cannot fall by 100 % or more');
    raw = scaleMinor(oldMinor, 10_000 + change.bp, 10_000);
  } else if (change.kind === 'amount') raw = oldMinor + change.minor;
  else raw = change.minor;
  if (!Number.isSafeInteger(raw)) throw invalid(field, 'the new price is beyond whole minor units');
  if (raw < 0) throw invalid(field, `would take a price of ${oldMinor} below zero`);
  const sign = change.kind === 'percent' ? change.bp : change.kind === 'amount' ? change.minor : 0;
  const direction = sign > 0 ? 'up' : sign < 0 ? 'down' : 'nearest';
  return roundToEnding(raw, ending, direction);
}

export interface PriceChangeLine {
  sku: string;
  name: string;
  oldMinor: number;
  newMinor: number;
}

/** The change for each product given, in their order: one line per product, none added or lost. */
export function planPriceChanges(
  products: readonly { sku: string; name: string; oldMinor: number }[],
  change: PriceChange,
  ending: PriceEnding,
): PriceChangeLine[] {
  return products.map((p) => {
    try {
      return { ...p, newMinor: changedPrice(p.oldMinor, change, ending) };
    } catch (e) {
      // Say which product the change does not fit, so the user can leave it out.
      if (e instanceof Error) e.message = `${e.message} (${p.sku} ${p.name})`;
      throw e;
    }
  });
}

/**
 * A percentage as typed ("5", "-12.5") in basis points; more than two decimals cannot be applied
 * exactly and is refused rather than silently rounded.
 */
export function percentToBp(percent: number, field = 'change.value'): number {
  const bp = Math.round(percent * 100);
  if (!Number.isFinite(percent) || Math.abs(percent * 100 - bp) > 1e-6)
    throw invalid(field, `${percent} %: give at most two decimals`);
  return bp;
}
