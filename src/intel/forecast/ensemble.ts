/**
 * Tally's forecast: the per-series statistical models (local) and the global gradient-boosted model
 * (trained across every series) combined per series. Local models follow each series' recent level; the
 * global model learns price, events, calendar and how similar items move. Their errors are only partly
 * correlated, so an average beats either (the M4/M5 lesson); the weight can follow each side's backtest.
 */
import { availableParallelism } from 'node:os';
import { type CombineOptions, defaultCombineOptions, learnWeights } from './combine.ts';
import { type EngineOptions, forecastPanel } from './engine.ts';
import { forecastGlobal, type GlobalOptions } from './global/index.ts';
import type { Backtest, Panel, PanelForecast, SeriesForecast } from './panel.ts';

export interface EnsembleOptions extends EngineOptions {
  /** Include the global model (slower; needs enough series and history to learn from). */
  global?: boolean;
  /** Weight of the global model in the blend (0–1); default DEFAULT_GLOBAL_WEIGHT. */
  globalWeight?: number;
  /** Learn the weight per sales level from both sides' held-out forecasts instead (combine.ts). */
  learnWeights?: boolean;
  combine?: Partial<CombineOptions>;
  /**
   * Average two global models, one trained on plain rows and one on dollar-weighted rows (twice the global
   * model's CPU time). Default: only on intermittent panels (see PAIR_MIN_ZERO_SHARE).
   */
  pair?: boolean;
  globalOptions?: Partial<GlobalOptions>;
  onStage?: (stage: string) => void;
}

/**
 * The global model's share of the blend. Over six M5 windows a fixed 0.9 matched or beat weights learned
 * per sales level from the last 28 days (mean WRMSSE 0.706 vs 0.714 on four of them): one month of
 * held-out days is too noisy to choose a weight from, and the learned weight swung from 0.7 to 1 between
 * windows. The local models' tenth still smooths the GBDTs' misses on series that just changed level.
 */
export const DEFAULT_GLOBAL_WEIGHT = 0.9;

/** Below this many series a global model has too little to learn across: local models only. */
export const MIN_SERIES_FOR_GLOBAL = 30;

/**
 * The dollar-weighted second GBDT earns its cost where many days are zero (M5: 60 % zero days, WRMSSE
 * 0.845 alone vs 0.831 paired): weighting moves the trees' splits from the many near-zero SKUs to the
 * sellers. On a dense panel it only doubles the time: on store-item-demand (no zero days) one model
 * forecast the last 28 days as well as the pair (mean RMSSE 0.521 vs 0.521, bench/forecast-sid-holdout.ts).
 */
export const PAIR_MIN_ZERO_SHARE = 0.2;

/**
 * GBDT steps on a dense panel: counts far from zero give smooth gradients, so a larger step and a shorter
 * early-stopping patience reach the same validation loss in fewer rounds. On store-item-demand's last
 * 28 days: mean RMSSE 0.519 vs 0.521 with the defaults, 20 s vs 32 s (bench/forecast-sid-holdout.ts).
 */
export const DENSE_GBDT_PARAMS = { learningRate: 0.15, earlyStoppingRounds: 20 } as const;

/** Share of zero days among observed days over the last `days` of each series (the GBDT's training span). */
export function zeroShare(panel: Panel, days = 730): number {
  let zeros = 0;
  let observed = 0;
  for (const s of panel.series) {
    if (s.last < 0) continue;
    for (let t = Math.max(s.first, s.last + 1 - days); t <= s.last; t++) {
      const v = s.history[t] as number;
      if (Number.isNaN(v)) continue;
      observed++;
      if (v === 0) zeros++;
    }
  }
  return observed > 0 ? zeros / observed : 0;
}

export async function forecastTally(panel: Panel, o: EnsembleOptions = {}): Promise<PanelForecast> {
  if (o.global === false || panel.series.length < MIN_SERIES_FOR_GLOBAL) {
    o.onStage?.('local models');
    return forecastPanel(panel, o);
  }
  let maxH = 1;
  for (const s of panel.series) if (s.last >= 0) for (const t of s.horizon) maxH = Math.max(maxH, t - s.last);
  const cores = o.threads ?? availableParallelism();
  const dense = zeroShare(panel) < PAIR_MIN_ZERO_SHARE;
  // The global models (the long pole) train in their own threads while the local models run alongside.
  o.onStage?.('global and local models');
  const globalRun = (weighted: boolean) =>
    forecastGlobal(panel, {
      horizon: Math.min(maxH, 28),
      threads: Math.max(1, cores),
      inWorker: cores > 0,
      weighted,
      ...o.globalOptions,
      params: { ...(dense ? DENSE_GBDT_PARAMS : {}), ...o.globalOptions?.params },
    });
  const pair = o.pair ?? !dense;
  const [plain, weighted, local] = await Promise.all([
    globalRun(false),
    pair ? globalRun(true) : Promise.resolve(undefined),
    forecastPanel(panel, { ...o, threads: cores > 1 ? Math.max(1, cores - 1) : cores }),
  ]);
  // Two views of the same learner (rows as they come, rows weighted by dollar sales) err differently.
  const global = weighted ? plain.map((g, i) => ({ ...blend(g, weighted[i], 0.5), model: 'gbdt' })) : plain;
  if (!o.learnWeights) {
    const w = o.globalWeight ?? DEFAULT_GLOBAL_WEIGHT;
    return { calendar: panel.calendar, forecasts: local.forecasts.map((f, i) => blend(f, global[i], w)) };
  }
  return { calendar: panel.calendar, forecasts: combineForecasts(panel, local.forecasts, global, o.combine) };
}

/** Blends each series with the weight learned from both sides' held-out forecasts (see combine.ts). */
export function combineForecasts(
  panel: Panel,
  local: readonly SeriesForecast[],
  global: readonly (SeriesForecast | undefined)[],
  options: Partial<CombineOptions> = {},
): SeriesForecast[] {
  const learned = learnWeights(panel, local, global, { ...defaultCombineOptions, ...options });
  return local.map((f, i) => blend(f, global[i], learned.perSeries[i] as number));
}

/** Averages means and quantiles (quantile averaging keeps p10 ≤ p50 ≤ p90 and non-negativity). */
export function blend(local: SeriesForecast, global: SeriesForecast | undefined, w: number): SeriesForecast {
  // Series the global model could not serve (no history) keep their local (peer) forecast.
  if (!global || global.mean.length !== local.mean.length || local.model.startsWith('fallback')) return local;
  const mix = (a: Float64Array, b: Float64Array): Float64Array =>
    a.map((x, j) => (1 - w) * x + w * (b[j] as number));
  return {
    ...local,
    mean: mix(local.mean, global.mean),
    p10: mix(local.p10, global.p10),
    p50: mix(local.p50, global.p50),
    p90: mix(local.p90, global.p90),
    model: `${local.model}+${global.model}`,
    ...mixBacktest(local.backtest, global.backtest, w),
    backtestError: Number.isNaN(global.backtestError)
      ? local.backtestError
      : (1 - w) * local.backtestError + w * global.backtestError,
  };
}

function mixBacktest(a: Backtest | undefined, b: Backtest | undefined, w: number): { backtest?: Backtest } {
  if (!a || !b || a.start !== b.start || a.mean.length !== b.mean.length) return {};
  return {
    backtest: { start: a.start, mean: a.mean.map((x, j) => (1 - w) * x + w * (b.mean[j] as number)) },
  };
}
