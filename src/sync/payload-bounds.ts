import { type ShopLimits, textProblem } from '../core/index.ts';
import type { EventKind } from './event-kinds.ts';

/**
 * The checks every stored payload passes whatever its event type, by walking it rather than by listing
 * fields: each text (value or key) is safe to store at the `note` limit, each number is finite and
 * within what a shop can do for a field of its name, lists of lines are not longer than a sale can be,
 * and nesting stays shallow. A new field or event type is covered the day it is added, and no
 * projection, sum or jsonb column ever meets a value it cannot hold or read back.
 */
export interface PayloadProblem {
  /** Dotted path from `payload`, e.g. `payload.lines.0.qty`. */
  field: string;
  reason: string;
}

const COUNTS = new Set(['count', 'salesCount', 'noSaleCount', 'returnsCount', 'zNumber', 'lineNo']);
const RATES_BP = new Set(['taxRateBp', 'percentBp']);
const RATES_PPM = new Set(['ratePpm', 'taxRatePpm']);
const STOCK_QTYS = new Set(['countedQty', 'expectedQty', 'variance']);
const LISTS = new Set(['lines', 'tenders', 'refunds', 'discounts', 'failedRefunds', 'promotions', 'tax']);
/** Counters a till keeps (Z numbers, line numbers, coins counted): far beyond any shop, well inside 2^53. */
const COUNT_MAX = 100_000_000;
const MAX_DEPTH = 12;

interface Bound {
  max: number;
  what: string;
}

/** The largest magnitude a number under this key may have, and what that maximum is called. */
function boundFor(
  kind: EventKind | undefined,
  key: string,
  parent: string,
  depth: number,
  l: ShopLimits,
): Bound {
  if (key.endsWith('Minor')) {
    if (kind?.bounds?.topLevelMinor === 'gift card' && depth === 1)
      return { max: l.maxGiftCardMinor, what: 'maxGiftCardMinor' };
    return { max: l.maxAmountMinor, what: 'maxAmountMinor' };
  }
  if (key === 'qty')
    return kind?.bounds?.qty === 'till line'
      ? { max: l.maxLineQty, what: 'maxLineQty' }
      : { max: l.maxStockQty, what: 'maxStockQty' };
  if (STOCK_QTYS.has(key)) return { max: l.maxStockQty, what: 'maxStockQty' };
  if (parent === 'measure' && (key === 'amount' || key === 'per'))
    return { max: l.maxWeightGrams, what: 'maxWeightGrams' };
  if (COUNTS.has(key) || key === 'originalLineNo') return { max: COUNT_MAX, what: 'a count' };
  if (RATES_BP.has(key)) return { max: 100_000, what: 'a rate in basis points' };
  if (RATES_PPM.has(key)) return { max: 10_000_000, what: 'a rate in parts per million' };
  // A number under a name no rule knows: an amount at most, in a type HQ projects; exact in any other.
  return kind
    ? { max: l.maxAmountMinor, what: 'maxAmountMinor' }
    : { max: Number.MAX_SAFE_INTEGER, what: 'an exact integer (2^53)' };
}

export interface PayloadBoundsOptions {
  /** The event's type as HQ knows it (its payload went through its schema); undefined when unknown. */
  kind: EventKind | undefined;
  limits: ShopLimits;
}

/**
 * Whether a value nests deeper than the rules allow, found without recursion: a forged payload a
 * hundred thousand levels deep must be refused, not overflow the stack of every walk after this one.
 */
export function nestedTooDeep(value: unknown, max = MAX_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** The first problem with a payload about to be stored, or undefined when it may be stored. */
export function payloadProblem(payload: unknown, opts: PayloadBoundsOptions): PayloadProblem | undefined {
  return walk(payload, 'payload', '', '', 0, opts);
}

function walk(
  value: unknown,
  path: string,
  key: string,
  parent: string,
  depth: number,
  o: PayloadBoundsOptions,
): PayloadProblem | undefined {
  if (depth > MAX_DEPTH) return { field: path, reason: `is nested deeper than ${MAX_DEPTH} levels` };
  if (typeof value === 'string') {
    const problem = textProblem(value, 'note', { multiline: true });
    return problem ? { field: path, reason: problem } : undefined;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { field: path, reason: 'is not a finite number' };
    const b = boundFor(o.kind, key, parent, depth, o.limits);
    if (Math.abs(value) > b.max)
      return { field: path, reason: `${value} is beyond what a shop can do (${b.what} is ${b.max})` };
    return undefined;
  }
  if (Array.isArray(value)) {
    if (LISTS.has(key) && value.length > o.limits.maxLines)
      return { field: path, reason: `has ${value.length} entries; at most ${o.limits.maxLines} (maxLines)` };
    for (const [i, v] of value.entries()) {
      // An array's entries are named by the array: `lines.3.qty` is a line's qty.
      const p = walk(v, `${path}.${i}`, key, parent, depth + 1, o);
      if (p) return p;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const keyProblem = textProblem(k, 'reason');
      if (keyProblem) return { field: `${path}.${k}`, reason: `its name ${keyProblem}` };
      const p = walk(v, `${path}.${k}`, k, key, depth + 1, o);
      if (p) return p;
    }
  }
  return undefined;
}
