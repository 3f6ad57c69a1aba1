/**
 * One regression tree, grown leaf-wise (best-first): the leaf whose best split gains most is split next,
 * until the leaf budget, the depth limit or the minimum gain stops it. Nodes live in flat typed arrays;
 * a child index below zero is a leaf (~child).
 */
import { type BinMapper, binOf, MISSING_BIN } from './binning.ts';
import { buildHistogram, newHistogram, subtractInto } from './histogram.ts';
import { findBestSplit, type SplitInfo, type SplitParams } from './split.ts';

export interface Tree {
  nLeaves: number;
  feature: Int32Array;
  thresholdBin: Uint8Array;
  /** Raw-value threshold of numeric nodes: value <= threshold goes left. */
  threshold: Float64Array;
  defaultLeft: Uint8Array;
  isCategorical: Uint8Array;
  /** 8 words (256 bits over bins) per node; only categorical nodes use theirs. */
  catBits: Uint32Array;
  left: Int32Array;
  right: Int32Array;
  leafValue: Float64Array;
  /** Rows (in-bag) that reached each leaf at training time. */
  leafCount: Int32Array;
}

export interface GrowParams extends SplitParams {
  numLeaves: number;
  /** 0 or less: no limit. */
  maxDepth: number;
  learningRate: number;
  /** Caps |leaf value| before shrinkage (0: no cap); keeps log-link steps sane on tiny hessians. */
  maxDeltaStep: number;
}

/** Reusable buffers for growing many trees over the same data. */
export class GrowContext {
  readonly pool: Float64Array[] = [];
  readonly tmpRows: Uint32Array;
  readonly nFeatures: number;

  constructor(
    readonly bins: Uint8Array[],
    readonly rowBins: Uint8Array,
    readonly mappers: BinMapper[],
    nRows: number,
    readonly params: GrowParams,
  ) {
    this.tmpRows = new Uint32Array(nRows);
    this.nFeatures = bins.length;
  }

  take(): Float64Array {
    return this.pool.pop() ?? newHistogram(this.bins.length);
  }

  give(h: Float64Array): void {
    this.pool.push(h);
  }
}

function emptyTree(maxLeaves: number): Tree {
  const nodes = Math.max(1, maxLeaves - 1);
  return {
    nLeaves: 1,
    feature: new Int32Array(nodes),
    thresholdBin: new Uint8Array(nodes),
    threshold: new Float64Array(nodes),
    defaultLeft: new Uint8Array(nodes),
    isCategorical: new Uint8Array(nodes),
    catBits: new Uint32Array(nodes * 8),
    left: new Int32Array(nodes),
    right: new Int32Array(nodes),
    leafValue: new Float64Array(maxLeaves),
    leafCount: new Int32Array(maxLeaves),
  };
}

interface LeafState {
  begin: number;
  end: number;
  g: number;
  h: number;
  depth: number;
  hist: Float64Array | null;
  split: SplitInfo | null;
  /** Node whose child pointer names this leaf (-1 for the root). */
  parent: number;
  isLeft: boolean;
}

export interface GrownTree {
  tree: Tree;
  /** rows[leafBegin[l]..leafEnd[l]) are the in-bag rows of leaf l. */
  leafBegin: Int32Array;
  leafEnd: Int32Array;
}

/** Grows one tree over `rows[0..nRows)` (reordered in place so each leaf's rows are contiguous). */
export function growTree(
  ctx: GrowContext,
  rows: Uint32Array,
  nRows: number,
  features: Int32Array,
  grad: Float32Array,
  hess: Float32Array,
): GrownTree {
  const p = ctx.params;
  const tree = emptyTree(p.numLeaves);
  let g0 = 0;
  let h0 = 0;
  for (let i = 0; i < nRows; i++) {
    const r = rows[i] as number;
    g0 += grad[r] as number;
    h0 += hess[r] as number;
  }
  const rootHist = ctx.take();
  buildHistogram(rootHist, ctx.rowBins, ctx.nFeatures, features, rows, 0, nRows, grad, hess);
  const leaves: LeafState[] = [
    { begin: 0, end: nRows, g: g0, h: h0, depth: 0, hist: rootHist, split: null, parent: -1, isLeft: false },
  ];
  const canSplit = (l: LeafState) =>
    l.end - l.begin >= 2 * p.minDataInLeaf && (p.maxDepth <= 0 || l.depth < p.maxDepth);
  const evaluate = (l: LeafState) => {
    l.split = canSplit(l)
      ? findBestSplit(l.hist!, features, ctx.mappers, l.g, l.h, l.end - l.begin, p)
      : null;
    if (!l.split && l.hist) {
      ctx.give(l.hist);
      l.hist = null;
    }
  };
  evaluate(leaves[0]!);

  while (leaves.length < p.numLeaves) {
    let bestLeaf = -1;
    for (let l = 0; l < leaves.length; l++) {
      const s = leaves[l]!.split;
      if (s && (bestLeaf < 0 || s.gain > leaves[bestLeaf]!.split!.gain)) bestLeaf = l;
    }
    if (bestLeaf < 0) break;
    const leaf = leaves[bestLeaf]!;
    const s = leaf.split!;
    const node = leaves.length - 1;
    writeNode(tree, node, s, ctx.mappers[s.feature]!);
    if (leaf.parent >= 0) {
      if (leaf.isLeft) tree.left[leaf.parent] = node;
      else tree.right[leaf.parent] = node;
    }
    const mid = partition(ctx, rows, leaf.begin, leaf.end, tree, node);
    const rightIdx = leaves.length;
    tree.left[node] = ~bestLeaf;
    tree.right[node] = ~rightIdx;
    const left: LeafState = {
      begin: leaf.begin,
      end: mid,
      g: s.leftG,
      h: s.leftH,
      depth: leaf.depth + 1,
      hist: null,
      split: null,
      parent: node,
      isLeft: true,
    };
    const right: LeafState = { ...left, begin: mid, end: leaf.end, g: s.rightG, h: s.rightH, isLeft: false };
    // Build the smaller child from its rows; the parent's histogram minus it is the larger child's.
    const parentHist = leaf.hist!;
    const small = mid - leaf.begin <= leaf.end - mid ? left : right;
    const large = small === left ? right : left;
    small.hist = ctx.take();
    buildHistogram(
      small.hist,
      ctx.rowBins,
      ctx.nFeatures,
      features,
      rows,
      small.begin,
      small.end,
      grad,
      hess,
    );
    subtractInto(parentHist, small.hist, features);
    large.hist = parentHist;
    leaves[bestLeaf] = left;
    leaves.push(right);
    evaluate(left);
    evaluate(right);
  }

  tree.nLeaves = leaves.length;
  const leafBegin = new Int32Array(leaves.length);
  const leafEnd = new Int32Array(leaves.length);
  for (let l = 0; l < leaves.length; l++) {
    const leaf = leaves[l]!;
    if (leaf.hist) ctx.give(leaf.hist);
    let v = -leaf.g / (leaf.h + p.lambdaL2);
    if (p.maxDeltaStep > 0) v = Math.max(-p.maxDeltaStep, Math.min(p.maxDeltaStep, v));
    tree.leafValue[l] = v * p.learningRate;
    tree.leafCount[l] = leaf.end - leaf.begin;
    leafBegin[l] = leaf.begin;
    leafEnd[l] = leaf.end;
  }
  return { tree, leafBegin, leafEnd };
}

