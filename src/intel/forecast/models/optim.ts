/**
 * Nelder–Mead simplex minimisation (Lagarias et al. coefficients). Models map their bounded parameters
 * to unbounded ones, so no constraint handling is needed here.
 */
export interface NelderMeadOptions {
  maxEvals?: number;
  /** Stop when the spread of function values in the simplex falls below this. */
  tol?: number;
  /** Initial step per coordinate. */
  step?: number;
}

export function nelderMead(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  opts: NelderMeadOptions = {},
): { x: Float64Array; fx: number; evals: number } {
  const n = x0.length;
  const maxEvals = opts.maxEvals ?? 200 * n;
  const tol = opts.tol ?? 1e-8;
  const step = opts.step ?? 0.5;
  const pts: Float64Array[] = [];
  const vals = new Float64Array(n + 1);
  let evals = 0;
  const evalAt = (x: Float64Array): number => {
    evals++;
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  for (let i = 0; i <= n; i++) {
    const p = Float64Array.from(x0);
    if (i > 0) p[i - 1] = (p[i - 1] as number) + step;
    pts.push(p);
    vals[i] = evalAt(p);
  }
  const order = Array.from({ length: n + 1 }, (_, i) => i);
  const centroid = new Float64Array(n);
  const xr = new Float64Array(n);
  const xe = new Float64Array(n);
  const xc = new Float64Array(n);
  while (evals < maxEvals) {
    order.sort((a, b) => (vals[a] as number) - (vals[b] as number));
    const best = order[0] as number;
    const worst = order[n] as number;
    const second = order[n - 1] as number;
    const fb = vals[best] as number;
    const fw = vals[worst] as number;
    if (Math.abs(fw - fb) <= tol * (Math.abs(fb) + tol)) break;
    centroid.fill(0);
    for (let i = 0; i < n; i++) {
      const p = pts[order[i] as number] as Float64Array;
      for (let j = 0; j < n; j++) centroid[j] = (centroid[j] as number) + (p[j] as number) / n;
    }
    const pw = pts[worst] as Float64Array;
    for (let j = 0; j < n; j++) xr[j] = 2 * (centroid[j] as number) - (pw[j] as number);
    const fr = evalAt(xr);
    if (fr < fb) {
      for (let j = 0; j < n; j++) xe[j] = 3 * (centroid[j] as number) - 2 * (pw[j] as number);
      const fe = evalAt(xe);
      if (fe < fr) {
        pw.set(xe);
        vals[worst] = fe;
      } else {
        pw.set(xr);
        vals[worst] = fr;
      }
    } else if (fr < (vals[second] as number)) {
      pw.set(xr);
      vals[worst] = fr;
    } else {
      const outside = fr < fw;
      for (let j = 0; j < n; j++) {
        const c = centroid[j] as number;
        xc[j] = outside ? c + 0.5 * ((xr[j] as number) - c) : c + 0.5 * ((pw[j] as number) - c);
      }
      const fc = evalAt(xc);
      if (fc < (outside ? fr : fw)) {
        pw.set(xc);
        vals[worst] = fc;
      } else {
        // Shrink towards the best point.
        const pb = pts[best] as Float64Array;
        for (let i = 0; i <= n; i++) {
          if (i === best) continue;
          const p = pts[i] as Float64Array;
          for (let j = 0; j < n; j++) p[j] = (pb[j] as number) + 0.5 * ((p[j] as number) - (pb[j] as number));
          vals[i] = evalAt(p);
        }
      }
    }
  }
  let bi = 0;
  for (let i = 1; i <= n; i++) if ((vals[i] as number) < (vals[bi] as number)) bi = i;
  return { x: pts[bi] as Float64Array, fx: vals[bi] as number, evals };
}

export const logistic = (x: number): number => 1 / (1 + Math.exp(-x));
export const logit = (p: number): number => Math.log(p / (1 - p));
