import { applyManualOnBasket, applyManualOnLines, noManual, type PreparedManual } from '../manual.ts';
import type { Line } from '../pricing-input.ts';
import {
  applyCandidate,
  type Candidate,
  cloneState,
  freshState,
  type Only,
  type State,
} from './apply-kinds.ts';

/**
 * Finds the combination of promotions that costs the customer least (before any tax is added).
 *
 * A combination is evaluated in a fixed order: standard multi-unit deals (buy X get Y, multi-buy, meal
 * deals), then standard per-unit cuts, each claiming the units it uses, higher priority first; then every
 * stackable per-unit promotion on what is left to pay; then the cashier's line discounts; then at most one
 * standard basket promotion and every stackable basket promotion, spread over the lines; then the
 * cashier's basket discounts. Cashier discounts take part because a promotion on a line the cashier has
 * already cut by half is worth half as much. Exclusive promotions are each tried alone (with the
 * cashier's discounts).
 *
 * The search:
 * 1. Standard item promotions that can see a common line conflict; the conflict graph's connected
 *    components are independent, so each is searched on its own lines. A component of at most
 *    `exhaustiveUpTo` promotions (default 10) is searched over all subsets, depth first in application
 *    order, extending one state per node (≤ 2^(n+1) − 1 promotion applications, far fewer in practice
 *    because a promotion that takes nothing at a node is not branched on). A stackable item promotion
 *    with a per-cart limit couples the lines (where it lands depends on what standard promotions took), so
 *    with one all standard item promotions form one component priced over the whole cart. A larger
 *    component is searched
 *    greedily: by priority, then stand-alone saving, a promotion is added when it lowers the component's
 *    total, and the best single promotion is kept if better. Stackable per-unit promotions and cashier
 *    line discounts join every evaluation on the component's lines, since they act line by line.
 * 2. With the item choice fixed, each standard basket promotion (or none) is tried with all stackable ones.
 * 3. A spend threshold measured after item discounts (`basis: 'net'`) can be lost by taking an item
 *    discount: while its best tier reachable on shelf prices is not reached, the item promotions on its
 *    qualifying lines are dropped one by one, smallest saving first, and each such combination is priced.
 * 4. Each exclusive promotion alone. The cheapest of all these wins; ties keep the earliest found, and
 *    every list is in canonical order, so the result does not depend on the order of lines or promotions.
 *
 * Exact (the true best) when every component is within the limit, basket promotions cover the whole
 * basket, and spend thresholds are measured on shelf prices: basket discounts are then non-increasing
 * functions of the basket's total, so the best items per component give the best whole. A basket offer on
 * part of the basket or a `net` threshold breaks that separability; the result is then best effort
 * (property tests found one-cent misses with targeted baskets).
 */

export interface SearchOptions {
  readonly exhaustiveUpTo?: number;
}

export interface SearchStats {
  readonly candidates: number;
  readonly components: number;
  readonly largestComponent: number;
  readonly evaluations: number;
  /** False when some component was searched greedily. */
  readonly exhaustive: boolean;
}

export interface SearchResult {
  readonly state: State;
  readonly stats: SearchStats;
}

const byRank = (a: Candidate, b: Candidate): number => a.rank - b.rank;

