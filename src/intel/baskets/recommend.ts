/**
 * "Bought together": the products to suggest for a basket, from the rules whose antecedent the basket
 * holds. Each matching rule votes for its consequent; the votes are combined (the best one, their sum,
 * or a noisy-or), and best sellers fill the list when the rules run out.
 */
import type { Rules } from './rules.ts';

/**
 * How the votes of a product's matching rules add up; `max-sum`: the best vote, ties split by their sum;
 * `power`: the sum of each vote to the power `exponent` (between the sum, 1, and the best vote, ∞).
 */
export type Combine = 'max' | 'sum' | 'noisy-or' | 'max-sum' | 'power';

export interface RuleSet {
  rules: Rules;
  /** Rule k's vote (default: its confidence). */
  weight?: Float64Array;
  /** How much this rule set counts next to the others (default 1). */
  scale?: number;
}

/** Rules bucketed by the smallest code of their antecedent, so a basket visits only rules it may hold. */
export interface RuleIndex {
  set: RuleSet;
  start: Int32Array;
  order: Int32Array;
}

export function indexRules(set: RuleSet, itemCount: number): RuleIndex {
  const { rules } = set;
  const start = new Int32Array(itemCount + 1);
  for (let k = 0; k < rules.size; k++) {
    const first = rules.antecedent[rules.antOffsets[k] as number] as number;
    start[first + 1] = (start[first + 1] as number) + 1;
  }
  for (let i = 0; i < itemCount; i++) start[i + 1] = (start[i + 1] as number) + (start[i] as number);
  const fill = start.slice(0, itemCount);
  const order = new Int32Array(rules.size);
  for (let k = 0; k < rules.size; k++) {
    const first = rules.antecedent[rules.antOffsets[k] as number] as number;
    order[fill[first] as number] = k;
    fill[first] = (fill[first] as number) + 1;
  }
  return { set, start, order };
}

/** Reusable scratch for many baskets over one product dictionary. */
export class Recommender {
  private readonly inBasket: Int32Array;
  /** The sum (or noisy-or) of a product's votes, and its best vote. */
  private readonly score: Float64Array;
  private readonly best: Float64Array;
  private readonly votedAt: Int32Array;
  private readonly touched: number[] = [];
  private stamp = 0;

  constructor(
    readonly itemCount: number,
    private readonly indexes: RuleIndex[],
    /** Product codes from the best selling down. */
    private readonly bestSellers: ArrayLike<number>,
    private readonly combine: Combine = 'max',
    private readonly exponent = 4,
  ) {
    this.inBasket = new Int32Array(itemCount);
    this.score = new Float64Array(itemCount);
    this.best = new Float64Array(itemCount);
    this.votedAt = new Int32Array(itemCount);
  }

  /**
   * Up to `k` products not in `basket`, best first. `context`: more votes (product → vote) from outside
   * the rules, such as the customer's own earlier baskets, combined like a rule's.
   */
  recommend(basket: ArrayLike<number>, k: number, context?: ReadonlyMap<number, number>): number[] {
    const stamp = ++this.stamp;
    for (let i = 0; i < basket.length; i++) this.inBasket[basket[i] as number] = stamp;
    for (const c of this.touched) {
      this.score[c] = 0;
      this.best[c] = 0;
    }
    this.touched.length = 0;
    for (const ix of this.indexes) this.vote(ix, basket, stamp);
    if (context) for (const [y, v] of context) if (this.inBasket[y] !== stamp) this.add(y, v, stamp);
    const { score, best } = this;
    const byBest = this.combine === 'max' || this.combine === 'max-sum';
    const bySum = this.combine !== 'max';
    const picked = this.touched
      .sort(
        (a, b) =>
          (byBest ? (best[b] as number) - (best[a] as number) : 0) ||
          (bySum ? (score[b] as number) - (score[a] as number) : 0) ||
          a - b,
      )
      .slice(0, k);
    const out = picked;
    const taken = new Set(out);
    for (let i = 0; i < this.bestSellers.length && out.length < k; i++) {
      const c = this.bestSellers[i] as number;
      if (this.inBasket[c] !== stamp && !taken.has(c)) out.push(c);
    }
    return out;
  }

  private vote(ix: RuleIndex, basket: ArrayLike<number>, stamp: number): void {
    const { rules, weight, scale = 1 } = ix.set;
    const conf = weight ?? rules.confidence;
    for (let i = 0; i < basket.length; i++) {
      const first = basket[i] as number;
      // A product first seen after the rules were mined starts no rule.
      if (first + 1 >= ix.start.length) continue;
      for (let j = ix.start[first] as number; j < (ix.start[first + 1] as number); j++) {
        const r = ix.order[j] as number;
        const y = rules.consequent[r] as number;
        if (this.inBasket[y] === stamp) continue;
        let holds = true;
        for (let a = (rules.antOffsets[r] as number) + 1; a < (rules.antOffsets[r + 1] as number); a++)
          if (this.inBasket[rules.antecedent[a] as number] !== stamp) {
            holds = false;
            break;
          }
        if (!holds) continue;
        this.add(y, (conf[r] as number) * scale, stamp);
      }
    }
  }

  private add(y: number, v: number, stamp: number): void {
    const s = this.score[y] as number;
    if (this.votedAt[y] !== stamp) {
      this.votedAt[y] = stamp;
      this.touched.push(y);
    }
    this.best[y] = Math.max(this.best[y] as number, v);
    this.score[y] =
      this.combine === 'noisy-or'
        ? 1 - (1 - s) * (1 - Math.min(v, 0.999999))
        : this.combine === 'power'
          ? s + v ** this.exponent
          : s + v;
  }
}
