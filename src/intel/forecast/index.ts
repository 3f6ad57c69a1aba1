export type { M5Data, M5Series } from './eval/m5-data.ts';
export { loadM5, priceOn } from './eval/m5-data.ts';
export { runEval } from './eval/run-eval.ts';
export {
  type Dataset,
  GbdtModel,
  type GbdtParams,
  sigmoid,
  train,
} from './gbdt/index.ts';
export { openMaybeGz } from './history-csv.ts';
export { refreshHqForecasts } from './hq-refresh.ts';
export type { ForecastRun } from './hq-store.ts';
export { latestRun, runById } from './hq-store.ts';
export { countBands, countQuantile, normalQuantile } from './intervals.ts';
export { goldenMin, sesSse, weekdayProfile } from './models/simple.ts';
export { nightlyTimer, parseNightlyAt, startNightlyForecasts } from './nightly.ts';
export { isoToUtcMs, utcMsToIso } from './panel.ts';
export { parseModels, runForecastFile } from './run-file.ts';
