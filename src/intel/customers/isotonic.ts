/**
 * Isotonic calibration (pool adjacent violators): a non-decreasing step map from a model's score to the
 * observed rate, fitted on a held-out cutoff; new scores are interpolated between the steps.
 */
export interface IsotonicMap {
  x: Float64Array;
  y: Float64Array;
}

export function fitIsotonic(score: ArrayLike<number>, label: ArrayLike<number>): IsotonicMap {
  const idx = Array.from({ length: score.length }, (_, i) => i).sort(
    (a, b) => (score[a] as number) - (score[b] as number) || a - b,
  );
  const sums: number[] = [];
  const weights: number[] = [];
  const xs: number[] = [];
  for (const i of idx) {
    sums.push(label[i] as number);
    weights.push(1);
    xs.push(score[i] as number);
    while (sums.length > 1) {
      const k = sums.length - 1;
      if (
        (sums[k - 1] as number) / (weights[k - 1] as number) <=
        (sums[k] as number) / (weights[k] as number)
      )
        break;
      sums[k - 1]! += sums[k] as number;
      weights[k - 1]! += weights[k] as number;
      // A pooled block is placed at the weighted mean of its scores.
      xs[k - 1] =
        ((xs[k - 1] as number) * ((weights[k - 1] as number) - (weights[k] as number)) +
          (xs[k] as number) * (weights[k] as number)) /
        (weights[k - 1] as number);
      sums.pop();
      weights.pop();
      xs.pop();
    }
  }
  return { x: Float64Array.from(xs), y: Float64Array.from(sums.map((s, k) => s / (weights[k] as number))) };
}

export function applyIsotonic(m: IsotonicMap, s: number): number {
  const n = m.x.length;
  if (n === 0) return s;
  if (s <= (m.x[0] as number)) return m.y[0] as number;
  if (s >= (m.x[n - 1] as number)) return m.y[n - 1] as number;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((m.x[mid] as number) <= s) lo = mid;
    else hi = mid;
  }
  const x0 = m.x[lo] as number;
  const x1 = m.x[hi] as number;
  const t = x1 > x0 ? (s - x0) / (x1 - x0) : 0;
  return (m.y[lo] as number) + t * ((m.y[hi] as number) - (m.y[lo] as number));
}
