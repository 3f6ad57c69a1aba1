/** Hand-worked pool-adjacent-violators cases (shared by the calibration test). */
export const isotonicCases = [
  {
    name: 'pools a violating pair into its mean and keeps the order elsewhere',
    // Sorted by score: labels 0, 1, 0, 1 → the middle 1, 0 pool to 0.5.
    score: [0.1, 0.2, 0.3, 0.4],
    label: [0, 1, 0, 1],
    steps: [0, 0.5, 1],
    apply: [
      [0, 0],
      [0.25, 0.5],
      [1, 1],
    ] as [number, number][],
  },
  {
    name: 'an already increasing rate stays as it is',
    score: [1, 2, 3],
    label: [0, 0, 1],
    steps: [0, 0, 1],
    apply: [
      [2.5, 0.5],
      [5, 1],
    ] as [number, number][],
  },
];
