/**
 * Nelder–Mead simplex minimisation: no gradients, a handful of parameters (the BG/NBD's four, the
 * Gamma-Gamma's three, fitted on log scale). Deterministic: the start and step fix every move.
 */
export interface MinimizeResult {
  x: number[];
  value: number;
  iterations: number;
}

export function nelderMead(
  f: (x: number[]) => number,
  start: number[],
  opts: { step?: number; maxIterations?: number; tolerance?: number } = {},
): MinimizeResult {
  const n = start.length;
  const step = opts.step ?? 0.5;
  const maxIt = opts.maxIterations ?? 2000;
  const tol = opts.tolerance ?? 1e-10;
  const safe = (x: number[]) => {
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  let simplex = [start, ...start.map((_, i) => start.map((v, j) => (i === j ? v + step : v)))];
  let values = simplex.map(safe);
  let it = 0;
  for (; it < maxIt; it++) {
    const order = values.map((_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
    simplex = order.map((i) => simplex[i] as number[]);
    values = order.map((i) => values[i] as number);
    const best = values[0] as number;
    const worst = values[n] as number;
    if (Math.abs(worst - best) <= tol * (Math.abs(best) + tol)) break;
    const centroid = Array.from(
      { length: n },
      (_, j) => simplex.slice(0, n).reduce((s, p) => s + (p[j] as number), 0) / n,
    );
    const towards = (t: number) =>
      centroid.map((c, j) => c + t * (c - ((simplex[n] as number[])[j] as number)));
    const reflected = towards(1);
    const fr = safe(reflected);
    if (fr < best) {
      const expanded = towards(2);
      const fe = safe(expanded);
      simplex[n] = fe < fr ? expanded : reflected;
      values[n] = Math.min(fe, fr);
    } else if (fr < (values[n - 1] as number)) {
      simplex[n] = reflected;
      values[n] = fr;
    } else {
      const contracted = fr < worst ? towards(0.5) : towards(-0.5);
      const fc = safe(contracted);
      if (fc < Math.min(fr, worst)) {
        simplex[n] = contracted;
        values[n] = fc;
      } else {
        const b = simplex[0] as number[];
        for (let i = 1; i <= n; i++) {
          simplex[i] = (simplex[i] as number[]).map(
            (v, j) => (b[j] as number) + 0.5 * (v - (b[j] as number)),
          );
          values[i] = safe(simplex[i] as number[]);
        }
      }
    }
  }
  return { x: simplex[0] as number[], value: values[0] as number, iterations: it };
}
