/**
 * The basket file contract: invoice lines in (the customers contract, read by its reader with its
 * line-numbered errors), `antecedent,consequent,support,confidence,lift` out, the antecedent's products
 * joined by `|`. The output goes through a temporary file renamed into place, so a failure at any step
 * leaves nothing behind.
 */
import { createReadStream, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { stringify } from 'csv-stringify/sync';
import { invalid } from '../../core/index.ts';
import { readLineRows } from '../customers/index.ts';
import { BasketBuilder, type BasketTable } from './basket-builder.ts';
import { fpGrowth } from './fp-growth.ts';
import { type Rules, rulesFrom } from './rules.ts';

export interface MineFileOptions {
  transactions: string;
  out: string;
  /** Share of baskets a rule's products must all be in, 0–1. */
  minSupport: number;
  minConfidence: number;
  /** Largest antecedent (products on the left). */
  maxAntecedent: number;
  /** Mine this store's baskets only (the file needs a store column). */
  store?: string;
  onProgress?: (step: string, done: number, total: number) => void;
}

export interface MineFileResult {
  baskets: number;
  rules: number;
  /** The smallest number of baskets a rule is in (support × baskets, rounded up). */
  minCount: number;
}

/** Rules as rows, the most confident first (then the most supported, then by name, for a stable file). */
export function rulesCsv(rules: Rules, products: string[]): string {
  const name = (c: number) => products[c] as string;
  const rows: { ant: string; cons: string; k: number }[] = [];
  for (let k = 0; k < rules.size; k++) {
    const ant: string[] = [];
    for (let i = rules.antOffsets[k] as number; i < (rules.antOffsets[k + 1] as number); i++)
      ant.push(name(rules.antecedent[i] as number));
    rows.push({ ant: ant.sort().join('|'), cons: name(rules.consequent[k] as number), k });
  }
  rows.sort(
    (a, b) =>
      (rules.confidence[b.k] as number) - (rules.confidence[a.k] as number) ||
      (rules.support[b.k] as number) - (rules.support[a.k] as number) ||
      (a.ant < b.ant ? -1 : a.ant > b.ant ? 1 : 0) ||
      (a.cons < b.cons ? -1 : a.cons > b.cons ? 1 : 0),
  );
  return stringify([
    ['antecedent', 'consequent', 'support', 'confidence', 'lift'],
    ...rows.map(({ ant, cons, k }) => [
      ant,
      cons,
      (rules.support[k] as number).toFixed(6),
      (rules.confidence[k] as number).toFixed(6),
      (rules.lift[k] as number).toFixed(4),
    ]),
  ]);
}

export async function readBaskets(
  transactions: string,
  onProgress: (step: string, done: number, total: number) => void = () => {},
): Promise<{ builder: BasketBuilder; hasStore: boolean }> {
  const size = statSync(transactions).size;
  const file = createReadStream(transactions, { highWaterMark: 1 << 20 });
  let read = 0;
  file.on('data', (chunk) => {
    read += chunk.length;
    onProgress('read MB', Math.round(read / 2 ** 20), Math.max(1, Math.round(size / 2 ** 20)));
  });
  const input = transactions.endsWith('.gz') ? file.pipe(createGunzip()) : file;
  const builder = new BasketBuilder();
  let hasStore = false;
  await readLineRows(input, (row) => {
    if (row.store !== undefined) hasStore = true;
    builder.add(row);
  });
  return { builder, hasStore };
}

/** Rules of one set of baskets at a support share and a confidence. */
export function mineRules(
  table: BasketTable,
  o: Pick<MineFileOptions, 'minSupport' | 'minConfidence' | 'maxAntecedent' | 'onProgress'>,
): { rules: Rules; minCount: number } {
  const n = table.offsets.length - 1;
  // A rule must stand on at least two baskets: one basket is an anecdote.
  const minCount = Math.max(2, Math.ceil(o.minSupport * n - 1e-9));
  const sets = fpGrowth(table, {
    minCount,
    maxLength: o.maxAntecedent + 1,
    onProgress: (done, total) => o.onProgress?.('mine', done, total),
  });
  return { rules: rulesFrom(sets, n, { minConfidence: o.minConfidence }), minCount };
}

export async function mineFile(o: MineFileOptions): Promise<MineFileResult> {
  const progress = o.onProgress ?? (() => {});
  const { builder, hasStore } = await readBaskets(o.transactions, progress);
  if (o.store !== undefined && !hasStore)
    throw invalid('--store', `${o.transactions} has no store column; drop --store or add the column`);
  const table = builder.table((_, __, store) => o.store === undefined || store === o.store);
  const baskets = table.offsets.length - 1;
  if (baskets === 0)
    throw invalid(
      o.store === undefined ? 'transactions' : '--store',
      o.store === undefined
        ? `${o.transactions} holds no basket (every line is a cancellation or has a quantity of 0 or less)`
        : `no basket at store "${o.store}" in ${o.transactions}`,
    );
  const { rules, minCount } = mineRules(table, { ...o, onProgress: progress });
  const tmp = `${o.out}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, rulesCsv(rules, table.products));
    renameSync(tmp, o.out);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return { baskets, rules: rules.size, minCount };
}
