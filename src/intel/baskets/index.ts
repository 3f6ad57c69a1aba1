export { BasketBuilder, type BasketTable } from './basket-builder.ts';
export { CustomerHistory } from './customer-history.ts';
export {
  type BasketWindowResult,
  DEFAULT_BASKET_WINDOWS,
  evalBasketWindow,
  parseBasketWindows,
  runBasketsEval,
} from './eval.ts';
export { type Baskets, type FpGrowthOptions, fpGrowth, type Itemsets } from './fp-growth.ts';
export { type HiddenCase, hiddenCases, hitRate, seededRandom } from './hit-rate.ts';
export { bestSellers, DEFAULT_MODEL, type ModelOptions, PAIRWISE, trainModel } from './model.ts';
export { type Combine, Recommender } from './recommend.ts';
export { type Rules, rulesFrom } from './rules.ts';
export {
  type MineFileOptions,
  type MineFileResult,
  mineFile,
  mineRules,
  readBaskets,
  rulesCsv,
} from './rules-file.ts';
