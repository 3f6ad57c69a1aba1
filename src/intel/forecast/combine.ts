/**
 * Learns how much of the global model each series should take, from the held-out forecasts both sides
 * made of the last observed days (the local model's latest backtest fold, the global model's validation
 * window). The loss is the one the forecasts are judged by: RMSSE averaged over hierarchy levels (the
 * panel total, each static attribute, each series), weighted by recent dollar (or unit) sales, so a weight
 * that helps single SKUs but biases the store totals is not chosen. Series are bucketed by recent sales
 * level (a dense seller and a mostly-zero SKU need different mixes) and the bucket weights found by
 * coordinate descent over a grid.
 */
import type { Panel, SeriesForecast } from './panel.ts';

export const WEIGHT_GRID = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1] as const;

export interface CombineOptions {
  /** Sales-level buckets, each with its own weight (1: one weight for the panel); 0: by panel size. */
  buckets: number;
  /** Weight used where nothing can be learned (no overlapping backtest). */
  fallback: number;
}

export const defaultCombineOptions: CombineOptions = { buckets: 0, fallback: 0.7 };

/** Series per bucket at least, so each learned weight rests on enough held-out days; at most 5 buckets. */
export const SERIES_PER_BUCKET = 150;

export interface LearnedWeights {
  /** Weight of the global model per series. */
  perSeries: Float64Array;
  /** Weight per bucket and the bucket's upper edge (recent mean daily sales). */
  buckets: { upTo: number; weight: number }[];
  /** Validation loss with the learned weights, all-local and all-global (for the record). */
  loss: { learned: number; local: number; global: number };
}

interface Group {
  /** Member series (indices into the validation rows). */
  members: number[];
  weight: number;
  scale: number;
}

/**
 * `local[i]` and `global[i]` are forecasts of panel series i. Series whose backtests do not overlap on at
 * least a week of observed days take the fallback weight and are left out of the loss.
 */
export function learnWeights(
  panel: Panel,
  local: readonly SeriesForecast[],
  global: readonly (SeriesForecast | undefined)[],
  o: CombineOptions = defaultCombineOptions,
): LearnedWeights {
  const n = panel.series.length;
  // The common validation days: the global model's window (the same for every series of a panel).
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const g of global) {
    if (!g?.backtest) continue;
    start = Math.min(start, g.backtest.start);
    end = Math.max(end, g.backtest.start + g.backtest.mean.length - 1);
  }
  const perSeries = new Float64Array(n).fill(o.fallback);
  const none = {
    perSeries,
    buckets: [],
    loss: { learned: Number.NaN, local: Number.NaN, global: Number.NaN },
  };
  if (!Number.isFinite(start)) return none;
  const H = end - start + 1;
  // Validation rows: series with both backtests on every validation day they have actuals for.
  const rows: number[] = [];
  const actual: Float64Array[] = [];
  const L: Float64Array[] = [];
  const G: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const s = panel.series[i];
    const lb = local[i]?.backtest;
    const gb = global[i]?.backtest;
    if (!s || !lb || !gb || local[i]?.model.startsWith('fallback')) continue;
    const a = new Float64Array(H);
    const l = new Float64Array(H);
    const g = new Float64Array(H);
    let ok = 0;
    for (let j = 0; j < H; j++) {
      const t = start + j;
      const y = s.history[t] as number;
      const lv = lb.mean[t - lb.start];
      const gv = gb.mean[t - gb.start];
      if (Number.isNaN(y) || lv === undefined || gv === undefined || Number.isNaN(lv) || Number.isNaN(gv)) {
        continue;
      }
      a[j] = y;
      l[j] = lv;
      g[j] = gv;
      ok++;
    }
    if (ok < 7) continue;
    rows.push(i);
    actual.push(a);
    L.push(l);
    G.push(g);
  }
  if (rows.length === 0) return none;

  // Recent sales level (the 28 days before validation) buckets the series; dollars weight them.
  const priceName = Object.keys(panel.series[rows[0] as number]?.numeric ?? {}).find((k) => /price/i.test(k));
  const level = new Float64Array(rows.length);
  const dollars = new Float64Array(rows.length);
  rows.forEach((si, r) => {
    const s = panel.series[si];
    if (!s) return;
    let units = 0;
    let days = 0;
    for (let t = Math.max(0, start - 28); t < start; t++) {
      const y = s.history[t] as number;
      if (Number.isNaN(y)) continue;
      const p = priceName ? (s.numeric[priceName]?.[t] ?? Number.NaN) : 1;
      units += y;
      days++;
      if (!Number.isNaN(p)) dollars[r] = (dollars[r] as number) + y * p;
    }
    level[r] = days > 0 ? units / days : 0;
  });

  const groups = hierarchyGroups(panel, rows, dollars, start);
  const nBuckets =
    o.buckets > 0 ? o.buckets : Math.max(1, Math.min(5, Math.floor(rows.length / SERIES_PER_BUCKET)));
  const bucketOf = bucketEdges(level, nBuckets);
  const bucket = Int32Array.from(level, (v) => bucketOf.findIndex((e) => v <= e));
  const w = new Float64Array(bucketOf.length).fill(o.fallback);
  const lossAt = (wb: Float64Array): number => hierarchyLoss(groups, actual, L, G, bucket, wb, H);

  let best = lossAt(w);
  for (let pass = 0; pass < 3; pass++) {
    let changed = false;
    for (let b = 0; b < w.length; b++) {
      for (const cand of WEIGHT_GRID) {
        const keep = w[b] as number;
        if (cand === keep) continue;
        w[b] = cand;
        const l = lossAt(w);
        if (l < best - 1e-9) {
          best = l;
          changed = true;
        } else w[b] = keep;
      }
    }
    if (!changed) break;
  }
  const allLocal = lossAt(new Float64Array(w.length).fill(0));
  const allGlobal = lossAt(new Float64Array(w.length).fill(1));
  rows.forEach((si, r) => {
    perSeries[si] = w[bucket[r] as number] as number;
  });
  // Series left out of the loss take their sales level's bucket weight when they have a level.
  const inRows = new Uint8Array(n);
  for (const si of rows) inRows[si] = 1;
  for (let i = 0; i < n; i++) {
    if (inRows[i]) continue;
    const s = panel.series[i];
    if (!s || s.last < 0) continue;
    let units = 0;
    let days = 0;
    for (let t = Math.max(s.first, s.last - 27); t <= s.last; t++) {
      const y = s.history[t] as number;
      if (!Number.isNaN(y)) {
        units += y;
        days++;
      }
    }
    if (days === 0) continue;
    const b = bucketOf.findIndex((e) => units / days <= e);
    perSeries[i] = w[b < 0 ? w.length - 1 : b] as number;
  }
  return {
    perSeries,
    buckets: bucketOf.map((upTo, b) => ({ upTo, weight: w[b] as number })),
    loss: { learned: best, local: allLocal, global: allGlobal },
  };
}

