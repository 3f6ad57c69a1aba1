/**
 * `tally eval customers`: the Online Retail file converted to the line contract, then each window scored
 * through the same reader and scorer as `tally customers score` (lines at or after as-of kept apart as
 * the actuals), against two baselines: recency alone for who buys, the last 90 days' spend for how much.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { invalid } from '../../core/index.ts';
import { dayOfMs, isCancellation } from './history.ts';
import { readLines } from './lines-csv.ts';
import { brierScore, expectedCalibrationError, rocAuc, spearman } from './metrics.ts';
import { convertOnlineRetail } from './online-retail.ts';
import { asOfDay, type ScoreResult, scoreHistories } from './score.ts';

export interface Window {
  asOf: string;
  horizonDays: number;
}

export interface WindowResult extends Window {
  customers: number;
  baseRate: number;
  meanP: number;
  auc: number;
  ece: number;
  brier: number;
  spearman: number;
  recencyAuc: number;
  /** The BG/NBD alone: P(a purchase within the horizon). */
  bgAuc: number;
  last90Spearman: number;
  seconds: number;
  peakRssMb: number;
}

export async function evalWindow(
  linesFile: string,
  w: Window,
  seed = 7,
): Promise<WindowResult & { result: ScoreResult }> {
  const t0 = performance.now();
  const asOf = asOfDay(w.asOf);
  const { builder, future } = await readLines(linesFile, { asOfMs: asOf * 86_400_000, future: 'collect' });
  const histories = builder.histories();
  const result = scoreHistories(histories, { asOf: w.asOf, horizonDays: w.horizonDays, seed });
  const seconds = (performance.now() - t0) / 1000;
  // Actuals: a non-cancelled invoice in [as-of, as-of + N), and the window's net value floored at 0.
  const bought = new Map<string, number>();
  const net = new Map<string, number>();
  for (const l of future) {
    const day = dayOfMs(l.timeMs);
    if (day >= asOf + w.horizonDays) continue;
    if (!isCancellation(l.invoice)) bought.set(l.customer, 1);
    net.set(l.customer, (net.get(l.customer) ?? 0) + l.quantity * l.unitPrice);
  }
  const scores = result.scores;
  const y = scores.map((s) => bought.get(s.customer) ?? 0);
  const spend = scores.map((s) => Math.max(0, net.get(s.customer) ?? 0));
  const byId = new Map(histories.map((h) => [h.customer, h]));
  const recency: number[] = [];
  const last90: number[] = [];
  for (const s of scores) {
    const h = byId.get(s.customer);
    let last = Number.NEGATIVE_INFINITY;
    let v = 0;
    for (const inv of h?.invoices ?? []) {
      if (!inv.cancel) last = Math.max(last, inv.day);
      if (inv.day >= asOf - 90) v += inv.value;
    }
    recency.push(last);
    last90.push(v);
  }
  const p = scores.map((s) => s.pActive);
  return {
    ...w,
    customers: scores.length,
    baseRate: y.reduce((a, b) => a + b, 0) / y.length,
    meanP: p.reduce((a, b) => a + b, 0) / p.length,
    auc: rocAuc(p, y),
    ece: expectedCalibrationError(p, y, 10),
    brier: brierScore(p, y),
    spearman: spearman(
      scores.map((s) => s.expectedSpend),
      spend,
    ),
    recencyAuc: rocAuc(recency, y),
    bgAuc: rocAuc(
      scores.map((s) => s.bgPActive),
      y,
    ),
    last90Spearman: spearman(last90, spend),
    seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    result,
  };
}

export const DEFAULT_WINDOWS: Window[] = [
  ...['2011-05-01', '2011-06-01', '2011-07-01', '2011-08-01', '2011-09-09'].map((asOf) => ({
    asOf,
    horizonDays: 90,
  })),
  { asOf: '2011-09-09', horizonDays: 30 },
  { asOf: '2011-11-01', horizonDays: 30 },
];

/** `2011-09-09:90,2011-11-01:30` → windows. */
export function parseWindows(text: string): Window[] {
  return text.split(',').map((w) => {
    const [asOf = '', h = '90'] = w.trim().split(':');
    asOfDay(asOf);
    const horizonDays = Number(h);
    if (!Number.isInteger(horizonDays) || horizonDays < 1)
      throw invalid('windows', `"${w}": horizon must be a positive integer`);
    return { asOf, horizonDays };
  });
}

/** The Online Retail file under the shared data folder, or undefined when it is absent. */
export function findOnlineRetail(explicit?: string): string | undefined {
  const candidates = explicit ? [explicit] : [resolve('../shared/data'), '/work/shared/data'];
  return candidates.map((c) => join(c, 'online-retail', 'online_retail.csv.gz')).find((p) => existsSync(p));
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '—');

export async function runCustomersEval(o: {
  data?: string;
  windows?: Window[];
  seed?: number;
}): Promise<WindowResult[]> {
  const source = findOnlineRetail(o.data);
  if (!source) {
    console.log(
      'tally eval customers: online-retail/online_retail.csv.gz is absent from the shared data folder (../shared/data or /work/shared/data, or --data): nothing to evaluate.',
    );
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'tally-customers-'));
  try {
    const lines = join(dir, 'lines.csv.gz');
    console.log(`Online Retail from ${source}: converting to transaction lines`);
    await convertOnlineRetail(source, lines);
    const out: WindowResult[] = [];
    for (const w of o.windows ?? DEFAULT_WINDOWS) {
      const { result: _, ...r } = await evalWindow(lines, w, o.seed ?? 7);
      out.push(r);
      console.log(
        `  ${w.asOf} +${w.horizonDays}d: AUC ${f3(r.auc)}, ECE ${f3(r.ece)}, Spearman ${f3(r.spearman)} (${r.seconds.toFixed(1)} s)`,
      );
    }
    console.log('');
    console.log(
      '| as-of | days | customers | base rate | mean p | ROC AUC | recency AUC | BG/NBD AUC | ECE (10 bins) | Brier | Spearman spend | last-90d Spearman | wall s | peak RSS MB |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const r of out)
      console.log(
        `| ${r.asOf} | ${r.horizonDays} | ${r.customers} | ${f3(r.baseRate)} | ${f3(r.meanP)} | ${f3(r.auc)} | ${f3(r.recencyAuc)} | ${f3(r.bgAuc)} | ${f3(r.ece)} | ${f3(r.brier)} | ${f3(r.spearman)} | ${f3(r.last90Spearman)} | ${r.seconds.toFixed(1)} | ${r.peakRssMb.toFixed(0)} |`,
      );
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
