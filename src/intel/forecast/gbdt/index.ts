export { type BinMapper, binOf, categoricalMapper, numericMapper } from './binning.ts';
export {
  type Dataset,
  defaultParams,
  GbdtModel,
  type GbdtParams,
  type TrainProgress,
  toRows,
  train,
} from './booster.ts';
export { type Objective, type ObjectiveName, objectiveFor, sigmoid, tweedie } from './objective.ts';
export type { Tree } from './tree.ts';
