/**
 * Gradient boosting: each round fits a tree to the gradients of the loss at the current scores (Newton
 * steps: leaf = −G/(H+λ)), shrunk by the learning rate. Rows and features are subsampled per round with a
 * seeded generator, and a validation set stops the rounds once its deviance stops improving.
 */
import { seededRandom } from '../../../core/index.ts';
import { type BinMapper, binColumns, fitMappers } from './binning.ts';
import { type ObjectiveName, objectiveFor } from './objective.ts';
import { GrowContext, type GrowParams, growTree, leafOfRow, leafOfRowBins, type Tree } from './tree.ts';

export interface Dataset {
  nRows: number;
  /** One Float32Array per feature (column-major); NaN is missing. */
  columns: Float32Array[];
  label: Float32Array;
  weight?: Float32Array;
}

export interface GbdtParams extends GrowParams {
  objective: ObjectiveName;
  tweedieVariancePower: number;
  numRounds: number;
  /** Fraction of rows each round sees (1: all). */
  baggingFraction: number;
  /** Fraction of features each tree may split on (1: all). */
  featureFraction: number;
  /** Stop when the validation loss has not improved for this many rounds (0: never). */
  earlyStoppingRounds: number;
  /** Indices of categorical features (integer codes). */
  categorical: number[];
  maxBins: number;
  seed: number;
}

export const defaultParams: GbdtParams = {
  objective: 'squared',
  tweedieVariancePower: 1.2,
  numRounds: 100,
  learningRate: 0.1,
  numLeaves: 31,
  maxDepth: 0,
  minDataInLeaf: 20,
  minSumHessian: 1e-3,
  lambdaL2: 0,
  minGain: 0,
  maxDeltaStep: 0,
  catSmooth: 10,
  catL2: 10,
  maxCatThreshold: 32,
  minDataPerGroup: 10,
  baggingFraction: 1,
  featureFraction: 1,
  earlyStoppingRounds: 0,
  categorical: [],
  maxBins: 255,
  seed: 1,
};

export interface TrainProgress {
  round: number;
  trainLoss: number | null;
  validLoss: number | null;
}

export interface TrainOptions {
  valid?: Dataset;
  /** Compute the training loss every round (costs a pass over the rows). */
  recordTrainLoss?: boolean;
  onRound?: (p: TrainProgress) => void;
}

export class GbdtModel {
  constructor(
    readonly params: GbdtParams,
    readonly mappers: BinMapper[],
    readonly initScore: number,
    readonly trees: Tree[],
    /** Loss per round, for the record (and the monotone-deviance test). */
    readonly history: TrainProgress[],
    readonly bestRound: number,
  ) {}

  get nFeatures(): number {
    return this.mappers.length;
  }

  private transform(f: number): number {
    return objectiveFor(this.params.objective, this.params.tweedieVariancePower).transform(f);
  }

  /** Raw scores of row-major Float32 rows (nRows × nFeatures). */
  predictRawRows(values: Float32Array, nRows: number): Float64Array {
    const nf = this.nFeatures;
    if (values.length < nRows * nf)
      throw new RangeError(`expected ${nRows * nf} values, got ${values.length}`);
    const out = new Float64Array(nRows).fill(this.initScore);
    for (const tree of this.trees) {
      const leafValue = tree.leafValue;
      for (let r = 0; r < nRows; r++)
        out[r]! += leafValue[leafOfRow(tree, this.mappers, values, r * nf)] as number;
    }
    return out;
  }

  /** Predictions on the label's scale for row-major Float32 rows. */
  predictRows(values: Float32Array, nRows: number): Float64Array {
    const raw = this.predictRawRows(values, nRows);
    for (let i = 0; i < nRows; i++) raw[i] = this.transform(raw[i] as number);
    return raw;
  }

  /** Predictions for column-major data (as in a Dataset). */
  predictColumns(columns: Float32Array[], nRows: number): Float64Array {
    return this.predictRows(toRows(columns, nRows), nRows);
  }
}

export function toRows(columns: Float32Array[], nRows: number): Float32Array {
  const nf = columns.length;
  const rows = new Float32Array(nRows * nf);
  for (let f = 0; f < nf; f++) {
    const col = columns[f] as Float32Array;
    for (let r = 0; r < nRows; r++) rows[r * nf + f] = col[r] as number;
  }
  return rows;
}

