/**
 * The file contract end to end: read the lines (refusing any at or after as-of), score, and write
 * `customer,p_active,expected_spend,segment[,clv12]` through a temporary file renamed into place, so a
 * failure at any step leaves no output behind.
 */
import { createReadStream, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { stringify } from 'csv-stringify/sync';
import { readLines } from './lines-csv.ts';
import { asOfDay, type ScoreResult, scoreHistories } from './score.ts';

export interface ScoreFileOptions {
  transactions: string;
  asOf: string;
  horizonDays: number;
  out: string;
  withClv12?: boolean;
  seed?: number;
  onProgress?: (step: string, done: number, total: number) => void;
}

export function scoresCsv(result: ScoreResult, withClv12: boolean): string {
  const header = ['customer', 'p_active', 'expected_spend', 'segment', ...(withClv12 ? ['clv12'] : [])];
  const rows = result.scores.map((s) => [
    s.customer,
    s.pActive.toFixed(6),
    s.expectedSpend.toFixed(2),
    s.segment,
    ...(withClv12 ? [s.clv12.toFixed(2)] : []),
  ]);
  return stringify([header, ...rows]);
}

export async function scoreFile(o: ScoreFileOptions): Promise<ScoreResult> {
  const asOf = asOfDay(o.asOf);
  const progress = o.onProgress ?? (() => {});
  const size = statSync(o.transactions).size;
  const file = createReadStream(o.transactions, { highWaterMark: 1 << 20 });
  let read = 0;
  file.on('data', (chunk) => {
    read += chunk.length;
    progress('read MB', Math.round(read / 2 ** 20), Math.max(1, Math.round(size / 2 ** 20)));
  });
  const input = o.transactions.endsWith('.gz') ? file.pipe(createGunzip()) : file;
  const { builder } = await readLines(input, { asOfMs: asOf * 86_400_000, future: 'refuse' });
  const result = scoreHistories(builder.histories(), {
    asOf: o.asOf,
    horizonDays: o.horizonDays,
    seed: o.seed,
    onProgress: progress,
  });
  const tmp = `${o.out}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, scoresCsv(result, o.withClv12 ?? false));
    renameSync(tmp, o.out);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return result;
}
