/**
 * k-means (Lloyd's iterations from a k-means++ start, seeded): finer behaviour groups than the RFM
 * segments. Points are row-major in one Float64Array (n × d).
 */
import { seededRandom } from '../../core/index.ts';

export interface KMeansResult {
  /** k × d, row-major. */
  centroids: Float64Array;
  assignment: Int32Array;
  /** Sum of squared distances to the assigned centroid. */
  inertia: number;
  iterations: number;
}

function dist2(points: Float64Array, i: number, centroids: Float64Array, c: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const diff = (points[i * d + j] as number) - (centroids[c * d + j] as number);
    s += diff * diff;
  }
  return s;
}

export function kmeans(
  points: Float64Array,
  d: number,
  k: number,
  opts: { seed?: number; maxIterations?: number } = {},
): KMeansResult {
  const n = points.length / d;
  if (!Number.isInteger(n) || d < 1) throw new RangeError('points must hold n × d values');
  const kk = Math.min(k, n);
  const rand = seededRandom(opts.seed ?? 1);
  const centroids = new Float64Array(kk * d);
  const assignment = new Int32Array(n);
  if (n === 0) return { centroids, assignment, inertia: 0, iterations: 0 };
  // k-means++: each next centre drawn with probability proportional to its squared distance.
  const nearest = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  let pick = Math.floor(rand() * n);
  for (let c = 0; c < kk; c++) {
    centroids.set(points.subarray(pick * d, pick * d + d), c * d);
    let total = 0;
    for (let i = 0; i < n; i++) {
      nearest[i] = Math.min(nearest[i] as number, dist2(points, i, centroids, c, d));
      total += nearest[i] as number;
    }
    let u = rand() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      u -= nearest[i] as number;
      if (u <= 0) {
        pick = i;
        break;
      }
    }
  }
  let iterations = 0;
  let inertia = 0;
  const sums = new Float64Array(kk * d);
  const counts = new Int32Array(kk);
  for (; iterations < (opts.maxIterations ?? 100); iterations++) {
    let changed = 0;
    inertia = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Number.POSITIVE_INFINITY;
      for (let c = 0; c < kk; c++) {
        const dd = dist2(points, i, centroids, c, d);
        if (dd < bestD) {
          bestD = dd;
          best = c;
        }
      }
      if (assignment[i] !== best || iterations === 0) changed++;
      assignment[i] = best;
      inertia += bestD;
    }
    if (changed === 0) break;
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assignment[i] as number;
      counts[c]!++;
      for (let j = 0; j < d; j++) sums[c * d + j]! += points[i * d + j] as number;
    }
    // An emptied cluster keeps its centre.
    for (let c = 0; c < kk; c++)
      if ((counts[c] as number) > 0)
        for (let j = 0; j < d; j++)
          centroids[c * d + j] = (sums[c * d + j] as number) / (counts[c] as number);
  }
  return { centroids, assignment, inertia, iterations };
}
