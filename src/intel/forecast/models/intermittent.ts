/**
 * Intermittent-demand methods: Croston (1972), the Syntetos–Boylan approximation (SBA, 2005) and
 * Teunter–Syntetos–Babai (TSB, 2011). All give a flat forecast of the demand per period.
 */

export interface CrostonState {
  /** Smoothed demand size and inter-demand interval. */
  size: number;
  interval: number;
}

/**
 * Croston: sizes z and intervals p of the non-zero periods are each smoothed with `alpha`, initialised at
 * the first demand (size) and the periods up to it (interval). Forecast z/p; SBA multiplies by 1 − α/2.
 */
export function croston(y: Float64Array, alpha = 0.1): CrostonState | undefined {
  let z = Number.NaN;
  let p = Number.NaN;
  let q = 1;
  for (let t = 0; t < y.length; t++) {
    const v = y[t] as number;
    if (v > 0) {
      if (Number.isNaN(z)) {
        z = v;
        p = q;
      } else {
        z += alpha * (v - z);
        p += alpha * (q - p);
      }
      q = 1;
    } else q++;
  }
  return Number.isNaN(z) ? undefined : { size: z, interval: p };
}

export function crostonForecast(
  y: Float64Array,
  h: number,
  alpha = 0.1,
  variant: 'croston' | 'sba' = 'croston',
): Float64Array {
  const st = croston(y, alpha);
  const f = st ? (st.size / st.interval) * (variant === 'sba' ? 1 - alpha / 2 : 1) : 0;
  return new Float64Array(h).fill(f);
}

/**
 * TSB: the probability of a demand d is updated every period (towards 1 or 0, with `beta`), the size z only
 * in periods with demand (with `alpha`). Forecast d·z, which decays to zero for an item that stopped selling,
 * unlike Croston. Initialised with the share of non-zero periods and the first demand size.
 */
export function tsbForecast(y: Float64Array, h: number, alpha = 0.1, beta = 0.1): Float64Array {
  let nz = 0;
  let z = Number.NaN;
  for (let t = 0; t < y.length; t++) {
    if ((y[t] as number) > 0) {
      nz++;
      if (Number.isNaN(z)) z = y[t] as number;
    }
  }
  if (nz === 0) return new Float64Array(h);
  let d = nz / y.length;
  for (let t = 0; t < y.length; t++) {
    const v = y[t] as number;
    if (v > 0) {
      d += beta * (1 - d);
      z += alpha * (v - z);
    } else d -= beta * d;
  }
  return new Float64Array(h).fill(d * z);
}
