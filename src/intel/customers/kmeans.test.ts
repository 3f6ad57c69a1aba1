import { describe, expect, it } from 'vitest';
import { isotonicCases } from './isotonic.test-cases.ts';
import { applyIsotonic, fitIsotonic } from './isotonic.ts';
import { kmeans } from './kmeans.ts';

describe('k-means', () => {
  it('finds three well-separated groups and their centres', () => {
    const centres = [
      [0, 0],
      [10, 10],
      [-10, 8],
    ];
    const pts: number[] = [];
    for (const [cx, cy] of centres)
      for (const [dx, dy] of [
        [-1, 0],
        [1, 0],
        [0, -1],
        [0, 1],
      ])
        pts.push((cx as number) + (dx as number), (cy as number) + (dy as number));
    const { assignment, centroids, inertia } = kmeans(Float64Array.from(pts), 2, 3, { seed: 3 });
    // Each group of four shares one label, and the three labels differ.
    for (let g = 0; g < 3; g++) expect(new Set(assignment.slice(g * 4, g * 4 + 4)).size).toBe(1);
    expect(new Set([assignment[0], assignment[4], assignment[8]]).size).toBe(3);
    for (let g = 0; g < 3; g++) {
      const c = assignment[g * 4] as number;
      expect(centroids[c * 2]).toBeCloseTo(centres[g]?.[0] as number, 12);
      expect(centroids[c * 2 + 1]).toBeCloseTo(centres[g]?.[1] as number, 12);
    }
    // Twelve points each at distance 1 from their centre.
    expect(inertia).toBeCloseTo(12, 12);
  });
});

describe('isotonic calibration', () => {
  for (const c of isotonicCases)
    it(c.name, () => {
      const m = fitIsotonic(c.score, c.label);
      expect(Array.from(m.y)).toEqual(c.steps);
      for (const [s, want] of c.apply) expect(applyIsotonic(m, s)).toBeCloseTo(want, 12);
    });
});
