/**
 * The global gradient-boosted model: one Tweedie model trained across every series of a panel, validated
 * on the last H observed days (early stopping and the interval dispersion both come from that window),
 * then used to forecast each series' horizon from its last observed day.
 */
import { Piscina } from 'piscina';
import { seededRandom } from '../../../core/index.ts';
import { type GbdtModel, type GbdtParams, train } from '../gbdt/index.ts';
import type { Backtest, Panel, Series, SeriesForecast } from '../panel.ts';
import { allocColumns, fillRow, type PanelFeatures, preparePanel } from './features.ts';
import { alphaFor, type DispersionFit, fitDispersion, nbQuantile } from './intervals.ts';
import type { GroupTask } from './worker.ts';

export interface GlobalOptions {
  /** Forecast horizon the model is trained for (k = 1..horizon); longer horizons reuse the last k. */
  horizon: number;
  /** Days of targets per series to train on, ending where the validation window starts. */
  trainDays?: number;
  /** Share of training rows kept (seeded), to trade accuracy for time. */
  rowSample?: number;
  /** Retrain on the validation window too, with the round count validation chose. */
  refit?: boolean;
  /**
   * Weight each series' rows by its recent dollar sales over its scale (what WRMSSE weighs), so the trees
   * spend their splits where the money is.
   */
  weighted?: boolean;
  /** Train with every row's origin H days back (the classic "lags ≥ H" direct model). */
  fixedOrigin?: boolean;
  params?: Partial<GbdtParams>;
  /** Features of the series' store totals (default true). */
  groupFeatures?: boolean;
  seed?: number;
  /**
   * Worker threads for split models (`split`, or panels above MAX_SERIES_PER_MODEL series): groups of whole
   * stores (the `store` attribute, else by position), each with its own model.
   */
  threads?: number;
  /** Train one model per group of whole stores, one group per thread (faster, less accurate). */
  split?: boolean;
  /** Train in a worker thread even for one model, leaving the caller's thread free. */
  inWorker?: boolean;
  onStage?: (stage: string) => void;
  onRound?: (round: number, validLoss: number | null) => void;
}

export const defaultGlobalParams: Partial<GbdtParams> = {
  objective: 'tweedie',
  // 1.1 beat 1.2 on both M5 windows measured (WRMSSE 0.824 vs 0.829, 0.670 vs 0.677).
  tweedieVariancePower: 1.1,
  numRounds: 600,
  learningRate: 0.1,
  numLeaves: 63,
  minDataInLeaf: 100,
  lambdaL2: 1,
  // 63 bins and subsampling: a third of the time of 255 bins on all rows, same accuracy on M5.
  maxBins: 63,
  featureFraction: 0.6,
  baggingFraction: 0.35,
  // 25 rounds without a better validation loss: the M5 models' best rounds (53–92) came out the same as
  // with 50, in a quarter less time; the one that moved (163 → 72 rounds) scored better at item × store.
  earlyStoppingRounds: 25,
  maxDeltaStep: 0,
};

const QUANTILES = [0.1, 0.5, 0.9] as const;

export interface GlobalFit {
  model: GbdtModel;
  features: PanelFeatures;
  dispersion: DispersionFit;
  /** RMSSE of each series on the validation window (NaN when it cannot be scaled). */
  validRmsse: Float64Array;
  /** Each series' held-out forecast of the validation window (from before it), for the ensemble. */
  validMean: Backtest[];
  trainRows: number;
}

function lastObserved(panel: Panel): number {
  let t = -1;
  for (const s of panel.series) t = Math.max(t, s.last);
  return t;
}

interface RowSet {
  columns: Float32Array[];
  label: Float32Array;
  series: Int32Array;
  target: Int32Array;
  n: number;
}

