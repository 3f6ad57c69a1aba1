import { describe, expect, it } from 'vitest';
import { buildHistories, type TransactionLine } from './history.ts';
import { productSignals } from './product-signals.ts';

const DAY = 86_400_000;
const line = (invoice: string, day: number, customer: string, product: string): TransactionLine => ({
  invoice,
  timeMs: day * DAY,
  customer,
  product,
  quantity: 1,
  unitPrice: 2,
});

// Ten shops buy paper cups every week; ten others buy one gift set and never come back.
const lines: TransactionLine[] = [];
for (let c = 0; c < 10; c++)
  for (let w = 0; w < 10; w++) lines.push(line(`S${c}-${w}`, w * 7, `staple${c}`, 'CUPS'));
for (let c = 0; c < 10; c++) lines.push(line(`G${c}`, c, `gift${c}`, 'GIFTSET'));

describe('product repurchase signals', () => {
  it("rates a product its buyers rebuy above a one-off gift, and counts each product's purchases", () => {
    const histories = buildHistories(lines);
    const codes = new Map<string, number>();
    for (const h of histories)
      for (const inv of h.invoices) codes.set(h.customer.slice(0, 4), inv.products[0] as number);
    const s = productSignals(histories, 70, 30);
    const cups = s.rate[codes.get('stap') as number] as number;
    const gift = s.rate[codes.get('gift') as number] as number;
    // Ten one-off purchases only pull the gift set part of the way from the overall share (6 in 7).
    expect(cups).toBeGreaterThan(0.9);
    expect(gift).toBeLessThan(cups - 0.3);
    expect(s.popularity[codes.get('stap') as number]).toBe(100);
  });

  it('reads no purchase at or after the cutoff, nor labels that end after it', () => {
    const histories = buildHistories(lines);
    // At day 20 only the cups bought by day −10 could have a finished 30-day label: none, so the prior is
    // undefined and every rate is NaN; the purchases before day 20 are still counted.
    const s = productSignals(histories, 20, 30);
    expect([...s.rate].every(Number.isNaN)).toBe(true);
    expect([...s.popularity].reduce((a, b) => a + b, 0)).toBe(30 + 10);
  });
});
