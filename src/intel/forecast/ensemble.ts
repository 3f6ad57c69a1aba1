/**
 * Tally's forecast: the per-series statistical models (local) and the global gradient-boosted model
 * (trained across every series) combined per series. Local models follow each series' recent level; the
 * global model learns price, events, calendar and how similar items move. Their errors are only partly
 * correlated, so an average beats either (the M4/M5 lesson); the weight can follow each side's backtest.
 */
import { type EngineOptions, forecastPanel } from './engine.ts';
import { forecastGlobal, type GlobalOptions } from './global/index.ts';
import type { Panel, PanelForecast, SeriesForecast } from './panel.ts';

export interface EnsembleOptions extends EngineOptions {
  /** Include the global model (slower; needs enough series and history to learn from). */
  global?: boolean;
  /** Weight of the global model in the blend (0–1). */
  globalWeight?: number;
  globalOptions?: Partial<GlobalOptions>;
  onStage?: (stage: string) => void;
}

/** Below this many series a global model has too little to learn across: local models only. */
export const MIN_SERIES_FOR_GLOBAL = 30;

export async function forecastTally(panel: Panel, o: EnsembleOptions = {}): Promise<PanelForecast> {
  o.onStage?.('local models');
  const local = await forecastPanel(panel, o);
  if (o.global === false || panel.series.length < MIN_SERIES_FOR_GLOBAL) return local;
  let maxH = 1;
  for (const s of panel.series) if (s.last >= 0) for (const t of s.horizon) maxH = Math.max(maxH, t - s.last);
  o.onStage?.('global model');
  const global = await forecastGlobal(panel, {
    horizon: Math.min(maxH, 28),
    threads: o.threads ?? 2,
    ...o.globalOptions,
  });
  const w = o.globalWeight ?? 0.5;
  return { calendar: panel.calendar, forecasts: local.forecasts.map((f, i) => blend(f, global[i], w)) };
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
    model: `${local.model}+gbdt`,
    backtestError: Number.isNaN(global.backtestError)
      ? local.backtestError
      : (1 - w) * local.backtestError + w * global.backtestError,
  };
}
