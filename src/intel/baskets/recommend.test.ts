import { describe, expect, it, vi } from 'vitest';
import { BasketBuilder } from './basket-builder.ts';
import { CustomerHistory } from './customer-history.ts';
import { runBasketsEval } from './eval.ts';
import { hiddenCases, hitRate } from './hit-rate.ts';
import { DEFAULT_MODEL, PAIRWISE, trainModel } from './model.ts';

/** Tea goes with biscuits, pasta with sauce; milk is in every basket (popular, says nothing). */
function shop() {
  const b = new BasketBuilder();
  let inv = 0;
  const sell = (customer: string, ...products: string[]) => {
    inv++;
    for (const p of products)
      b.add({
        invoice: String(inv),
        timeMs: Date.UTC(2011, 0, 1) + inv * 3_600_000,
        customer,
        product: p,
        quantity: 1,
        unitPrice: 1,
      });
  };
  for (let i = 0; i < 30; i++) sell('', 'tea', 'biscuits', 'milk');
  for (let i = 0; i < 30; i++) sell('', 'pasta', 'sauce', 'milk');
  for (let i = 0; i < 10; i++) sell('', 'tea', 'milk');
  for (let i = 0; i < 3; i++) sell('ann', 'candles', 'milk');
  return b;
}

const names = (b: BasketBuilder, codes: number[]) => codes.map((c) => b.products[c]);

describe('bought together', () => {
  it('suggests biscuits for a basket with tea', () => {
    const b = shop();
    const t = b.table();
    for (const options of [PAIRWISE, DEFAULT_MODEL]) {
      const { recommender } = trainModel(t, { ...options, minCount: 5 });
      expect(names(b, recommender.recommend([b.codeOf('tea'), b.codeOf('milk')], 1))).toEqual(['biscuits']);
    }
  });

  it('suggests sauce with pasta, not the milk every basket holds anyway', () => {
    const b = shop();
    const { recommender } = trainModel(b.table(), { ...DEFAULT_MODEL, minCount: 5 });
    expect(names(b, recommender.recommend([b.codeOf('pasta')], 2))).toEqual(['sauce', 'milk']);
  });

  it('fills the ten with best sellers when the rules run out, never repeating the basket', () => {
    const b = shop();
    const { recommender } = trainModel(b.table(), { ...PAIRWISE, minCount: 5 });
    const got = names(b, recommender.recommend([b.codeOf('candles')], 10));
    expect(got).not.toContain('candles');
    expect(new Set(got).size).toBe(got.length);
    expect(got.slice(0, 3)).toEqual(['milk', 'tea', 'biscuits']);
  });

  it("lets a regular's own earlier purchases come back as suggestions", () => {
    const b = shop();
    const t = b.table();
    const { recommender } = trainModel(t, { ...PAIRWISE, minCount: 5 });
    const ann = new CustomerHistory(t).votesFor('ann');
    expect(names(b, recommender.recommend([b.codeOf('milk')], 1, ann))).toEqual(['candles']);
    expect(new CustomerHistory(t).votesFor('')).toBeUndefined();
  });

  it('hides one product of each basket of two or more and counts the hits', () => {
    const b = shop();
    const t = b.table();
    const cases = hiddenCases(t, 7);
    expect(cases.length).toBe(t.offsets.length - 1);
    for (const c of cases) expect(c.rest).not.toContain(c.hidden);
    const { recommender } = trainModel(t, { ...PAIRWISE, minCount: 5 });
    expect(hitRate(cases, recommender)).toBe(1);
  });

  it('evaluation says so and stops when the data is absent', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await runBasketsEval({ data: '/nonexistent/shared/data' })).toEqual([]);
    expect(log.mock.calls[0]?.[0]).toMatch(/online_retail\.csv\.gz is absent .* nothing to evaluate/);
    log.mockRestore();
  });
});