function buildRows(
  pf: PanelFeatures,
  panel: Panel,
  rows: { si: number; t: number; o: number }[] | null,
  gen: ((emit: (si: number, t: number, o: number) => void) => void) | null,
): RowSet {
  const list: number[] = [];
  if (rows) for (const r of rows) list.push(r.si, r.t, r.o);
  if (gen) gen((si, t, o) => list.push(si, t, o));
  const n = list.length / 3;
  const columns = allocColumns(pf.spec.names.length, n);
  const label = new Float32Array(n);
  const series = new Int32Array(n);
  const target = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const si = list[3 * i] as number;
    const t = list[3 * i + 1] as number;
    fillRow(pf, panel, si, t, list[3 * i + 2] as number, columns, i);
    label[i] = panel.series[si]!.history[t] ?? Number.NaN;
    series[i] = si;
    target[i] = t;
  }
  return { columns, label, series, target, n };
}

/** Mean squared day-to-day change of the observed history up to day `end` (the RMSSE scale). */
function scaleOf(h: Float64Array, first: number, end: number): number {
  let s = 0;
  let n = 0;
  for (let t = Math.max(first + 1, 1); t <= end; t++) {
    const a = h[t] as number;
    const b = h[t - 1] as number;
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    s += (a - b) * (a - b);
    n++;
  }
  return n > 0 ? s / n : Number.NaN;
}

export function fitGlobal(panel: Panel, opts: GlobalOptions): GlobalFit {
  const H = opts.horizon;
  const pf = preparePanel(panel, H, { groups: opts.groupFeatures ?? true });
  const T = lastObserved(panel);
  const validStart = T - H + 1;
  const trainDays = opts.trainDays ?? 730;
  const rand = seededRandom(opts.seed ?? 7);
  const rowSample = opts.rowSample ?? 1;
  const params: Partial<GbdtParams> = {
    ...defaultGlobalParams,
    ...opts.params,
    categorical: pf.spec.categorical,
    seed: opts.seed ?? 7,
  };

  const trainRange = (lastTarget: number) => (emit: (si: number, t: number, o: number) => void) => {
    panel.series.forEach((s, si) => {
      if (s.first < 0) return;
      for (let t = Math.max(s.first, lastTarget - trainDays + 1); t <= Math.min(s.last, lastTarget); t++) {
        if (Number.isNaN(s.history[t] as number)) continue;
        if (rowSample < 1 && rand() >= rowSample) continue;
        const k = opts.fixedOrigin ? H : 1 + Math.floor(rand() * H);
        emit(si, t, t - k);
      }
    });
  };
  opts.onStage?.('features');
  const trainSet = buildRows(pf, panel, null, trainRange(validStart - 1));
  const validRows: { si: number; t: number; o: number }[] = [];
  panel.series.forEach((s, si) => {
    for (let t = Math.max(validStart, s.first); t <= s.last; t++) {
      if (!Number.isNaN(s.history[t] as number)) validRows.push({ si, t, o: validStart - 1 });
    }
  });
  const validSet = buildRows(pf, panel, validRows, null);

  opts.onStage?.('train');
  const sw = opts.weighted ? seriesWeights(panel, pf, validStart - 1) : null;
  const rowWeight = (set: RowSet) =>
    sw ? Float32Array.from(set.series, (si) => sw[si] as number) : undefined;
  let model = train(
    { nRows: trainSet.n, columns: trainSet.columns, label: trainSet.label, weight: rowWeight(trainSet) },
    params,
    {
      valid: {
        nRows: validSet.n,
        columns: validSet.columns,
        label: validSet.label,
        weight: rowWeight(validSet),
      },
      onRound: (p) => opts.onRound?.(p.round, p.validLoss),
    },
  );

  opts.onStage?.('intervals');
  const mu = model.predictColumns(validSet.columns, validSet.n);
  const level = new Float64Array(validSet.n);
  const weight = new Float64Array(validSet.n);
  const y = Float64Array.from(validSet.label);
  const scales = panel.series.map((s) => scaleOf(s.history, s.first, validStart - 1));
  const sse = new Float64Array(panel.series.length);
  const cnt = new Float64Array(panel.series.length);
  const mean28 = levelColumn(pf);
  for (let i = 0; i < validSet.n; i++) {
    const si = validSet.series[i] as number;
    level[i] = (validSet.columns[mean28] as Float32Array)[i] as number;
    const sc = scales[si] as number;
    weight[i] = sc > 0 ? 1 / Math.sqrt(sc) : 1;
    sse[si]! += ((y[i] as number) - (mu[i] as number)) ** 2;
    cnt[si]! += 1;
  }
  const dispersion = fitDispersion(level, mu, y, weight, QUANTILES);
  const validMean = panel.series.map(() => ({
    start: validStart,
    mean: new Float64Array(H).fill(Number.NaN),
  }));
  for (let i = 0; i < validSet.n; i++) {
    const v = validMean[validSet.series[i] as number] as Backtest;
    v.mean[(validSet.target[i] as number) - validStart] = mu[i] as number;
  }
  const validRmsse = Float64Array.from(panel.series, (_, si) => {
    const sc = scales[si] as number;
    return (cnt[si] as number) > 0 && sc > 0
      ? Math.sqrt((sse[si] as number) / (cnt[si] as number) / sc)
      : Number.NaN;
  });

  let trainRows = trainSet.n;
  if (opts.refit) {
    opts.onStage?.('refit');
    const all = buildRows(pf, panel, null, trainRange(T));
    trainRows = all.n;
    model = train(
      { nRows: all.n, columns: all.columns, label: all.label, weight: rowWeight(all) },
      { ...params, numRounds: Math.max(1, model.bestRound), earlyStoppingRounds: 0 },
      { onRound: (p) => opts.onRound?.(p.round, null) },
    );
  }
  return { model, features: pf, dispersion, validRmsse, validMean, trainRows };
}

