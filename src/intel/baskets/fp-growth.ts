/**
 * FP-growth (Han, Pei and Yin 2000) over baskets held in typed arrays: every itemset whose (weighted)
 * count of baskets reaches `minCount`, up to `maxLength` items. Written here because the one npm package
 * (node-fpgrowth) is unmaintained and builds an object per node; this keeps each tree in a few typed
 * arrays, so the Online Retail file mines in seconds.
 */

/** Baskets as item codes 0…itemCount-1; basket b holds `items[offsets[b] … offsets[b+1])`, each code once. */
export interface Baskets {
  items: Int32Array;
  offsets: Int32Array;
  itemCount: number;
  /** A weight per basket (recency); 1 each when absent. Counts are sums of weights. */
  weights?: Float64Array;
}

/** Itemset k holds `items[offsets[k] … offsets[k+1])`, ascending by code, found in `count[k]` baskets. */
export interface Itemsets {
  items: Int32Array;
  offsets: Int32Array;
  count: Float64Array;
  size: number;
}

export interface FpGrowthOptions {
  /** The smallest (weighted) number of baskets an itemset must be in. */
  minCount: number;
  /** The largest itemset mined (default: no limit). */
  maxLength?: number;
  /** Called as the top level works through the frequent items (done of total). */
  onProgress?: (done: number, total: number) => void;
}

/** Growable typed arrays: a node per distinct prefix, linked to its parent and to the next node of its item. */
class FpTree {
  rank = new Int32Array(256);
  count = new Float64Array(256);
  parent = new Int32Array(256);
  link = new Int32Array(256);
  nodes = 1;
  readonly head: Int32Array;
  readonly rankCount: Float64Array;
  private readonly child = new Map<number, number>();

  /** `itemOf[r]`: the item code of rank r; ranks run from the most to the least frequent item. */
  constructor(readonly itemOf: Int32Array) {
    this.head = new Int32Array(itemOf.length).fill(-1);
    this.rankCount = new Float64Array(itemOf.length);
    this.parent[0] = -1;
  }

  private grow(): void {
    const n = this.rank.length * 2;
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    const f64 = new Float64Array(n);
    f64.set(this.count);
    this.count = f64;
    this.rank = i32(this.rank);
    this.parent = i32(this.parent);
    this.link = i32(this.link);
  }

  /** `path`: ranks in ascending order (most frequent first). */
  insert(path: ArrayLike<number>, length: number, weight: number): void {
    const ranks = this.itemOf.length;
    let node = 0;
    for (let i = 0; i < length; i++) {
      const r = path[i] as number;
      const key = node * ranks + r;
      let next = this.child.get(key);
      if (next === undefined) {
        if (this.nodes === this.rank.length) this.grow();
        next = this.nodes++;
        this.rank[next] = r;
        this.count[next] = 0;
        this.parent[next] = node;
        this.link[next] = this.head[r] as number;
        this.head[r] = next;
        this.child.set(key, next);
      }
      this.count[next] = (this.count[next] as number) + weight;
      this.rankCount[r] = (this.rankCount[r] as number) + weight;
      node = next;
    }
  }
}

class ItemsetSink {
  items = new Int32Array(1024);
  offsets = [0];
  count: number[] = [];
  private used = 0;

  add(suffix: number[], support: number): void {
    if (this.used + suffix.length > this.items.length) {
      const b = new Int32Array(Math.max(this.items.length * 2, this.used + suffix.length));
      b.set(this.items);
      this.items = b;
    }
    const sorted = suffix.slice().sort((a, b) => a - b);
    this.items.set(sorted, this.used);
    this.used += sorted.length;
    this.offsets.push(this.used);
    this.count.push(support);
  }

  done(): Itemsets {
    return {
      items: this.items.slice(0, this.used),
      offsets: Int32Array.from(this.offsets),
      count: Float64Array.from(this.count),
      size: this.count.length,
    };
  }
}

type MineOptions = Required<Omit<FpGrowthOptions, 'onProgress'>> & Pick<FpGrowthOptions, 'onProgress'>;

