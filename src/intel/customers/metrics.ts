/** Scoring a churn/spend prediction: ROC AUC, expected calibration error, Brier score, Spearman's ρ. */

/** Average ranks (1-based), ties sharing the mean of their places. */
export function averageRanks(v: ArrayLike<number>): Float64Array {
  const idx = Array.from({ length: v.length }, (_, i) => i).sort(
    (a, b) => (v[a] as number) - (v[b] as number),
  );
  const ranks = new Float64Array(v.length);
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && v[idx[j + 1] as number] === v[idx[i] as number]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[idx[k] as number] = r;
    i = j + 1;
  }
  return ranks;
}

/** ROC AUC by the rank-sum (Mann–Whitney) formula; ties count one half. NaN without both classes. */
export function rocAuc(score: ArrayLike<number>, label: ArrayLike<number>): number {
  const ranks = averageRanks(score);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < label.length; i++) {
    if ((label[i] as number) > 0) {
      pos++;
      rankSum += ranks[i] as number;
    }
  }
  const neg = label.length - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Expected calibration error over `bins` equal-width bins of the predicted probability. */
export function expectedCalibrationError(p: ArrayLike<number>, label: ArrayLike<number>, bins = 10): number {
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < p.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor((p[i] as number) * bins)));
    count[b]!++;
    sumP[b]! += p[i] as number;
    sumY[b]! += label[i] as number;
  }
  let e = 0;
  for (let b = 0; b < bins; b++) if (count[b]! > 0) e += Math.abs(sumP[b]! - sumY[b]!);
  return e / p.length;
}

export function brierScore(p: ArrayLike<number>, label: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += ((p[i] as number) - (label[i] as number)) ** 2;
  return s / p.length;
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] as number;
    mb += b[i] as number;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - ma;
    const db = (b[i] as number) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : Number.NaN;
}

/** Spearman's ρ: Pearson's correlation of the average ranks (the usual treatment of ties). */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return pearson(averageRanks(a), averageRanks(b));
}
