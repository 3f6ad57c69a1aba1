import { allocate, mulDiv } from '../../core/index.ts';
import type { ManualEffect } from '../manual.ts';
import { type Line, measuredUnitMinor } from '../pricing-input.ts';
import type { Promotion } from './schema.ts';

/**
 * How each kind of promotion takes money off, given which units are still free. Unit accounting is per
 * line (a count of free units) rather than per unit object, so a line of 500 screws costs the same as
 * a line of 1. Everything rounds once per application, half away from zero.
 */

/** 0: multi-unit deals (claim sets), 1: per-unit price cuts, 2: basket discounts. */
export type Phase = 0 | 1 | 2;

export interface Candidate {
  readonly p: Promotion;
  /** Position in canonical order (priority desc, id asc); also the candidate's index. */
  readonly rank: number;
  readonly phase: Phase;
  /** Matching line indices per selector: [target] or [buy, get] or one per mix-and-match component. */
  readonly targets: readonly (readonly number[])[];
  /** The same lines ordered by unit price, dearest first (ties: canonical order); computed once per cart. */
  readonly desc: readonly (readonly number[])[];
  /** Cheapest first (ties: canonical order). */
  readonly asc: readonly (readonly number[])[];
  /** Every line the promotion can look at. */
  readonly touch: readonly number[];
}

export interface Entry {
  readonly rank: number;
  readonly line: number;
  readonly amount: number;
  readonly units: number;
}

export interface State {
  /** Units per line not yet claimed by a standard or exclusive promotion. */
  readonly free: number[];
  /** Discount so far per line. */
  readonly disc: number[];
  readonly entries: Entry[];
  /** Whether to keep entries: only the final pricing needs them, the search needs totals. */
  readonly record: boolean;
  /** Cashier discounts, which take part in the search because they act on what promotions leave. */
  readonly manual: ManualEffect[];
}

export const freshState = (lines: readonly Line[], record = true): State => ({
  free: lines.map((l) => l.qty),
  disc: lines.map(() => 0),
  entries: [],
  record,
  manual: [],
});

export const cloneState = (s: State): State => ({
  free: [...s.free],
  disc: [...s.disc],
  entries: s.record ? [...s.entries] : [],
  record: s.record,
  manual: s.record ? [...s.manual] : [],
});

/** Restricts an evaluation to some lines (a conflict component); null means the whole cart. */
export type Only = Uint8Array | null;

const isIn = (only: Only, i: number): boolean => only === null || only[i] === 1;

/**
 * Applies one promotion's effect line by line as it is found, and (when recording) keeps one entry per
 * line for the explanation.
 */
class Effects {
  private readonly amount = new Map<number, number>();
  private readonly units = new Map<number, number>();
  constructor(
    private readonly s: State,
    private readonly consume: boolean,
  ) {}
  add(line: number, amount: number, units: number): void {
    const s = this.s;
    s.disc[line] = s.disc[line]! + amount;
    if (this.consume) s.free[line] = s.free[line]! - units;
    if (!s.record) return;
    this.amount.set(line, (this.amount.get(line) ?? 0) + amount);
    this.units.set(line, (this.units.get(line) ?? 0) + units);
  }
  commit(rank: number): void {
    if (!this.s.record) return;
    for (const [line, units] of [...this.units].sort((a, b) => a[0] - b[0]))
      this.s.entries.push({ rank, line, amount: this.amount.get(line) ?? 0, units });
  }
}

interface Run {
  line: number;
  n: number;
  unit: number;
}

/** Free units of the given lines, most expensive first (ties: canonical line order). */
function runsDesc(lines: readonly Line[], desc: readonly number[], s: State, only: Only): Run[] {
  const runs: Run[] = [];
  for (const i of desc) {
    const n = s.free[i]!;
    if (n > 0 && isIn(only, i)) runs.push({ line: i, n, unit: lines[i]!.unitMinor });
  }
  return runs;
}

/**
 * Walks free units most expensive first in groups of `size`, calling `fn` with each complete group
 * (as line segments) and how many identical groups it stands for. Identical groups inside one line are
 * handed over at once, so 1,000 units cost one call, not 500.
 */
function forEachGroup(
  runs: readonly Run[],
  size: number,
  maxGroups: number,
  fn: (segs: Run[], mult: number) => boolean,
): void {
  let r = 0;
  let used = 0;
  let left = maxGroups;
  while (left > 0 && r < runs.length) {
    const run = runs[r]!;
    const rem = run.n - used;
    if (rem >= size) {
      const mult = Math.min(Math.floor(rem / size), left);
      if (!fn([{ line: run.line, n: size, unit: run.unit }], mult)) return;
      used += mult * size;
      left -= mult;
    } else {
      const segs: Run[] = [];
      let need = size;
      let rr = r;
      let uu = used;
      while (need > 0 && rr < runs.length) {
        const cur = runs[rr]!;
        const take = Math.min(need, cur.n - uu);
        segs.push({ line: cur.line, n: take, unit: cur.unit });
        need -= take;
        uu += take;
        if (uu === cur.n) {
          rr++;
          uu = 0;
        }
      }
      if (need > 0 || !fn(segs, 1)) return;
      r = rr;
      used = uu;
      left--;
      continue;
    }
    if (used === run.n) {
      r++;
      used = 0;
    }
  }
}

