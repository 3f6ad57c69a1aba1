/**
 * Gradient histograms: for every feature and bin, the sums of gradient, hessian and row count over the rows
 * of one leaf. A split is then found by scanning at most 256 cells per feature instead of every row.
 * Only the smaller child of a split is built from rows; the larger is its parent minus the smaller.
 */

/** Cells per feature: 256 bins × (gradient, hessian, count). */
export const FEATURE_STRIDE = 256 * 3;

export function newHistogram(nFeatures: number): Float64Array {
  return new Float64Array(nFeatures * FEATURE_STRIDE);
}

/**
 * Sums the rows `rows[begin..end)` into `hist` for the listed features. `ordG`/`ordH` are scratch buffers
 * the gradients are gathered into once, so the per-feature loops read them sequentially.
 */
export function buildHistogram(
  hist: Float64Array,
  bins: Uint8Array[],
  features: Int32Array,
  rows: Uint32Array,
  begin: number,
  end: number,
  grad: Float32Array,
  hess: Float32Array,
  ordG: Float32Array,
  ordH: Float32Array,
): void {
  const n = end - begin;
  for (let i = 0; i < n; i++) {
    const r = rows[begin + i] as number;
    ordG[i] = grad[r] as number;
    ordH[i] = hess[r] as number;
  }
  for (let k = 0; k < features.length; k++) {
    const f = features[k] as number;
    const col = bins[f] as Uint8Array;
    const base = f * FEATURE_STRIDE;
    hist.fill(0, base, base + FEATURE_STRIDE);
    for (let i = 0; i < n; i++) {
      const c = base + (col[rows[begin + i] as number] as number) * 3;
      hist[c]! += ordG[i] as number;
      hist[c + 1]! += ordH[i] as number;
      hist[c + 2]! += 1;
    }
  }
}

/** parent ← parent − child, over the listed features: the parent buffer becomes the sibling's histogram. */
export function subtractInto(parent: Float64Array, child: Float64Array, features: Int32Array): void {
  for (let k = 0; k < features.length; k++) {
    const base = (features[k] as number) * FEATURE_STRIDE;
    for (let c = base; c < base + FEATURE_STRIDE; c++) parent[c]! -= child[c] as number;
  }
}
