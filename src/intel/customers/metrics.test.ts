import { describe, expect, it } from 'vitest';
import { averageRanks, brierScore, expectedCalibrationError, rocAuc, spearman } from './metrics.ts';

describe('churn and spend metrics', () => {
  it('ROC AUC counts the positive-negative pairs ranked right, ties as a half', () => {
    // Positives 0.9, 0.4; negatives 0.5, 0.1: pairs (0.9>0.5, 0.9>0.1, 0.4<0.5, 0.4>0.1) → 3/4.
    expect(rocAuc([0.9, 0.5, 0.4, 0.1], [1, 0, 1, 0])).toBeCloseTo(0.75, 12);
    // A tied pair counts one half: positive 0.5 vs negative 0.5 and vs 0.2 → (0.5 + 1) / 2.
    expect(rocAuc([0.5, 0.5, 0.2], [1, 0, 0])).toBeCloseTo(0.75, 12);
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNaN();
  });

  it('Spearman uses average ranks for ties', () => {
    expect(Array.from(averageRanks([10, 20, 20, 30]))).toEqual([1, 2.5, 2.5, 4]);
    // Ranks a: 1, 2.5, 2.5, 4; b: 1, 2, 3, 4 → ρ = 4.5 / √(4.5 · 5) = 0.9487.
    expect(spearman([1, 2, 2, 3], [5, 6, 7, 8])).toBeCloseTo(4.5 / Math.sqrt(4.5 * 5), 12);
    expect(spearman([1, 2, 3], [30, 20, 10])).toBeCloseTo(-1, 12);
  });

  it('expected calibration error weighs each bin by its share of customers', () => {
    // Bin 0.1–0.2: predictions 0.1, 0.1 with outcomes 0, 1 → |0.2 − 1| = 0.8; bin 0.9–1: 0.9 with 1 → 0.1.
    expect(expectedCalibrationError([0.1, 0.1, 0.9], [0, 1, 1], 10)).toBeCloseTo((0.8 + 0.1) / 3, 12);
    expect(expectedCalibrationError([0.5, 0.5], [0, 1], 10)).toBe(0);
    expect(brierScore([1, 0, 0.5], [1, 1, 0])).toBeCloseTo((0 + 1 + 0.25) / 3, 12);
  });
});
