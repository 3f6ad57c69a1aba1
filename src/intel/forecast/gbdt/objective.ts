/**
 * Loss functions on the raw score F. Squared error predicts F itself; Poisson and Tweedie use a log link
 * (mean = exp F), which keeps count forecasts positive and lets a tree multiply rather than add; logistic
 * (binary cross-entropy) uses the logit link for a 0/1 label (probability = 1 / (1 + e^−F)).
 */

export type ObjectiveName = 'squared' | 'poisson' | 'tweedie' | 'logistic';

export interface Objective {
  name: ObjectiveName;
  /** The constant raw score that minimises the loss with no tree at all. */
  initScore(label: Float32Array, weight: Float32Array | null): number;
  /**
   * Writes first and second derivatives of the loss with respect to the raw score, for every row or only
   * for `rows[0..n)` (the round's bag: the other rows' derivatives would go unread).
   */
  gradients(
    label: Float32Array,
    score: Float64Array,
    weight: Float32Array | null,
    grad: Float32Array,
    hess: Float32Array,
    rows?: Uint32Array,
    n?: number,
  ): void;
  /** Raw score → prediction on the label's scale. */
  transform(score: number): number;
  /** Mean deviance (weighted): the figure early stopping and the tests watch. */
  loss(label: Float32Array, score: Float64Array, weight: Float32Array | null): number;
}

function weightedMean(label: Float32Array, weight: Float32Array | null): number {
  let s = 0;
  let w = 0;
  for (let i = 0; i < label.length; i++) {
    const wi = weight ? (weight[i] as number) : 1;
    s += wi * (label[i] as number);
    w += wi;
  }
  return w > 0 ? s / w : 0;
}

// A log link on an all-zero target would start at -Infinity; start near zero instead.
const logOfMean = (label: Float32Array, weight: Float32Array | null): number =>
  Math.log(Math.max(weightedMean(label, weight), 1e-9));

const squared: Objective = {
  name: 'squared',
  initScore: weightedMean,
  gradients(label, score, weight, grad, hess, rows, n) {
    const m = rows ? (n ?? rows.length) : label.length;
    for (let k = 0; k < m; k++) {
      const i = rows ? (rows[k] as number) : k;
      const w = weight ? (weight[i] as number) : 1;
      grad[i] = w * ((score[i] as number) - (label[i] as number));
      hess[i] = w;
    }
  },
  transform: (f) => f,
  loss(label, score, weight) {
    let s = 0;
    let w = 0;
    for (let i = 0; i < label.length; i++) {
      const wi = weight ? (weight[i] as number) : 1;
      const d = (label[i] as number) - (score[i] as number);
      s += wi * d * d;
      w += wi;
    }
    return s / w;
  },
};

const poisson: Objective = {
  name: 'poisson',
  initScore: logOfMean,
  // loss = mu - y F, mu = e^F: gradient mu - y, hessian mu.
  gradients(label, score, weight, grad, hess, rows, n) {
    const m = rows ? (n ?? rows.length) : label.length;
    for (let k = 0; k < m; k++) {
      const i = rows ? (rows[k] as number) : k;
      const w = weight ? (weight[i] as number) : 1;
      const mu = Math.exp(score[i] as number);
      grad[i] = w * (mu - (label[i] as number));
      hess[i] = w * mu;
    }
  },
  transform: Math.exp,
  loss(label, score, weight) {
    let s = 0;
    let w = 0;
    for (let i = 0; i < label.length; i++) {
      const wi = weight ? (weight[i] as number) : 1;
      const y = label[i] as number;
      const mu = Math.exp(score[i] as number);
      s += wi * 2 * ((y > 0 ? y * Math.log(y / mu) : 0) - (y - mu));
      w += wi;
    }
    return s / w;
  },
};

/** Tweedie with variance power p in (1, 2): a point mass at zero plus a continuous positive part. */
export function tweedie(p: number): Objective {
  if (!(p > 1 && p < 2)) throw new RangeError(`tweedie variance power must be in (1, 2), got ${p}`);
  const a = 1 - p;
  const b = 2 - p;
  return {
    name: 'tweedie',
    initScore: logOfMean,
    // loss = -y e^{(1-p)F}/(1-p) + e^{(2-p)F}/(2-p)
    gradients(label, score, weight, grad, hess, rows, n) {
      const m = rows ? (n ?? rows.length) : label.length;
      for (let k = 0; k < m; k++) {
        const i = rows ? (rows[k] as number) : k;
        const w = weight ? (weight[i] as number) : 1;
        const f = score[i] as number;
        const y = label[i] as number;
        const ea = Math.exp(a * f);
        const eb = Math.exp(b * f);
        grad[i] = w * (-y * ea + eb);
        hess[i] = w * (-y * a * ea + b * eb);
      }
    },
    transform: Math.exp,
    loss(label, score, weight) {
      let s = 0;
      let w = 0;
      for (let i = 0; i < label.length; i++) {
        const wi = weight ? (weight[i] as number) : 1;
        const y = label[i] as number;
        const f = score[i] as number;
        const yTerm = y > 0 ? y ** b / (a * b) : 0;
        s += wi * 2 * (yTerm - (y * Math.exp(a * f)) / a + Math.exp(b * f) / b);
        w += wi;
      }
      return s / w;
    },
  };
}

export const sigmoid = (f: number): number => 1 / (1 + Math.exp(-f));

const logistic: Objective = {
  name: 'logistic',
  initScore(label, weight) {
    const p = Math.min(Math.max(weightedMean(label, weight), 1e-9), 1 - 1e-9);
    return Math.log(p / (1 - p));
  },
  // loss = −y ln p − (1−y) ln(1−p), p = σ(F): gradient p − y, hessian p(1−p).
  gradients(label, score, weight, grad, hess, rows, n) {
    const m = rows ? (n ?? rows.length) : label.length;
    for (let k = 0; k < m; k++) {
      const i = rows ? (rows[k] as number) : k;
      const w = weight ? (weight[i] as number) : 1;
      const p = sigmoid(score[i] as number);
      grad[i] = w * (p - (label[i] as number));
      hess[i] = w * Math.max(p * (1 - p), 1e-16);
    }
  },
  transform: sigmoid,
  loss(label, score, weight) {
    let s = 0;
    let w = 0;
    for (let i = 0; i < label.length; i++) {
      const wi = weight ? (weight[i] as number) : 1;
      const y = label[i] as number;
      const f = score[i] as number;
      // Deviance 2(ln(1 + e^F) − yF), written to stay finite for large |F|.
      s += wi * 2 * (Math.max(f, 0) + Math.log1p(Math.exp(-Math.abs(f))) - y * f);
      w += wi;
    }
    return s / w;
  },
};

export function objectiveFor(name: ObjectiveName, tweedieVariancePower = 1.2): Objective {
  if (name === 'logistic') return logistic;
  if (name === 'squared') return squared;
  if (name === 'poisson') return poisson;
  return tweedie(tweedieVariancePower);
}
