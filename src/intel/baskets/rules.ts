/**
 * Association rules from frequent itemsets: for each itemset S and each item y in it, the rule
 * S \ {y} → y with support = count(S) / baskets, confidence = count(S) / count(S \ {y}) and
 * lift = confidence / (count(y) / baskets). One item on the right: a rule is read as "who has these
 * also buys that", which is what the till and the dashboard recommend.
 */
import type { Itemsets } from './fp-growth.ts';

/** Rule k: `antecedent[antOffsets[k] … antOffsets[k+1])` (ascending codes) → `consequent[k]`. */
export interface Rules {
  antecedent: Int32Array;
  antOffsets: Int32Array;
  consequent: Int32Array;
  /** Baskets (by weight) holding antecedent and consequent. */
  count: Float64Array;
  support: Float64Array;
  confidence: Float64Array;
  lift: Float64Array;
  size: number;
  /** The (weighted) number of baskets mined. */
  baskets: number;
}

export interface RuleOptions {
  /** Smallest confidence kept (default 0). */
  minConfidence?: number;
  /** Largest antecedent (default: any the itemsets allow). */
  maxAntecedent?: number;
  /** Smallest antecedent (default 1). */
  minAntecedent?: number;
}

const keyOf = (items: Int32Array, from: number, to: number, skip: number): string => {
  let k = '';
  for (let i = from; i < to; i++) if (i !== skip) k += `${items[i]},`;
  return k;
};

export function rulesFrom(sets: Itemsets, baskets: number, o: RuleOptions = {}): Rules {
  const minConfidence = o.minConfidence ?? 0;
  const maxAnt = o.maxAntecedent ?? Number.POSITIVE_INFINITY;
  const minAnt = o.minAntecedent ?? 1;
  const countOf = new Map<string, number>();
  const single = new Map<number, number>();
  for (let k = 0; k < sets.size; k++) {
    const from = sets.offsets[k] as number;
    const to = sets.offsets[k + 1] as number;
    countOf.set(keyOf(sets.items, from, to, -1), sets.count[k] as number);
    if (to - from === 1) single.set(sets.items[from] as number, sets.count[k] as number);
  }
  const ant: number[] = [];
  const antOffsets = [0];
  const cons: number[] = [];
  const count: number[] = [];
  const conf: number[] = [];
  const lift: number[] = [];
  for (let k = 0; k < sets.size; k++) {
    const from = sets.offsets[k] as number;
    const to = sets.offsets[k + 1] as number;
    if (to - from - 1 < Math.max(1, minAnt) || to - from - 1 > maxAnt) continue;
    const c = sets.count[k] as number;
    for (let y = from; y < to; y++) {
      // Downward closure: every subset of a frequent itemset is itself in the list.
      const antCount = countOf.get(keyOf(sets.items, from, to, y)) as number;
      const confidence = c / antCount;
      if (confidence < minConfidence) continue;
      const item = sets.items[y] as number;
      for (let i = from; i < to; i++) if (i !== y) ant.push(sets.items[i] as number);
      antOffsets.push(ant.length);
      cons.push(item);
      count.push(c);
      conf.push(confidence);
      lift.push(confidence / ((single.get(item) as number) / baskets));
    }
  }
  return {
    antecedent: Int32Array.from(ant),
    antOffsets: Int32Array.from(antOffsets),
    consequent: Int32Array.from(cons),
    count: Float64Array.from(count),
    support: Float64Array.from(count, (c) => c / baskets),
    confidence: Float64Array.from(conf),
    lift: Float64Array.from(lift),
    size: cons.length,
    baskets,
  };
}
