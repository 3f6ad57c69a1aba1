/**
 * Best split of one leaf from its histogram. Numeric features: every bin boundary, with missing values
 * tried on both sides. Categorical features: bins sorted by gradient/hessian ratio, then the best prefix of
 * that order goes left (the LightGBM way: optimal for squared error, a good heuristic otherwise).
 */
import { type BinMapper, MISSING_BIN } from './binning.ts';
import { FEATURE_STRIDE } from './histogram.ts';

export interface SplitParams {
  lambdaL2: number;
  minDataInLeaf: number;
  minSumHessian: number;
  minGain: number;
  /** Added to the hessian when ordering categories, so a rare category does not look extreme. */
  catSmooth: number;
  /** Extra L2 on categorical splits, which overfit more easily than thresholds. */
  catL2: number;
  /** Most categories a categorical split sends left. */
  maxCatThreshold: number;
  /** Categories with fewer rows in the leaf stay on the right. */
  minDataPerGroup: number;
}

export interface SplitInfo {
  feature: number;
  gain: number;
  /** Numeric: bins 1..threshold go left. */
  thresholdBin: number;
  /** Where bin 0 (missing) goes. */
  defaultLeft: boolean;
  /** Categorical: bins going left, as a 256-bit set. */
  catBits: Uint32Array | null;
  leftG: number;
  leftH: number;
  leftN: number;
  rightG: number;
  rightH: number;
  rightN: number;
}

export const leafScore = (g: number, h: number, lambda: number): number => (g * g) / (h + lambda);

export function findBestSplit(
  hist: Float64Array,
  features: Int32Array,
  mappers: BinMapper[],
  totalG: number,
  totalH: number,
  totalN: number,
  p: SplitParams,
): SplitInfo | null {
  let best: SplitInfo | null = null;
  for (let k = 0; k < features.length; k++) {
    const f = features[k] as number;
    const mapper = mappers[f] as BinMapper;
    const s =
      mapper.kind === 'numeric'
        ? numericSplit(hist, f, mapper.nBins, totalG, totalH, totalN, p)
        : categoricalSplit(hist, f, mapper.nBins, totalG, totalH, totalN, p);
    if (s && (!best || s.gain > best.gain)) best = s;
  }
  return best && best.gain > p.minGain ? best : null;
}

function numericSplit(
  hist: Float64Array,
  f: number,
  nBins: number,
  G: number,
  H: number,
  N: number,
  p: SplitParams,
): SplitInfo | null {
  const base = f * FEATURE_STRIDE;
  const parent = leafScore(G, H, p.lambdaL2);
  const mg = hist[base] as number;
  const mh = hist[base + 1] as number;
  const mn = hist[base + 2] as number;
  // Track the best as scalars: allocating a SplitInfo per improvement dominated split finding.
  let bestGain = Number.NEGATIVE_INFINITY;
  let bestBin = -1;
  let bestLeft = false;
  let bestGl = 0;
  let bestHl = 0;
  let bestNl = 0;
  // Missing right first; missing left only matters when there are missing rows.
  for (let dir = 0; dir < (mn > 0 ? 2 : 1); dir++) {
    const missingLeft = dir === 1;
    let gl = missingLeft ? mg : 0;
    let hl = missingLeft ? mh : 0;
    let nl = missingLeft ? mn : 0;
    for (let b = 1; b < nBins - 1; b++) {
      const c = base + b * 3;
      const cn = hist[c + 2] as number;
      if (cn === 0) continue;
      gl += hist[c] as number;
      hl += hist[c + 1] as number;
      nl += cn;
      if (nl < p.minDataInLeaf || hl < p.minSumHessian) continue;
      const hr = H - hl;
      if (N - nl < p.minDataInLeaf) break;
      if (hr < p.minSumHessian) continue;
      const gr = G - gl;
      const gain = (gl * gl) / (hl + p.lambdaL2) + (gr * gr) / (hr + p.lambdaL2) - parent;
      if (gain > bestGain) {
        bestGain = gain;
        bestBin = b;
        bestLeft = missingLeft;
        bestGl = gl;
        bestHl = hl;
        bestNl = nl;
      }
    }
  }
  if (bestBin < 0) return null;
  return {
    feature: f,
    gain: bestGain,
    thresholdBin: bestBin,
    defaultLeft: bestLeft,
    catBits: null,
    leftG: bestGl,
    leftH: bestHl,
    leftN: bestNl,
    rightG: G - bestGl,
    rightH: H - bestHl,
    rightN: N - bestNl,
  };
}

function categoricalSplit(
  hist: Float64Array,
  f: number,
  nBins: number,
  G: number,
  H: number,
  N: number,
  p: SplitParams,
): SplitInfo | null {
  const base = f * FEATURE_STRIDE;
  const lambda = p.lambdaL2 + p.catL2;
  const parent = leafScore(G, H, lambda);
  const order: number[] = [];
  for (let b = 0; b < nBins; b++) {
    if ((hist[base + b * 3 + 2] as number) >= Math.max(1, p.minDataPerGroup)) order.push(b);
  }
  if (order.length < 2) return null;
  const ratio = (b: number) => {
    const c = base + b * 3;
    return (hist[c] as number) / ((hist[c + 1] as number) + p.catSmooth);
  };
  order.sort((a, b) => ratio(a) - ratio(b));
  let best: { gain: number; from: number; count: number; gl: number; hl: number; nl: number } | null = null;
  const maxLeft = Math.min(p.maxCatThreshold, order.length - 1);
  // Prefixes from the low end and from the high end of the order.
  for (const reversed of [false, true]) {
    let gl = 0;
    let hl = 0;
    let nl = 0;
    for (let i = 0; i < maxLeft; i++) {
      const b = order[reversed ? order.length - 1 - i : i] as number;
      const c = base + b * 3;
      gl += hist[c] as number;
      hl += hist[c + 1] as number;
      nl += hist[c + 2] as number;
      if (nl < p.minDataInLeaf || hl < p.minSumHessian) continue;
      if (N - nl < p.minDataInLeaf || H - hl < p.minSumHessian) break;
      const gain = leafScore(gl, hl, lambda) + leafScore(G - gl, H - hl, lambda) - parent;
      if (!best || gain > best.gain) best = { gain, from: reversed ? 1 : 0, count: i + 1, gl, hl, nl };
    }
  }
  if (!best) return null;
  const bits = new Uint32Array(8);
  for (let i = 0; i < best.count; i++) {
    const b = order[best.from ? order.length - 1 - i : i] as number;
    bits[b >>> 5]! |= 1 << (b & 31);
  }
  return {
    feature: f,
    gain: best.gain,
    thresholdBin: 0,
    defaultLeft: (bits[0]! & (1 << MISSING_BIN)) !== 0,
    catBits: bits,
    leftG: best.gl,
    leftH: best.hl,
    leftN: best.nl,
    rightG: G - best.gl,
    rightH: H - best.hl,
    rightN: N - best.nl,
  };
}