function mine(tree: FpTree, suffix: number[], o: MineOptions, sink: ItemsetSink): void {
  const ranks = tree.itemOf.length;
  const path = new Int32Array(ranks);
  const top = suffix.length === 0;
  for (let r = ranks - 1; r >= 0; r--) {
    if (top && o.onProgress && (ranks - r) % 64 === 0) o.onProgress(ranks - r, ranks);
    const support = tree.rankCount[r] as number;
    if (support < o.minCount) continue;
    suffix.push(tree.itemOf[r] as number);
    sink.add(suffix, support);
    if (suffix.length < o.maxLength && r > 0) {
      // The conditional pattern base of rank r: the prefix path above each of its nodes, with that node's count.
      const base = new Float64Array(r);
      for (let n = tree.head[r] as number; n !== -1; n = tree.link[n] as number) {
        const w = tree.count[n] as number;
        for (let p = tree.parent[n] as number; p > 0; p = tree.parent[p] as number)
          base[tree.rank[p] as number] = (base[tree.rank[p] as number] as number) + w;
      }
      if (suffix.length + 1 === o.maxLength) {
        // The last level needs only the counts: emit them without building a tree.
        for (let q = r - 1; q >= 0; q--)
          if ((base[q] as number) >= o.minCount) {
            suffix.push(tree.itemOf[q] as number);
            sink.add(suffix, base[q] as number);
            suffix.pop();
          }
        suffix.pop();
        continue;
      }
      const keep: number[] = [];
      const newRank = new Int32Array(r).fill(-1);
      for (let q = 0; q < r; q++)
        if ((base[q] as number) >= o.minCount) {
          newRank[q] = keep.length;
          keep.push(tree.itemOf[q] as number);
        }
      if (keep.length > 0) {
        const sub = new FpTree(Int32Array.from(keep));
        for (let n = tree.head[r] as number; n !== -1; n = tree.link[n] as number) {
          let len = 0;
          for (let p = tree.parent[n] as number; p > 0; p = tree.parent[p] as number) {
            const q = newRank[tree.rank[p] as number] as number;
            if (q !== -1) path[len++] = q;
          }
          path.subarray(0, len).reverse();
          sub.insert(path, len, tree.count[n] as number);
        }
        mine(sub, suffix, o, sink);
      }
    }
    suffix.pop();
  }
}

/** Every itemset in at least `minCount` baskets (by weight), each listed once. */
export function fpGrowth(baskets: Baskets, options: FpGrowthOptions): Itemsets {
  const o: MineOptions = {
    minCount: options.minCount,
    maxLength: options.maxLength ?? Number.POSITIVE_INFINITY,
    onProgress: options.onProgress,
  };
  const { items, offsets, weights, itemCount } = baskets;
  const n = offsets.length - 1;
  const freq = new Float64Array(itemCount);
  for (let b = 0; b < n; b++) {
    const w = weights ? (weights[b] as number) : 1;
    for (let i = offsets[b] as number; i < (offsets[b + 1] as number); i++)
      freq[items[i] as number] = (freq[items[i] as number] as number) + w;
  }
  const frequent: number[] = [];
  for (let c = 0; c < itemCount; c++) if ((freq[c] as number) >= o.minCount) frequent.push(c);
  // Most frequent first (ties by code) keeps the tree small and the result the same run to run.
  frequent.sort((a, b) => (freq[b] as number) - (freq[a] as number) || a - b);
  const rankOf = new Int32Array(itemCount).fill(-1);
  frequent.forEach((c, r) => {
    rankOf[c] = r;
  });
  const tree = new FpTree(Int32Array.from(frequent));
  const path = new Int32Array(frequent.length);
  for (let b = 0; b < n; b++) {
    let len = 0;
    for (let i = offsets[b] as number; i < (offsets[b + 1] as number); i++) {
      const r = rankOf[items[i] as number] as number;
      if (r !== -1) path[len++] = r;
    }
    if (len === 0) continue;
    path.subarray(0, len).sort();
    tree.insert(path, len, weights ? (weights[b] as number) : 1);
  }
  const sink = new ItemsetSink();
  mine(tree, [], o, sink);
  o.onProgress?.(frequent.length, frequent.length);
  return sink.done();
}
