/**
 * Notes and coins a drawer is counted in, largest first, in minor units. A currency not listed here
 * is counted as one total instead.
 */
const byCurrency: Record<string, number[]> = {
  EUR: [50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1],
  USD: [10000, 5000, 2000, 1000, 500, 100, 25, 10, 5, 1],
  GBP: [5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1],
  CHF: [20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5],
  CAD: [10000, 5000, 2000, 1000, 500, 200, 100, 25, 10, 5],
  AUD: [10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5],
};

export function denominationsOf(currency: string): number[] | undefined {
  return byCurrency[currency];
}

export function countTotal(counts: { valueMinor: number; count: number }[]): number {
  return counts.reduce((s, d) => s + d.valueMinor * d.count, 0);
}

/** Quick cash buttons: the exact amount, then the next round amounts a customer is likely to hand over. */
export function quickCash(dueMinor: number, currency: string): number[] {
  const notes = (byCurrency[currency] ?? [10000, 5000, 2000, 1000, 500]).filter((v) => v >= 500);
  const out = new Set<number>([dueMinor]);
  for (const n of [...notes].reverse()) {
    const up = Math.ceil(dueMinor / n) * n;
    if (up > dueMinor) out.add(up);
    if (out.size >= 4) break;
  }
  return [...out].sort((a, b) => a - b);
}
