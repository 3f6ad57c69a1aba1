export { type FeatureSpec, preparePanel } from './features.ts';
export { fitDispersion, nbQuantile } from './intervals.ts';
export {
  defaultGlobalParams,
  fitGlobal,
  forecastGlobal,
  type GlobalFit,
  type GlobalOptions,
  predictGlobal,
} from './model.ts';
