/**
 * The recommender the evaluation measures and HQ would serve: pairwise rules mined at a low count, rules
 * with longer antecedents mined at a higher one (they are many, and rare ones overfit), each rule's vote
 * its confidence shrunk towards zero by a pseudo-count (a rule seen in few baskets says less), combined
 * over every rule a basket holds.
 */
import type { BasketTable } from './basket-builder.ts';
import { fpGrowth } from './fp-growth.ts';
import { type Combine, indexRules, Recommender, type RuleSet } from './recommend.ts';
import { type Rules, rulesFrom } from './rules.ts';

export interface ModelOptions {
  /** Baskets a pairwise rule must be in. */
  minCount: number;
  /** Largest antecedent (1: pairwise rules only). */
  maxAntecedent: number;
  /** Baskets a rule with a longer antecedent must be in. */
  minCountLong: number;
  /** Pseudo-count k: a rule votes count / (antecedent count + k) instead of its confidence. */
  shrink: number;
  combine: Combine;
  /** Weight of the longer rules' votes next to the pairwise ones. */
  longScale: number;
  /**
   * A rule's vote: its (shrunk) confidence, or its added value over the consequent's base rate
   * (confidence − support of the consequent alone, that is confidence × (1 − 1/lift)), which keeps
   * every popular product from collecting votes from every basket.
   */
  vote: 'confidence' | 'added';
  /** Exponent of `power` combining. */
  exponent: number;
  /** A basket this many days older than the newest counts half (0: all count alike). */
  halfLifeDays: number;
}

export const PAIRWISE: ModelOptions = {
  minCount: 20,
  maxAntecedent: 1,
  minCountLong: 20,
  shrink: 0,
  combine: 'max',
  longScale: 1,
  exponent: 4,
  halfLifeDays: 0,
  vote: 'confidence',
};

/** Chosen on the 2011-11-09 window (see docs/BASKETS.md), then checked on the others. */
export const DEFAULT_MODEL: ModelOptions = {
  minCount: 10,
  maxAntecedent: 1,
  minCountLong: 30,
  shrink: 20,
  combine: 'max',
  longScale: 1,
  exponent: 4,
  halfLifeDays: 180,
  vote: 'added',
};

/** Codes from the best selling (in most baskets) down. */
export function bestSellers(t: BasketTable, limit = 200): Int32Array {
  const freq = new Float64Array(t.itemCount);
  for (let i = 0; i < t.items.length; i++)
    freq[t.items[i] as number] = (freq[t.items[i] as number] as number) + 1;
  const codes = Array.from({ length: t.itemCount }, (_, i) => i).filter((c) => (freq[c] as number) > 0);
  codes.sort((a, b) => (freq[b] as number) - (freq[a] as number) || a - b);
  return Int32Array.from(codes.slice(0, limit));
}

function votes(rules: Rules, o: ModelOptions): Float64Array | undefined {
  if (o.shrink === 0 && o.vote === 'confidence') return undefined;
  return Float64Array.from(rules.count, (c, r) => {
    const conf = rules.confidence[r] as number;
    const v = c / (c / conf + o.shrink);
    return o.vote === 'added' ? Math.max(1e-9, v - conf / (rules.lift[r] as number)) : v;
  });
}

export interface TrainedModel {
  recommender: Recommender;
  rules: Rules[];
}

/** Recency weights scaled to average 1, so a minimum count keeps its meaning in baskets. */
export function recencyWeights(train: BasketTable, halfLifeDays: number): Float64Array | undefined {
  if (halfLifeDays <= 0 || train.timeMs.length === 0) return undefined;
  let newest = Number.NEGATIVE_INFINITY;
  for (const t of train.timeMs) newest = Math.max(newest, t);
  const w = Float64Array.from(train.timeMs, (t) => 0.5 ** ((newest - t) / 86_400_000 / halfLifeDays));
  const mean = w.reduce((a, b) => a + b, 0) / w.length;
  return w.map((x) => x / mean);
}

export function trainModel(input: BasketTable, o: ModelOptions, itemCount = input.itemCount): TrainedModel {
  const train = { ...input, weights: recencyWeights(input, o.halfLifeDays) };
  const n = train.offsets.length - 1;
  const pairs = rulesFrom(fpGrowth(train, { minCount: o.minCount, maxLength: 2 }), n, { maxAntecedent: 1 });
  const sets: RuleSet[] = [{ rules: pairs, weight: votes(pairs, o) }];
  const all = [pairs];
  if (o.maxAntecedent >= 2) {
    const long = rulesFrom(fpGrowth(train, { minCount: o.minCountLong, maxLength: o.maxAntecedent + 1 }), n, {
      minAntecedent: 2,
    });
    sets.push({ rules: long, weight: votes(long, o), scale: o.longScale });
    all.push(long);
  }
  const recommender = new Recommender(
    itemCount,
    sets.map((s) => indexRules(s, itemCount)),
    bestSellers(train),
    o.combine,
    o.exponent,
  );
  return { recommender, rules: all };
}