/** Discount on `n` units of a line from a per-unit kind, on list price. */
function perUnitOff(p: Promotion, line: Line, n: number): number {
  switch (p.kind) {
    case 'percentOff':
      return mulDiv(n * line.unitMinor, p.percentBp, 10_000);
    case 'amountOff':
      return n * Math.min(p.amountMinor, line.unitMinor);
    case 'fixedPrice': {
      const m = line.src.measure;
      const price = m ? measuredUnitMinor(m, p.priceMinor) : p.priceMinor;
      return n * Math.max(0, line.unitMinor - price);
    }
    default:
      return 0;
  }
}

const perCart = (p: Promotion): number => p.limits?.perCart ?? Number.MAX_SAFE_INTEGER;

/** Applies one candidate to the state. `stack` means: on what is left to pay, claiming no units. */
export function applyCandidate(
  c: Candidate,
  lines: readonly Line[],
  s: State,
  only: Only,
  stack: boolean,
): void {
  const p = c.p;
  const grouped = p.kind === 'buyXGetY' || p.kind === 'multiBuy' || p.kind === 'mixAndMatch';
  const fx = new Effects(
    s,
    grouped || ((p.kind === 'percentOff' || p.kind === 'amountOff' || p.kind === 'fixedPrice') && !stack),
  );
  switch (p.kind) {
    case 'percentOff':
    case 'amountOff':
    case 'fixedPrice': {
      let left = perCart(p);
      // With a unit limit the customer gets it on the dearest units.
      const idx = p.limits?.perCart ? c.desc[0]! : c.targets[0]!;
      for (const i of idx) {
        if (left <= 0) break;
        if (!isIn(only, i)) continue;
        const line = lines[i]!;
        if (stack) {
          const net = line.listMinor - s.disc[i]!;
          const n = Math.min(line.qty, left);
          const off = stackedOff(p, line, n, net);
          if (off > 0) {
            fx.add(i, off, n);
            left -= n;
          }
        } else {
          const n = Math.min(s.free[i]!, left);
          const off = n > 0 ? perUnitOff(p, line, n) : 0;
          if (off > 0) {
            fx.add(i, off, n);
            left -= n;
          }
        }
      }
      fx.commit(c.rank);
      return;
    }
    case 'buyXGetY':
      if (p.get.target === undefined) sameSetBxgy(p, c, lines, s, only, fx);
      else crossSetBxgy(p, c, lines, s, only, fx);
      fx.commit(c.rank);
      return;
    case 'multiBuy': {
      const runs = runsDesc(lines, c.desc[0]!, s, only);
      forEachGroup(runs, p.qty, perCart(p), (segs, mult) => {
        const sum = segs.reduce((t, g) => t + g.n * g.unit, 0);
        // Dearest units come first, so once a set is not worth it, no later set is.
        if (sum <= p.priceMinor) return false;
        const parts = allocate(
          sum - p.priceMinor,
          segs.map((g) => g.n * g.unit),
        );
        segs.forEach((g, k) => {
          fx.add(g.line, parts[k]! * mult, g.n * mult);
        });
        return true;
      });
      fx.commit(c.rank);
      return;
    }
    case 'mixAndMatch':
      mixAndMatch(p, c, lines, s, only, fx);
      fx.commit(c.rank);
      return;
    case 'spendThreshold':
    case 'basketOff':
      basket(p, c, lines, s, only, fx);
      fx.commit(c.rank);
      return;
  }
}

/** A per-unit kind applied on top of earlier discounts, capped at what is still payable. */
function stackedOff(p: Promotion, line: Line, n: number, net: number): number {
  if (net <= 0) return 0;
  switch (p.kind) {
    case 'percentOff':
      return mulDiv(net, n * p.percentBp, line.qty * 10_000);
    case 'amountOff':
      return Math.min(net, n * p.amountMinor);
    case 'fixedPrice': {
      const m = line.src.measure;
      const price = m ? measuredUnitMinor(m, p.priceMinor) : p.priceMinor;
      return Math.max(0, Math.min(net, mulDiv(net, n, line.qty) - n * price));
    }
    default:
      return 0;
  }
}

type Bxgy = Extract<Promotion, { kind: 'buyXGetY' }>;

/** "Buy 2 get 1 free" within one set: groups of 3, dearest first; the group's cheapest unit is free. */
function sameSetBxgy(p: Bxgy, c: Candidate, lines: readonly Line[], s: State, only: Only, fx: Effects): void {
  const x = p.buy.qty;
  const y = p.get.qty;
  const runs = runsDesc(lines, c.desc[0]!, s, only);
  forEachGroup(runs, x + y, perCart(p), (segs, mult) => {
    // Positions [from, to) within the group (dearest first) are the discounted units.
    const from = p.applyTo === 'cheapest' ? x : 0;
    const to = from + y;
    let pos = 0;
    let total = 0;
    const effects: [number, number, number][] = [];
    for (const g of segs) {
      const lo = Math.max(pos, from);
      const hi = Math.min(pos + g.n, to);
      const got = Math.max(0, hi - lo);
      const off = got > 0 ? mulDiv(got * g.unit, p.get.percentBp, 10_000) : 0;
      total += off;
      effects.push([g.line, off * mult, g.n * mult]);
      pos += g.n;
    }
    if (total <= 0) return false;
    for (const [line, amount, units] of effects) fx.add(line, amount, units);
    return true;
  });
}

