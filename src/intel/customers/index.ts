export {
  type BgNbdParams,
  bgnbdLogLikelihood,
  expectedPurchases,
  fitBgNbd,
  pAlive,
  pPurchaseWithin,
} from './bgnbd.ts';
export { behaviourClusters } from './clusters.ts';
export {
  DEFAULT_WINDOWS,
  evalWindow,
  findOnlineRetail,
  parseWindows,
  runCustomersEval,
  type Window,
  type WindowResult,
} from './eval.ts';
export { expectedValue, fitGammaGamma, type GammaGammaParams } from './gamma-gamma.ts';
export {
  buildHistories,
  type CustomerHistory,
  HistoryBuilder,
  isCancellation,
  type TransactionLine,
} from './history.ts';
export { type KMeansResult, kmeans } from './kmeans.ts';
export { LINE_COLUMNS, parseAsOf, parseTime, readLineRows, readLines } from './lines-csv.ts';
export { brierScore, expectedCalibrationError, rocAuc, spearman } from './metrics.ts';
export { convertOnlineRetail } from './online-retail.ts';
export { SEGMENTS, type SegmentName, type SegmentSummary, segmentOf } from './rfm.ts';
export {
  type CustomerScore,
  type ScoreOptions,
  type ScoreResult,
  scoreCustomers,
  scoreHistories,
} from './score.ts';
export { scoreFile, scoresCsv } from './score-file.ts';
