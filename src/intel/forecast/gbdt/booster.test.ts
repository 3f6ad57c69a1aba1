import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../core/random.ts';
import { train } from './booster.ts';
import { objectiveFor } from './objective.ts';

const col = (xs: number[]) => Float32Array.from(xs);
// Gradients are summed from Float32 values, so leaf values are exact to about 1e-6.
const closeAll = (got: Float64Array, want: number[]) => {
  expect(got.length).toBe(want.length);
  for (const [i, w] of want.entries()) expect(got[i]).toBeCloseTo(w, 5);
};

describe('histogram gradient boosting', () => {
  it('fits a step function exactly with one full-rate tree', () => {
    const x = Array.from({ length: 100 }, (_, i) => i);
    const y = x.map((v) => (v < 30 ? 1 : v < 70 ? 5 : -2));
    const model = train(
      { nRows: 100, columns: [col(x)], label: col(y) },
      { numRounds: 1, learningRate: 1, numLeaves: 3, minDataInLeaf: 1 },
    );
    const pred = model.predictColumns([col(x)], 100);
    closeAll(pred, y);
    closeAll(model.predictRows(col([29.5, 30, 69.4, 1000]), 4), [1, 5, 5, -2]);
  });

  it('finds the hand-computed first split and leaf values for squared error', () => {
    // y = 1,1,3,7: start at the mean 3, gradients 2,2,0,-4, hessians 1. With λ = 1 the gains are
    // x≤1: 4/2 + 4/4 = 3, x≤2: 16/3 + 16/3 = 10.7, x≤3: 16/4 + 16/2 = 12 → split between 3 and 4;
    // leaves −G/(H+λ) = −4/4 = −1 and 4/2 = 2, halved by the learning rate.
    const model = train(
      { nRows: 4, columns: [col([1, 2, 3, 4])], label: col([1, 1, 3, 7]) },
      { numRounds: 1, learningRate: 0.5, numLeaves: 2, minDataInLeaf: 1, lambdaL2: 1 },
    );
    const tree = model.trees[0]!;
    expect(model.initScore).toBe(3);
    expect(tree.nLeaves).toBe(2);
    expect(tree.threshold[0]).toBe(3.5);
    expect(tree.leafValue[0]).toBeCloseTo(-0.5, 12);
    expect(tree.leafValue[1]).toBeCloseTo(1, 12);
    closeAll(model.predictRows(col([1, 4]), 2), [2.5, 4]);
  });

  it('finds the hand-computed first split and leaf values for Poisson', () => {
    // y = 0,0,2,6: mean 2, F0 = ln 2, mu = 2 everywhere: gradients mu − y = 2,2,0,−4, hessians mu = 2.
    // Gains (λ = 0): x≤1: 4/2 + 4/6 = 2.67, x≤2: 16/4 + 16/4 = 8, x≤3: 16/6 + 16/2 = 10.67 → x≤3.
    // Leaves: −4/6 = −2/3 and 4/2 = 2 on the log scale.
    const model = train(
      { nRows: 4, columns: [col([1, 2, 3, 4])], label: col([0, 0, 2, 6]) },
      { objective: 'poisson', numRounds: 1, learningRate: 1, numLeaves: 2, minDataInLeaf: 1 },
    );
    const tree = model.trees[0]!;
    expect(model.initScore).toBeCloseTo(Math.log(2), 12);
    expect(tree.threshold[0]).toBe(3.5);
    expect(tree.leafValue[0]).toBeCloseTo(-2 / 3, 6);
    expect(tree.leafValue[1]).toBeCloseTo(2, 6);
    const [lo, hi] = model.predictRows(col([0, 10]), 2);
    expect(lo).toBeCloseTo(2 * Math.exp(-2 / 3), 5);
    expect(hi).toBeCloseTo(2 * Math.exp(2), 5);
  });

  const countData = (n: number, seed: number) => {
    const rand = seededRandom(seed);
    const x1 = new Float32Array(n);
    const x2 = new Float32Array(n);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x1[i] = rand() * 10;
      x2[i] = Math.floor(rand() * 7);
      const mu = Math.exp(-1 + 0.25 * (x1[i] as number) + ((x2[i] as number) === 5 ? 1 : 0));
      // Poisson draw by inversion.
      let k = 0;
      let p = Math.exp(-mu);
      let s = p;
      const u = rand();
      while (u > s && k < 500) {
        k++;
        p *= mu / k;
        s += p;
      }
      y[i] = k;
    }
    return { nRows: n, columns: [x1, x2], label: y };
  };

  for (const objective of ['squared', 'poisson', 'tweedie'] as const) {
    it(`lowers the ${objective} training deviance every round`, () => {
      const model = train(
        countData(2000, 7),
        {
          objective,
          tweedieVariancePower: 1.3,
          numRounds: 40,
          learningRate: 0.1,
          numLeaves: 8,
          categorical: [1],
        },
        { recordTrainLoss: true },
      );
      const losses = model.history.map((h) => h.trainLoss!);
      for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]!);
      expect(losses[losses.length - 1]).toBeLessThan(losses[0]! * 0.9);
    });
  }

  it('keeps the mean Poisson prediction at the mean of the target', () => {
    const data = countData(3000, 11);
    const model = train(data, { objective: 'poisson', numRounds: 150, learningRate: 0.1, numLeaves: 15 });
    const pred = model.predictColumns(data.columns, data.nRows);
    const meanPred = pred.reduce((a, b) => a + b, 0) / pred.length;
    const meanY = data.label.reduce((a, b) => a + b, 0) / data.nRows;
    expect(Math.abs(meanPred / meanY - 1)).toBeLessThan(0.005);
  });

  it('learns a set of categories that are not contiguous codes', () => {
    const codes = Array.from({ length: 400 }, (_, i) => i % 8);
    const y = codes.map((c) => ([1, 4, 6].includes(c) ? 10 : 0));
    const model = train(
      { nRows: 400, columns: [col(codes)], label: col(y) },
      {
        numRounds: 1,
        learningRate: 1,
        numLeaves: 2,
        minDataInLeaf: 1,
        categorical: [0],
        catL2: 0,
        catSmooth: 0,
      },
    );
    closeAll(model.predictRows(col([0, 1, 2, 3, 4, 5, 6, 7]), 8), [0, 10, 0, 0, 10, 0, 10, 0]);
  });

  it('sends missing values to the side that fits them', () => {
    const x = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? Number.NaN : i));
    const y = x.map((v) => (Number.isNaN(v) || v > 150 ? 8 : 0));
    const model = train(
      { nRows: 300, columns: [col(x)], label: col(y) },
      { numRounds: 1, learningRate: 1, numLeaves: 2, minDataInLeaf: 1 },
    );
    closeAll(model.predictRows(col([Number.NaN, 10, 200]), 3), [8, 0, 8]);
  });

  it('stops early when the validation loss stops improving, keeping the best round', () => {
    const trainSet = countData(1000, 3);
    const validSet = countData(1000, 4);
    const model = train(
      trainSet,
      {
        objective: 'poisson',
        numRounds: 500,
        learningRate: 0.3,
        numLeaves: 31,
        minDataInLeaf: 2,
        earlyStoppingRounds: 10,
      },
      { valid: validSet },
    );
    expect(model.history.length).toBeLessThan(500);
    expect(model.trees.length).toBe(model.bestRound);
    const best = Math.min(...model.history.map((h) => h.validLoss!));
    expect(model.history[model.bestRound - 1]!.validLoss).toBe(best);
  });

  it('row and feature subsampling still learn, and the same seed gives the same model', () => {
    const data = countData(2000, 5);
    const params = {
      objective: 'poisson' as const,
      numRounds: 60,
      numLeaves: 8,
      baggingFraction: 0.5,
      featureFraction: 0.5,
      seed: 42,
    };
    const a = train(data, params, { recordTrainLoss: true });
    const b = train(data, params);
    expect(a.predictColumns(data.columns, 50)).toEqual(b.predictColumns(data.columns, 50));
    expect(a.history.at(-1)!.trainLoss!).toBeLessThan(a.history[0]!.trainLoss! * 0.9);
  });
});