/**
 * "Buy a shampoo, get a conditioner half price": each application takes `buy.qty` qualifying units
 * (preferring ones that could not be the gift, cheapest first) and then `get.qty` gift units.
 */
function crossSetBxgy(
  p: Bxgy,
  c: Candidate,
  lines: readonly Line[],
  s: State,
  only: Only,
  fx: Effects,
): void {
  const getSet = new Set(c.targets[1]!);
  const cheapBuys = c.asc[0]!.filter((i) => isIn(only, i));
  const buyIdx = [...cheapBuys.filter((i) => !getSet.has(i)), ...cheapBuys.filter((i) => getSet.has(i))];
  const giftIdx = (p.applyTo === 'cheapest' ? c.asc[1]! : c.desc[1]!).filter((i) => isIn(only, i));
  const free = [...s.free];
  const take = (idx: readonly number[], qty: number, into: [number, number][]): boolean => {
    let need = qty;
    for (const i of idx) {
      if (need === 0) break;
      const n = Math.min(need, free[i]!);
      if (n > 0) {
        free[i] = free[i]! - n;
        into.push([i, n]);
        need -= n;
      }
    }
    return need === 0;
  };
  for (let app = 0; app < perCart(p); app++) {
    const bought: [number, number][] = [];
    const gifts: [number, number][] = [];
    if (!take(buyIdx, p.buy.qty, bought) || !take(giftIdx, p.get.qty, gifts)) return;
    const offs = gifts.map(([i, n]) => mulDiv(n * lines[i]!.unitMinor, p.get.percentBp, 10_000));
    if (offs.every((o) => o === 0)) return;
    for (const [i, n] of bought) fx.add(i, 0, n);
    gifts.forEach(([i, n], k) => {
      fx.add(i, offs[k]!, n);
    });
  }
}

type MixAndMatch = Extract<Promotion, { kind: 'mixAndMatch' }>;

/** A meal deal: the dearest free unit(s) of each component, as long as the set costs more than the deal. */
function mixAndMatch(
  p: MixAndMatch,
  c: Candidate,
  lines: readonly Line[],
  s: State,
  only: Only,
  fx: Effects,
): void {
  const orders = c.desc.map((idx) => idx.filter((i) => isIn(only, i)));
  const free = [...s.free];
  for (let app = 0; app < perCart(p); app++) {
    const picked: [number, number][] = [];
    for (let k = 0; k < p.components.length; k++) {
      let need = p.components[k]!.qty;
      for (const i of orders[k]!) {
        if (need === 0) break;
        const n = Math.min(need, free[i]!);
        if (n > 0) {
          free[i] = free[i]! - n;
          picked.push([i, n]);
          need -= n;
        }
      }
      if (need > 0) return;
    }
    const weights = picked.map(([i, n]) => n * lines[i]!.unitMinor);
    const sum = weights.reduce((a, b) => a + b, 0);
    if (sum <= p.priceMinor) return;
    const parts = allocate(sum - p.priceMinor, weights);
    picked.forEach(([i, n], k) => {
      fx.add(i, parts[k]!, n);
    });
  }
}

type Basket = Extract<Promotion, { kind: 'spendThreshold' | 'basketOff' }>;

/** The best tier reached by `spend`, or null. */
export function reachedTier(
  p: Basket,
  spend: number,
): { amountOffMinor?: number; percentOffBp?: number } | null {
  if (p.kind === 'basketOff') return p;
  let best: (typeof p.tiers)[number] | null = null;
  for (const t of p.tiers)
    if (spend >= t.minSpendMinor && (!best || t.minSpendMinor > best.minSpendMinor)) best = t;
  return best;
}

function basket(p: Basket, c: Candidate, lines: readonly Line[], s: State, only: Only, fx: Effects): void {
  const idx = c.targets[0]!.filter((i) => isIn(only, i));
  const nets = idx.map((i) => lines[i]!.listMinor - s.disc[i]!);
  const net = nets.reduce((a, b) => a + b, 0);
  const basis = p.kind === 'spendThreshold' && p.basis === 'list';
  const spend = basis ? idx.reduce((t, i) => t + lines[i]!.listMinor, 0) : net;
  const tier = reachedTier(p, spend);
  if (!tier || net <= 0) return;
  const off =
    tier.amountOffMinor !== undefined
      ? Math.min(tier.amountOffMinor, net)
      : mulDiv(net, tier.percentOffBp ?? 0, 10_000);
  if (off <= 0) return;
  const parts = allocate(off, nets);
  idx.forEach((i, k) => {
    if (parts[k]! > 0) fx.add(i, parts[k]!, lines[i]!.qty);
  });
}
