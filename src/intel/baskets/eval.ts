/**
 * `tally eval baskets`: the hit rate of issue 20 on Online Retail windows. The file is converted to the
 * line contract and read by the same reader as `tally baskets`; for each as-of, rules are mined on every
 * basket before it and tested on the baskets of the following month, against best sellers alone and
 * pairwise rules (support ≥ 20 baskets, ranked by confidence) in the same run, on the same hidden products.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invalid } from '../../core/index.ts';
import { convertOnlineRetail, findOnlineRetail, parseAsOf } from '../customers/index.ts';
import type { BasketBuilder } from './basket-builder.ts';
import { CustomerHistory } from './customer-history.ts';
import { hiddenCases, hitRate } from './hit-rate.ts';
import { bestSellers, DEFAULT_MODEL, type ModelOptions, PAIRWISE, trainModel } from './model.ts';
import { Recommender } from './recommend.ts';
import { readBaskets } from './rules-file.ts';

export const DEFAULT_BASKET_WINDOWS = ['2011-07-01', '2011-09-09', '2011-10-09', '2011-11-09'];
/** Three draws of the hidden products, averaged: one draw moves the rate by about ±0.01. */
const SEEDS = [7, 8, 9];

export interface BasketWindowResult {
  asOf: string;
  trainBaskets: number;
  testCases: number;
  bestSellers: number;
  pairwise: number;
  tally: number;
  /** Tally's rules with the customer's own earlier baskets voting too (issue 20's protocol, more input). */
  tallyWithHistory: number;
  trainSeconds: number;
}

/** One month after a midnight in ms (calendar month, UTC). */
function monthAfter(ms: number): number {
  const d = new Date(ms);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.getTime();
}

export function evalBasketWindow(
  builder: BasketBuilder,
  asOf: string,
  model: ModelOptions = DEFAULT_MODEL,
): BasketWindowResult {
  const from = parseAsOf(asOf, 'windows');
  const to = monthAfter(from);
  const train = builder.table((_, t) => t < from);
  const test = builder.table((_, t) => t >= from && t < to);
  const itemCount = builder.products.length;
  const best = new Recommender(itemCount, [], bestSellers(train));
  const pairwise = trainModel(train, PAIRWISE, itemCount).recommender;
  const t0 = performance.now();
  const tally = trainModel(train, model, itemCount).recommender;
  const trainSeconds = (performance.now() - t0) / 1000;
  const history = new CustomerHistory(train);
  const rates = { best: 0, pairwise: 0, tally: 0, withHistory: 0 };
  let cases = 0;
  for (const seed of SEEDS) {
    const c = hiddenCases(test, seed);
    cases = c.length;
    rates.best += hitRate(c, best) / SEEDS.length;
    rates.pairwise += hitRate(c, pairwise) / SEEDS.length;
    rates.tally += hitRate(c, tally) / SEEDS.length;
    rates.withHistory += hitRate(c, tally, 10, (x) => history.votesFor(x.customer)) / SEEDS.length;
  }
  return {
    asOf,
    trainBaskets: train.offsets.length - 1,
    testCases: cases,
    bestSellers: rates.best,
    pairwise: rates.pairwise,
    tally: rates.tally,
    tallyWithHistory: rates.withHistory,
    trainSeconds,
  };
}

export function parseBasketWindows(text: string): string[] {
  const list = text.split(',').map((w) => w.trim());
  for (const w of list) parseAsOf(w, 'windows');
  if (list.length === 0) throw invalid('windows', 'name at least one YYYY-MM-DD as-of date');
  return list;
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '—');

export async function runBasketsEval(o: {
  data?: string;
  windows?: string[];
  model?: ModelOptions;
}): Promise<BasketWindowResult[]> {
  const source = findOnlineRetail(o.data);
  if (!source) {
    console.log(
      'tally eval baskets: online-retail/online_retail.csv.gz is absent from the shared data folder (../shared/data or /work/shared/data, or --data): nothing to evaluate.',
    );
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'tally-baskets-'));
  try {
    const lines = join(dir, 'lines.csv');
    console.log(`Online Retail from ${source}: converting to transaction lines`);
    await convertOnlineRetail(source, lines);
    const t0 = performance.now();
    const { builder } = await readBaskets(lines);
    const all = builder.table();
    const readSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const model = o.model ?? DEFAULT_MODEL;
    trainModel(all, model);
    const mineSeconds = (performance.now() - t1) / 1000;
    console.log(
      `${all.offsets.length - 1} baskets read in ${readSeconds.toFixed(1)} s; Tally's rules of the whole file mined in ${mineSeconds.toFixed(1)} s`,
    );
    const out: BasketWindowResult[] = [];
    for (const w of o.windows ?? DEFAULT_BASKET_WINDOWS) {
      const r = evalBasketWindow(builder, w, model);
      out.push(r);
      console.log(
        `  ${w}: Tally ${f3(r.tally)} (with the customer's history ${f3(r.tallyWithHistory)}), pairwise ${f3(r.pairwise)}, best sellers ${f3(r.bestSellers)} (${r.testCases} baskets)`,
      );
    }
    const mean = (k: 'tally' | 'tallyWithHistory' | 'pairwise' | 'bestSellers') =>
      out.reduce((s, r) => s + r[k], 0) / out.length;
    console.log('');
    console.log(
      '| as-of | train baskets | test baskets | best sellers | pairwise rules | Tally rules | Tally + customer history | Tally mined in s |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const r of out)
      console.log(
        `| ${r.asOf} | ${r.trainBaskets} | ${r.testCases} | ${f3(r.bestSellers)} | ${f3(r.pairwise)} | ${f3(r.tally)} | ${f3(r.tallyWithHistory)} | ${r.trainSeconds.toFixed(1)} |`,
      );
    console.log(
      `| mean | | | ${f3(mean('bestSellers'))} | ${f3(mean('pairwise'))} | ${f3(mean('tally'))} | ${f3(mean('tallyWithHistory'))} | |`,
    );
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