describe('objectives', () => {
  for (const [name, p] of [
    ['squared', 1.5],
    ['poisson', 1.5],
    ['tweedie', 1.1],
    ['tweedie', 1.5],
    ['logistic', 1.5],
  ] as const) {
    it(`${name}${name === 'tweedie' ? ` p=${p}` : ''}: gradient and hessian are the derivatives of the loss`, () => {
      const obj = objectiveFor(name, p);
      const label = Float32Array.from(name === 'logistic' ? [0, 1, 1, 0] : [0, 1, 3, 7]);
      const score = Float64Array.from([-0.5, 0.2, 1.1, 2]);
      const grad = new Float32Array(4);
      const hess = new Float32Array(4);
      obj.gradients(label, score, null, grad, hess);
      const h = 1e-4;
      for (let i = 0; i < 4; i++) {
        // loss() is a mean of 2×unit deviance; per row: half of it times n.
        const at = (f: number) => {
          const s = Float64Array.from(score);
          s[i] = f;
          return obj.loss(label.subarray(i, i + 1), s.subarray(i, i + 1), null) / 2;
        };
        const f = score[i]!;
        const g = (at(f + h) - at(f - h)) / (2 * h);
        const hh = (at(f + h) - 2 * at(f) + at(f - h)) / (h * h);
        expect(grad[i]).toBeCloseTo(g, 3);
        expect(hess[i]! / hh).toBeCloseTo(1, 2);
      }
    });
  }
});

describe('logistic objective', () => {
  it('starts at the log-odds of the base rate and learns a clean threshold as probabilities', () => {
    const x = Array.from({ length: 200 }, (_, i) => i);
    const y = x.map((v) => (v < 50 || v % 10 === 0 ? 1 : 0));
    const model = train(
      { nRows: 200, columns: [col(x)], label: col(y) },
      { objective: 'logistic', numRounds: 60, learningRate: 0.3, numLeaves: 4, minDataInLeaf: 5 },
    );
    const rate = y.reduce((a: number, b) => a + b, 0) / 200;
    expect(model.initScore).toBeCloseTo(Math.log(rate / (1 - rate)), 6);
    expect(model.predictRows(col([10]), 1)[0]).toBeGreaterThan(0.95);
    // Above 50 one row in ten is a 1: the mean probability there is near 0.1.
    const tail = model.predictColumns([col(x.slice(50))], 150);
    const mean = tail.reduce((a, b) => a + b, 0) / 150;
    expect(mean).toBeGreaterThan(0.07);
    expect(mean).toBeLessThan(0.13);
  });
});

describe('validation edge cases', () => {
  it('trains every round when the validation set is empty', () => {
    const x = Float32Array.from({ length: 100 }, (_, i) => i);
    const model = train(
      { nRows: 100, columns: [x], label: Float32Array.from(x, (v) => (v < 50 ? 0 : 3)) },
      { objective: 'poisson', numRounds: 12, minDataInLeaf: 5, earlyStoppingRounds: 3 },
      { valid: { nRows: 0, columns: [new Float32Array(0)], label: new Float32Array(0) } },
    );
    expect(model.trees).toHaveLength(12);
    expect(model.predictRows(Float32Array.from([80]), 1)[0]).toBeGreaterThan(2);
  });
});