export function bestCombination(
  lines: readonly Line[],
  candidates: readonly Candidate[],
  standalone: ReadonlyMap<number, number>,
  opts: SearchOptions = {},
  manual: PreparedManual = noManual,
): SearchResult {
  const limit = opts.exhaustiveUpTo ?? 10;
  const sorted = [...candidates].sort(byRank);
  const exclusive = sorted.filter((c) => c.p.stacking === 'exclusive');
  const items = sorted.filter((c) => c.phase !== 2 && c.p.stacking === 'standard');
  const stackItems = sorted.filter((c) => c.phase !== 2 && c.p.stacking === 'stackable');
  const baskets = sorted.filter((c) => c.phase === 2 && c.p.stacking === 'standard');
  const stackBaskets = sorted.filter((c) => c.phase === 2 && c.p.stacking === 'stackable');
  let evaluations = 0;

  const total = (s: State, only: Only): number => {
    let t = 0;
    for (const l of lines) if (only === null || only[l.i] === 1) t += l.listMinor - s.disc[l.i]!;
    return t;
  };
  const saved = (s: State): number => s.disc.reduce((a, b) => a + b, 0);
  /** Everything after the standard item promotions, on the lines `only` allows. */
  const finishItems = (s: State, only: Only): void => {
    for (const c of stackItems) applyCandidate(c, lines, s, only, true);
    applyManualOnLines(manual, lines, s, only);
  };
  const finishBasket = (s: State, basket: Candidate | null): void => {
    if (basket) applyCandidate(basket, lines, s, null, false);
    for (const c of stackBaskets) applyCandidate(c, lines, s, null, true);
    applyManualOnBasket(manual, lines, s);
  };
  const applyItems = (chosen: readonly Candidate[], only: Only, record: boolean): State => {
    evaluations++;
    const s = freshState(lines, record);
    for (const c of [...chosen].sort(applicationOrder)) applyCandidate(c, lines, s, only, false);
    return s;
  };
  /** A whole combination priced from scratch. */
  const run = (chosen: readonly Candidate[], basket: Candidate | null, record = false): State => {
    const s = applyItems(chosen, null, record);
    finishItems(s, null);
    finishBasket(s, basket);
    return s;
  };

  // 1. Item promotions, component by component. A stackable item promotion limited per cart goes to the
  // dearest units it still takes something off, so a standard promotion on one line decides where it lands
  // on another: then the components are not independent, and all item promotions are searched as one,
  // priced over the whole cart.
  const coupled = stackItems.some((c) => c.p.limits?.perCart !== undefined);
  const components = coupled ? (items.length > 0 ? [items] : []) : conflictComponents(items, lines.length);
  let exhaustive = true;
  let largest = 0;
  const chosenItems: Candidate[] = [];
  for (const comp of components) {
    largest = Math.max(largest, comp.length);
    let only: Only = null;
    if (!coupled) {
      const touched = new Uint8Array(lines.length);
      for (const c of comp) for (const i of c.touch) touched[i] = 1;
      only = touched;
    }
    const leaf = (s: State): number => {
      const f = cloneState(s);
      finishItems(f, only);
      return total(f, only);
    };
    let best: Candidate[] = [];
    let bestTotal = leaf(freshState(lines, false));
    if (comp.length <= limit) {
      // Depth-first over include/exclude in application order, extending one state per node instead of
      // re-pricing every subset. Including a promotion that takes nothing off leaves the state unchanged,
      // so that branch is the same as excluding it and is skipped. Include-first with strict improvement
      // keeps, among equally good subsets, the one with the earlier (higher-priority) promotions.
      const order = [...comp].sort(applicationOrder);
      const chosen: Candidate[] = [];
      const dfs = (j: number, s: State): void => {
        if (j === order.length) {
          const t = leaf(s);
          if (t < bestTotal) {
            bestTotal = t;
            best = [...chosen];
          }
          return;
        }
        evaluations++;
        const withIt = cloneState(s);
        const before = saved(withIt);
        applyCandidate(order[j]!, lines, withIt, only, false);
        if (saved(withIt) > before) {
          chosen.push(order[j]!);
          dfs(j + 1, withIt);
          chosen.pop();
        }
        dfs(j + 1, s);
      };
      dfs(0, freshState(lines, false));
    } else {
      exhaustive = false;
      const price = (sel: readonly Candidate[]): number => leaf(applyItems(sel, only, false));
      const order = [...comp].sort(
        (a, b) =>
          b.p.priority - a.p.priority ||
          (standalone.get(b.rank) ?? 0) - (standalone.get(a.rank) ?? 0) ||
          a.rank - b.rank,
      );
      for (const c of order) {
        const t = price([...best, c]);
        if (t < bestTotal) {
          bestTotal = t;
          best = [...best, c];
        }
      }
      for (const c of order) {
        const t = price([c]);
        if (t < bestTotal) {
          bestTotal = t;
          best = [c];
        }
      }
    }
    chosenItems.push(...best);
  }

  // 2. Basket promotions on top of the item choice: the item stage is priced once and copied.
  const itemStage = applyItems(chosenItems, null, false);
  finishItems(itemStage, null);
  let bestTotal = Number.POSITIVE_INFINITY;
  let bestItems: readonly Candidate[] = chosenItems;
  let bestBasket: Candidate | null = null;
  let bestExclusive: Candidate | null = null;
  const consider = (
    t: number,
    itemsUsed: readonly Candidate[],
    basket: Candidate | null,
    excl: Candidate | null,
  ) => {
    if (t < bestTotal) {
      bestTotal = t;
      bestItems = itemsUsed;
      bestBasket = basket;
      bestExclusive = excl;
    }
  };
  for (const b of [null, ...baskets]) {
    evaluations++;
    const s = cloneState(itemStage);
    finishBasket(s, b);
    consider(total(s, null), chosenItems, b, null);
  }

  // 3. Spend thresholds measured after item discounts: give up item discounts to keep the threshold.
  // Only worth trying while the threshold's best reachable tier (on shelf prices) is not reached.
  for (const b of [...baskets, ...stackBaskets]) {
    if (b.p.kind !== 'spendThreshold' || b.p.basis !== 'net') continue;
    const p = b.p;
    const listSpend = b.touch.reduce((t, i) => t + lines[i]!.listMinor, 0);
    const goal = Math.max(...p.tiers.filter((t) => t.minSpendMinor <= listSpend).map((t) => t.minSpendMinor));
    const netSpend = (s: State): number => b.touch.reduce((t, i) => t + lines[i]!.listMinor - s.disc[i]!, 0);
    if (!Number.isFinite(goal) || netSpend(itemStage) >= goal) continue;
    const qualifying = new Set(b.touch);
    const ref = run(bestItems, bestBasket, true);
    const savedBy = new Map<number, number>();
    for (const e of ref.entries) savedBy.set(e.rank, (savedBy.get(e.rank) ?? 0) + e.amount);
    const droppable = bestItems
      .filter((c) => c.touch.some((i) => qualifying.has(i)))
      .sort((x, y) => (savedBy.get(x.rank) ?? 0) - (savedBy.get(y.rank) ?? 0) || y.rank - x.rank);
    let kept = [...bestItems];
    const basket = b.p.stacking === 'standard' ? b : bestBasket;
    for (const d of droppable) {
      kept = kept.filter((c) => c !== d);
      const s = applyItems(kept, null, false);
      finishItems(s, null);
      const reached = netSpend(s) >= goal;
      finishBasket(s, basket);
      consider(total(s, null), kept, basket, null);
      if (reached) break;
    }
  }

  // 4. Exclusive promotions, each alone.
  const exclusiveRun = (x: Candidate, record: boolean): State => {
    evaluations++;
    const s = freshState(lines, record);
    applyCandidate(x, lines, s, null, false);
    applyManualOnLines(manual, lines, s, null);
    applyManualOnBasket(manual, lines, s);
    return s;
  };
  for (const x of exclusive) consider(total(exclusiveRun(x, false), null), [], null, x);

  // The winner, priced once more with its explanation recorded.
  const winner: Candidate | null = bestExclusive;
  const state = winner ? exclusiveRun(winner, true) : run(bestItems, bestBasket, true);
  return {
    state,
    stats: {
      candidates: candidates.length,
      components: components.length,
      largestComponent: largest,
      evaluations,
      exhaustive,
    },
  };
}

/** Multi-unit deals claim their sets first, then per-unit cuts take what is left; priority within each. */
const applicationOrder = (a: Candidate, b: Candidate): number => a.phase - b.phase || a.rank - b.rank;

/** Groups promotions that can see a common line (union-find over lines), each group in rank order. */
function conflictComponents(items: readonly Candidate[], lineCount: number): Candidate[][] {
  const parent = items.map((_, k) => k);
  const find = (k: number): number => {
    while (parent[k] !== k) {
      parent[k] = parent[parent[k]!]!;
      k = parent[k]!;
    }
    return k;
  };
  const owner = new Array<number>(lineCount).fill(-1);
  items.forEach((c, k) => {
    for (const i of c.touch) {
      const o = owner[i]!;
      if (o === -1) owner[i] = k;
      else parent[find(k)] = find(o);
    }
  });
  const groups = new Map<number, Candidate[]>();
  items.forEach((c, k) => {
    const root = find(k);
    const g = groups.get(root) ?? [];
    g.push(c);
    groups.set(root, g);
  });
  return [...groups.values()].map((g) => g.sort(byRank)).sort((a, b) => a[0]!.rank - b[0]!.rank);
}