function writeNode(tree: Tree, node: number, s: SplitInfo, mapper: BinMapper): void {
  tree.feature[node] = s.feature;
  tree.defaultLeft[node] = s.defaultLeft ? 1 : 0;
  if (s.catBits) {
    tree.isCategorical[node] = 1;
    tree.catBits.set(s.catBits, node * 8);
  } else {
    tree.thresholdBin[node] = s.thresholdBin;
    tree.threshold[node] = mapper.kind === 'numeric' ? (mapper.upper[s.thresholdBin - 1] as number) : 0;
  }
}

const goesLeftByBin = (tree: Tree, node: number, b: number): boolean => {
  if (tree.isCategorical[node])
    return ((tree.catBits[node * 8 + (b >>> 5)] as number) & (1 << (b & 31))) !== 0;
  if (b === MISSING_BIN) return tree.defaultLeft[node] === 1;
  return b <= (tree.thresholdBin[node] as number);
};

/** Stable partition of rows[begin..end) by the node's split; returns where the right side starts. */
function partition(
  ctx: GrowContext,
  rows: Uint32Array,
  begin: number,
  end: number,
  tree: Tree,
  node: number,
): number {
  const col = ctx.bins[tree.feature[node] as number] as Uint8Array;
  const tmp = ctx.tmpRows;
  let w = begin;
  let t = 0;
  for (let i = begin; i < end; i++) {
    const r = rows[i] as number;
    if (goesLeftByBin(tree, node, col[r] as number)) rows[w++] = r;
    else tmp[t++] = r;
  }
  rows.set(tmp.subarray(0, t), w);
  return w;
}

/** Leaf reached by training row r, reading its bins. */
export function leafOfBinned(tree: Tree, bins: Uint8Array[], r: number): number {
  if (tree.nLeaves === 1) return 0;
  let node = 0;
  while (node >= 0) {
    const b = (bins[tree.feature[node] as number] as Uint8Array)[r] as number;
    node = goesLeftByBin(tree, node, b) ? (tree.left[node] as number) : (tree.right[node] as number);
  }
  return ~node;
}

/** Leaf reached by training row r, reading its row-major bins. */
export function leafOfRowBins(tree: Tree, rowBins: Uint8Array, nFeatures: number, r: number): number {
  if (tree.nLeaves === 1) return 0;
  const off = r * nFeatures;
  let node = 0;
  while (node >= 0) {
    const b = rowBins[off + (tree.feature[node] as number)] as number;
    node = goesLeftByBin(tree, node, b) ? (tree.left[node] as number) : (tree.right[node] as number);
  }
  return ~node;
}

/** Leaf reached by a raw feature row (row-major values starting at `offset`). */
export function leafOfRow(tree: Tree, mappers: BinMapper[], values: Float32Array, offset: number): number {
  if (tree.nLeaves === 1) return 0;
  let node = 0;
  while (node >= 0) {
    const f = tree.feature[node] as number;
    const v = values[offset + f] as number;
    let left: boolean;
    if (tree.isCategorical[node]) left = goesLeftByBin(tree, node, binOf(mappers[f]!, v));
    else if (Number.isNaN(v)) left = tree.defaultLeft[node] === 1;
    else left = v <= (tree.threshold[node] as number);
    node = left ? (tree.left[node] as number) : (tree.right[node] as number);
  }
  return ~node;
}
