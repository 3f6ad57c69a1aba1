/** Latency summaries for benchmarks: nearest-rank percentiles over measured samples (milliseconds). */
export interface Summary {
  n: number;
  median: number;
  p99: number;
  mean: number;
}

export function summarise(samples: readonly number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const rank = (p: number): number =>
    s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? Number.NaN;
  return { n: s.length, median: rank(0.5), p99: rank(0.99), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

export const ms = (x: number): string => `${x.toFixed(3)} ms`;

export interface PrintedTable {
  title: string;
  rows: Record<string, string | number>[];
}

/** Every table printed in this process, in order, so `npm run bench` can also write them to the docs. */
export const printedTables: PrintedTable[] = [];

export function printTable(title: string, rows: Record<string, string | number>[]): void {
  console.log(`\n## ${title}`);
  console.table(rows);
  printedTables.push({ title, rows });
}