export function train(data: Dataset, partial: Partial<GbdtParams>, opts: TrainOptions = {}): GbdtModel {
  const params: GbdtParams = { ...defaultParams, ...partial };
  const nRows = data.nRows;
  const nFeatures = data.columns.length;
  if (data.label.length !== nRows) throw new RangeError('label length differs from nRows');
  const objective = objectiveFor(params.objective, params.tweedieVariancePower);
  const weight = data.weight ?? null;
  const mappers = fitMappers(data.columns, new Set(params.categorical), { maxBins: params.maxBins });
  const binned = binColumns(data.columns, mappers, nRows);
  const ctx = new GrowContext(binned.bins, binned.rowMajor, mappers, nRows, params);
  const rand = seededRandom(params.seed);

  const init = objective.initScore(data.label, weight);
  const score = new Float64Array(nRows).fill(init);
  const grad = new Float32Array(nRows);
  const hess = new Float32Array(nRows);
  const rows = new Uint32Array(nRows);
  const inBag = new Uint8Array(nRows);

  // An empty validation set cannot choose a round; train as if there were none.
  const valid = opts.valid && opts.valid.nRows > 0 ? opts.valid : undefined;
  const validBins = valid ? binColumns(valid.columns, mappers, valid.nRows).rowMajor : null;
  const validScore = valid ? new Float64Array(valid.nRows).fill(init) : null;
  const validWeight = valid?.weight ?? null;

  const trees: Tree[] = [];
  const history: TrainProgress[] = [];
  let bestLoss = Number.POSITIVE_INFINITY;
  let bestRound = 0;
  const allFeatures = Int32Array.from({ length: nFeatures }, (_, i) => i);

  for (let round = 1; round <= params.numRounds; round++) {
    let n = 0;
    if (params.baggingFraction < 1) {
      inBag.fill(0);
      for (let r = 0; r < nRows; r++) {
        if (rand() < params.baggingFraction) {
          rows[n++] = r;
          inBag[r] = 1;
        }
      }
    } else {
      for (let r = 0; r < nRows; r++) rows[r] = r;
      n = nRows;
    }
    // Only the bag's rows are read by the tree: their derivatives alone (the draws above use no gradient).
    objective.gradients(data.label, score, weight, grad, hess, rows, n);
    const features =
      params.featureFraction < 1 ? sampleFeatures(allFeatures, params.featureFraction, rand) : allFeatures;
    const { tree, leafBegin, leafEnd } = growTree(ctx, rows, n, features, grad, hess);
    // In-bag rows: their leaf is known from the partition. Out-of-bag rows are routed through the tree.
    for (let l = 0; l < tree.nLeaves; l++) {
      const v = tree.leafValue[l] as number;
      for (let i = leafBegin[l] as number; i < (leafEnd[l] as number); i++) score[rows[i] as number]! += v;
    }
    if (n < nRows) {
      for (let r = 0; r < nRows; r++) {
        if (!inBag[r])
          score[r]! += tree.leafValue[leafOfRowBins(tree, binned.rowMajor, nFeatures, r)] as number;
      }
    }
    trees.push(tree);

    const progress: TrainProgress = { round, trainLoss: null, validLoss: null };
    if (opts.recordTrainLoss) progress.trainLoss = objective.loss(data.label, score, weight);
    if (valid && validBins && validScore) {
      for (let r = 0; r < valid.nRows; r++)
        validScore[r]! += tree.leafValue[leafOfRowBins(tree, validBins, nFeatures, r)] as number;
      progress.validLoss = objective.loss(valid.label, validScore, validWeight);
      if (progress.validLoss < bestLoss - 1e-12) {
        bestLoss = progress.validLoss;
        bestRound = round;
      }
    } else bestRound = round;
    history.push(progress);
    opts.onRound?.(progress);
    if (params.earlyStoppingRounds > 0 && valid && round - bestRound >= params.earlyStoppingRounds) break;
  }
  // A validation loss that never became finite chose nothing: keep every tree.
  const keep = bestRound > 0 ? bestRound : trees.length;
  return new GbdtModel(params, mappers, init, trees.slice(0, keep), history, keep);
}

function sampleFeatures(all: Int32Array, fraction: number, rand: () => number): Int32Array {
  const k = Math.max(1, Math.round(all.length * fraction));
  const pick = Array.from(all);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (pick.length - i));
    [pick[i], pick[j]] = [pick[j]!, pick[i]!];
  }
  return Int32Array.from(pick.slice(0, k)).sort();
}
