import type { Line } from '../pricing-input.ts';
import type { Candidate, Phase } from './apply-kinds.ts';
import { compileSelector, type LineTest } from './eligibility.ts';
import { basketKinds, groupedKinds, type Promotion, type PromotionInput, parsePromotions } from './schema.ts';

/**
 * Validated promotions in canonical order (priority desc, then id), with their selectors compiled.
 * Compile once when promotions arrive and reuse for every cart; `priceCart` also caches by array identity.
 */
export interface PromotionBook {
  readonly promotions: readonly CompiledPromotion[];
}

export interface CompiledPromotion {
  readonly p: Promotion;
  readonly rank: number;
  readonly phase: Phase;
  readonly tests: readonly LineTest[];
}

const cache = new WeakMap<object, PromotionBook>();

export function compilePromotions(input: readonly PromotionInput[]): PromotionBook {
  const hit = cache.get(input);
  if (hit) return hit;
  const parsed = parsePromotions(input);
  const sorted = [...parsed].sort(
    (a, b) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const book: PromotionBook = {
    promotions: sorted.map((p, rank) => ({
      p,
      rank,
      phase: phaseOf(p),
      tests: selectorsOf(p).map(compileSelector),
    })),
  };
  cache.set(input, book);
  return book;
}

export const isPromotionBook = (x: unknown): x is PromotionBook =>
  typeof x === 'object' && x !== null && !Array.isArray(x) && 'promotions' in x;

const phaseOf = (p: Promotion): Phase => (groupedKinds.has(p.kind) ? 0 : basketKinds.has(p.kind) ? 2 : 1);

function selectorsOf(p: Promotion) {
  switch (p.kind) {
    case 'buyXGetY':
      return p.get.target === undefined ? [p.buy.target] : [p.buy.target, p.get.target];
    case 'mixAndMatch':
      return p.components.map((c) => c.target);
    default:
      return [p.target];
  }
}

/** The promotion as seen by one cart: which lines each of its selectors matches. */
export function toCandidate(cp: CompiledPromotion, lines: readonly Line[]): Candidate {
  const targets = cp.tests.map((t) => lines.filter((l) => t(l.src)).map((l) => l.i));
  const touch = [...new Set(targets.flat())].sort((a, b) => a - b);
  const desc = targets.map((t) => [...t].sort((a, b) => lines[b]!.unitMinor - lines[a]!.unitMinor || a - b));
  const asc = targets.map((t) => [...t].sort((a, b) => lines[a]!.unitMinor - lines[b]!.unitMinor || a - b));
  return { p: cp.p, rank: cp.rank, phase: cp.phase, targets, touch, desc, asc };
}
