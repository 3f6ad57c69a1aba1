/**
 * Behaviour clusters: k-means on standardised log features (recency, frequency, spend, mean invoice,
 * products, gap between purchases), numbered by mean spend so cluster 1 is always the highest value.
 */
import { FEATURE_NAMES } from './features.ts';
import { kmeans } from './kmeans.ts';

const USED = ['recency', 'frequency', 'monetary', 'mean_value', 'products', 'gap_mean'] as const;

export function behaviourClusters(
  columns: readonly Float32Array[],
  nRows: number,
  k = 6,
  seed = 1,
): Int32Array {
  const d = USED.length;
  const pts = new Float64Array(nRows * d);
  USED.forEach((name, j) => {
    const col = columns[FEATURE_NAMES.indexOf(name)] as Float32Array;
    let s = 0;
    let ss = 0;
    const v = new Float64Array(nRows);
    for (let r = 0; r < nRows; r++) {
      const x = col[r] as number;
      // Missing (no purchase, one purchase day) reads as the far end: never bought, no gap.
      v[r] = Number.isFinite(x) ? Math.sign(x) * Math.log1p(Math.abs(x)) : name === 'recency' ? 7 : 0;
      s += v[r] as number;
      ss += (v[r] as number) ** 2;
    }
    const mean = s / Math.max(nRows, 1);
    const sd = Math.sqrt(Math.max(ss / Math.max(nRows, 1) - mean * mean, 1e-12));
    for (let r = 0; r < nRows; r++) pts[r * d + j] = ((v[r] as number) - mean) / sd;
  });
  const { assignment } = kmeans(pts, d, k, { seed });
  const spend = columns[FEATURE_NAMES.indexOf('monetary')] as Float32Array;
  const kk = Math.max(...assignment, -1) + 1;
  const total = new Float64Array(kk);
  const count = new Float64Array(kk);
  for (let r = 0; r < nRows; r++) {
    total[assignment[r] as number]! += Number.isFinite(spend[r]) ? (spend[r] as number) : 0;
    count[assignment[r] as number]!++;
  }
  const order = Array.from({ length: kk }, (_, c) => c).sort(
    (a, b) => total[b]! / Math.max(count[b]!, 1) - total[a]! / Math.max(count[a]!, 1),
  );
  const rank = new Int32Array(kk);
  order.forEach((c, i) => {
    rank[c] = i + 1;
  });
  return assignment.map((c) => rank[c] as number);
}