/** Upper edges of `k` equal-count buckets of `v` (the last is +Infinity). */
function bucketEdges(v: Float64Array, k: number): number[] {
  const sorted = Float64Array.from(v).sort();
  const edges: number[] = [];
  for (let b = 1; b < k; b++) edges.push(sorted[Math.floor((b * sorted.length) / k) - 1] as number);
  edges.push(Number.POSITIVE_INFINITY);
  return edges;
}

/** Groups per level: the panel total, each static attribute, and each series on its own. */
function hierarchyGroups(panel: Panel, rows: number[], dollars: Float64Array, start: number): Group[][] {
  const attrNames = [...new Set(rows.flatMap((si) => Object.keys(panel.series[si]?.attrs ?? {})))].sort();
  const levels: ((si: number) => string)[] = [() => ''];
  for (const a of attrNames) {
    const values = new Set(rows.map((si) => panel.series[si]?.attrs[a] ?? ''));
    // An attribute that names every series (item ids) or none adds nothing over the bottom level.
    if (values.size > 1 && values.size < rows.length) levels.push((si) => panel.series[si]?.attrs[a] ?? '');
  }
  const out: Group[][] = [];
  for (const keyOf of levels) {
    const byKey = new Map<string, number[]>();
    rows.forEach((si, r) => {
      const k = keyOf(si);
      const m = byKey.get(k);
      if (m) m.push(r);
      else byKey.set(k, [r]);
    });
    out.push([...byKey.values()].map((members) => groupOf(panel, rows, members, dollars, start)));
  }
  out.push(rows.map((_, r) => groupOf(panel, rows, [r], dollars, start)));
  return out;
}

function groupOf(
  panel: Panel,
  rows: number[],
  members: number[],
  dollars: Float64Array,
  start: number,
): Group {
  // Scale: mean squared day-to-day change of the group's summed history before validation, from its first sale.
  let from = start;
  for (const r of members)
    from = Math.min(from, Math.max(0, panel.series[rows[r] as number]?.first ?? start));
  const sum = new Float64Array(start - from);
  let weight = 0;
  for (const r of members) {
    weight += dollars[r] as number;
    const h = panel.series[rows[r] as number]?.history;
    if (!h) continue;
    for (let t = from; t < start; t++) {
      const y = h[t] as number;
      if (!Number.isNaN(y)) sum[t - from] = (sum[t - from] as number) + y;
    }
  }
  let lead = 0;
  while (lead < sum.length && (sum[lead] as number) === 0) lead++;
  let ss = 0;
  for (let t = lead + 1; t < sum.length; t++) ss += ((sum[t] as number) - (sum[t - 1] as number)) ** 2;
  const cnt = sum.length - lead - 1;
  return { members, weight, scale: cnt > 0 ? ss / cnt : Number.NaN };
}

function hierarchyLoss(
  levels: Group[][],
  actual: Float64Array[],
  L: Float64Array[],
  G: Float64Array[],
  bucket: Int32Array,
  w: Float64Array,
  H: number,
): number {
  const a = new Float64Array(H);
  const f = new Float64Array(H);
  let total = 0;
  let nLevels = 0;
  for (const groups of levels) {
    let score = 0;
    let wsum = 0;
    for (const g of groups) {
      if (!(g.scale > 0) || !(g.weight > 0)) continue;
      a.fill(0);
      f.fill(0);
      for (const r of g.members) {
        const wr = w[bucket[r] as number] as number;
        const ar = actual[r] as Float64Array;
        const lr = L[r] as Float64Array;
        const gr = G[r] as Float64Array;
        for (let j = 0; j < H; j++) {
          a[j] = (a[j] as number) + (ar[j] as number);
          f[j] = (f[j] as number) + (1 - wr) * (lr[j] as number) + wr * (gr[j] as number);
        }
      }
      let mse = 0;
      for (let j = 0; j < H; j++) mse += ((a[j] as number) - (f[j] as number)) ** 2 / H;
      score += g.weight * Math.sqrt(mse / g.scale);
      wsum += g.weight;
    }
    if (wsum > 0) {
      total += score / wsum;
      nLevels++;
    }
  }
  return nLevels > 0 ? total / nLevels : Number.NaN;
}