/** Dollar sales of the last 28 days over the RMSSE scale, normalised to mean 1 and clipped to [0.05, 20]. */
function seriesWeights(panel: Panel, pf: PanelFeatures, end: number): Float64Array {
  const w = Float64Array.from(panel.series, (s) => {
    if (s.first < 0 || s.first > end) return Number.NaN;
    const price = pf.priceName ? s.numeric[pf.priceName] : undefined;
    let dollars = 0;
    for (let t = Math.max(s.first, end - 27); t <= end; t++) {
      const y = s.history[t] as number;
      const p = price ? (price[t] as number) : 1;
      if (!Number.isNaN(y) && !Number.isNaN(p)) dollars += y * p;
    }
    const scale = scaleOf(s.history, s.first, end);
    return scale > 0 ? dollars / Math.sqrt(scale) : Number.NaN;
  });
  let sum = 0;
  let n = 0;
  for (const v of w) {
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  const mean = n > 0 && sum > 0 ? sum / n : 1;
  return w.map((v) => (Number.isFinite(v) ? Math.min(20, Math.max(0.05, v / mean)) : 1));
}

function levelColumn(pf: PanelFeatures): number {
  const i = pf.spec.names.indexOf('mean_28');
  if (i < 0) throw new Error('feature mean_28 missing');
  return i;
}

/** Forecasts each series' horizon days from its last observed day. */
export function predictGlobal(panel: Panel, fit: GlobalFit): SeriesForecast[] {
  const rows: { si: number; t: number; o: number }[] = [];
  const T = lastObserved(panel);
  panel.series.forEach((s, si) => {
    // A series with no history forecasts from the panel's last day (all its history features are missing).
    const o = s.last >= 0 ? s.last : T;
    for (const t of s.horizon) rows.push({ si, t, o: Math.min(o, t - 1) });
  });
  const set = buildRows(fit.features, panel, rows, null);
  const mu = fit.model.predictColumns(set.columns, set.n);
  const mean28 = levelColumn(fit.features);
  const out: SeriesForecast[] = [];
  let i = 0;
  panel.series.forEach((s, si) => {
    const h = s.horizon.length;
    const mean = new Float64Array(h);
    const p10 = new Float64Array(h);
    const p50 = new Float64Array(h);
    const p90 = new Float64Array(h);
    for (let j = 0; j < h; j++, i++) {
      const m = mu[i] as number;
      const lv = (set.columns[mean28] as Float32Array)[i] as number;
      mean[j] = m;
      p10[j] = nbQuantile(m, alphaFor(fit.dispersion, lv, 0), 0.1);
      p50[j] = nbQuantile(m, alphaFor(fit.dispersion, lv, 1), 0.5);
      p90[j] = nbQuantile(m, alphaFor(fit.dispersion, lv, 2), 0.9);
    }
    out.push({
      id: s.id,
      horizon: s.horizon,
      mean,
      p10,
      p50,
      p90,
      model: 'gbdt',
      backtestError: fit.validRmsse[si] as number,
      backtest: fit.validMean[si] as Backtest,
    });
  });
  return out;
}

/** Above this many series a panel is split into models of whole stores (memory and time stay linear). */
export const MAX_SERIES_PER_MODEL = 2500;

export async function forecastGlobal(panel: Panel, opts: GlobalOptions): Promise<SeriesForecast[]> {
  const threads = Math.max(1, opts.threads ?? 1);
  const n = panel.series.length;
  // One model over every series learns more than one per store group (M5: 0.82 vs 0.88 WRMSSE alone);
  // splitting is for panels too big for one model, or when asked.
  const nGroups = Math.max(opts.split && n >= 200 ? threads : 1, Math.ceil(n / MAX_SERIES_PER_MODEL));
  if (nGroups === 1 && !opts.inWorker) return predictGlobal(panel, fitGlobal(panel, opts));
  const groups = nGroups === 1 ? [panel.series.map((_, i) => i)] : splitByStore(panel, nGroups);
  const { onStage, onRound, ...plain } = opts;
  onStage?.(`train ${groups.length} model(s) in ${Math.min(threads, groups.length)} thread(s)`);
  const pool = new Piscina({
    filename: new URL('./worker.ts', import.meta.url).href,
    minThreads: Math.min(threads, groups.length),
    maxThreads: Math.min(threads, groups.length),
    // Workers load TypeScript through tsx, as the CLI does.
    execArgv: ['--import', 'tsx'],
  });
  try {
    const results = await Promise.all(
      groups.map((idx) => {
        const task: GroupTask = {
          panel: { calendar: panel.calendar, series: idx.map((i) => panel.series[i] as Series) },
          opts: plain,
        };
        return pool.run(task) as Promise<SeriesForecast[]>;
      }),
    );
    const out: SeriesForecast[] = new Array(n);
    groups.forEach((idx, g) => {
      idx.forEach((i, j) => {
        out[i] = (results[g] as SeriesForecast[])[j] as SeriesForecast;
      });
    });
    return out;
  } finally {
    await pool.destroy();
  }
}

/** Whole stores to the lightest group, largest store first, so the groups have about equal rows. */
export function splitByStore(panel: Panel, nGroups: number): number[][] {
  const byStore = new Map<string, number[]>();
  panel.series.forEach((s, i) => {
    const key = s.attrs.store ?? String(i % nGroups);
    const list = byStore.get(key);
    if (list) list.push(i);
    else byStore.set(key, [i]);
  });
  const groups: number[][] = Array.from({ length: nGroups }, () => []);
  const stores = [...byStore.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  for (const [, idx] of stores) {
    let lightest = 0;
    for (let g = 1; g < nGroups; g++) if (groups[g]!.length < groups[lightest]!.length) lightest = g;
    groups[lightest]!.push(...idx);
  }
  return groups.filter((g) => g.length > 0).map((g) => g.sort((a, b) => a - b));
}
