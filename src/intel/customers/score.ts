/**
 * Scoring customers at an as-of day: the features of every customer at earlier cutoffs (labels ending at
 * or before as-of) train a boosted classifier for "buys within the horizon" and a boosted Tweedie
 * regressor for the spend; the most recent cutoff is held out to stop the rounds and to calibrate the
 * probabilities (isotonic), then the customers are scored on their features at as-of.
 */
import { invalid } from '../../core/index.ts';
import { type GbdtModel, train } from '../forecast/index.ts';
import type { BgNbdParams } from './bgnbd.ts';
import { behaviourClusters } from './clusters.ts';
import { type CutoffFeatures, FEATURE_NAMES, featuresAt, labelsAt } from './features.ts';
import { type CustomerHistory, dayOfMs, HistoryBuilder, type TransactionLine } from './history.ts';
import { applyIsotonic, fitIsotonic } from './isotonic.ts';
import { type RfmScore, type SegmentName, type SegmentSummary, segmentOf, summarizeSegments } from './rfm.ts';

export interface ScoreOptions {
  /** `YYYY-MM-DD`: the first day predicted; every line must be before it. */
  asOf: string;
  horizonDays: number;
  seed?: number;
  /** isotonic (default): calibrated on the held-out most recent cutoff; none: the classifier's own. */
  calibration?: 'isotonic' | 'none';
  onProgress?: (step: string, done: number, total: number) => void;
}

export interface CustomerScore {
  customer: string;
  /** P(at least one purchase in [as-of, as-of + horizon)). */
  pActive: number;
  /** Expected net spend in the horizon (the lines' currency units). */
  expectedSpend: number;
  /** Expected spend in the next 365 days (BG/NBD × Gamma-Gamma, scaled to the horizon's model). */
  clv12: number;
  segment: SegmentName;
  rfm: RfmScore;
  /** Behaviour cluster, 1 = highest mean spend (k-means on log features). */
  cluster: number;
}

export interface ScoreResult {
  scores: CustomerScore[];
  segments: SegmentSummary[];
  model: {
    /** The cutoffs trained on and the one held out for calibration (ISO dates). */
    trainCutoffs: string[];
    calibrationCutoff: string | null;
    trainRows: number;
    bgnbd: BgNbdParams;
  };
}

/** Weekly cutoffs back from as-of − horizon; each needs this many days of history before it. */
const STEP_DAYS = Number(process.env.SC_STEP ?? 14);
const MAX_CUTOFFS = Number(process.env.SC_MAX ?? 24);
const MIN_HISTORY_DAYS = 28;

const isoDay = (day: number) => new Date(Math.round(day) * 86_400_000).toISOString().slice(0, 10);

export function asOfDay(asOf: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw invalid('asOf', `"${asOf}" is not a YYYY-MM-DD date`);
  const ms = Date.parse(`${asOf}T00:00:00Z`);
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== asOf)
    throw invalid('asOf', `"${asOf}" is not a real date`);
  return dayOfMs(ms);
}

/** The library entry for in-memory rows (HQ's own sales later): lines must all be before as-of. */
export function scoreCustomers(lines: Iterable<TransactionLine>, opts: ScoreOptions): ScoreResult {
  const limit = asOfDay(opts.asOf) * 86_400_000;
  const b = new HistoryBuilder();
  let n = 0;
  for (const l of lines) {
    n++;
    if (l.timeMs >= limit) throw invalid('time', `line ${n}: at or after as-of ${opts.asOf}`);
    b.add(l);
  }
  return scoreHistories(b.histories(), opts);
}

interface Stacked {
  columns: Float32Array[];
  bought: Float32Array;
  spend: Float32Array;
  nRows: number;
}

function stack(parts: { f: CutoffFeatures; bought: Float32Array; spend: Float32Array }[]): Stacked {
  const nRows = parts.reduce((s, p) => s + p.f.rows.length, 0);
  const columns = FEATURE_NAMES.map(() => new Float32Array(nRows));
  const bought = new Float32Array(nRows);
  const spend = new Float32Array(nRows);
  let at = 0;
  for (const p of parts) {
    p.f.columns.forEach((c, j) => (columns[j] as Float32Array).set(c, at));
    bought.set(p.bought, at);
    spend.set(p.spend, at);
    at += p.f.rows.length;
  }
  return { columns, bought, spend, nRows };
}

function trainingCutoffs(histories: readonly CustomerHistory[], asOf: number, horizon: number): number[] {
  let first = Number.POSITIVE_INFINITY;
  for (const h of histories) if (h.invoices.length > 0) first = Math.min(first, (h.invoices[0] as { day: number }).day);
  const out: number[] = [];
  for (let k = 0; k < MAX_CUTOFFS; k++) {
    const c = asOf - horizon - k * STEP_DAYS;
    if (c < Math.floor(first) + MIN_HISTORY_DAYS) break;
    out.push(c);
  }
  return out;
}

const CLASSIFIER = {
  objective: 'logistic' as const,
  numRounds: 250,
  learningRate: Number(process.env.SC_LR ?? 0.06),
  maxBins: 64,
  numLeaves: Number(process.env.SC_LEAVES ?? 15),
  minDataInLeaf: Number(process.env.SC_MINLEAF ?? 40),
  lambdaL2: 1,
  featureFraction: 0.8,
  baggingFraction: 0.8,
  earlyStoppingRounds: 30,
};
const REGRESSOR = { ...CLASSIFIER, objective: 'tweedie' as const, tweedieVariancePower: 1.5 };

export function scoreHistories(histories: readonly CustomerHistory[], opts: ScoreOptions): ScoreResult {
  const horizon = opts.horizonDays;
  if (!Number.isInteger(horizon) || horizon < 1) throw invalid('horizonDays', 'must be a positive integer');
  const asOf = asOfDay(opts.asOf);
  const seed = opts.seed ?? 7;
  const progress = opts.onProgress ?? (() => {});
  const cutoffs = trainingCutoffs(histories, asOf, horizon);
  const steps = cutoffs.length + 1;
  // Warm starts: each cutoff's BG/NBD fit begins where the previous one ended.
  let bgStart: BgNbdParams | undefined;
  const parts = cutoffs.map((c, k) => {
    const f = featuresAt(histories, c, horizon, bgStart);
    bgStart = f.bg;
    progress('features', k + 1, steps);
    return { f, ...labelsAt(histories, f.rows, c, horizon) };
  });
  const now = featuresAt(histories, asOf, horizon, bgStart);
  progress('features', steps, steps);

  const nNow = now.rows.length;
  let pActive: Float64Array = Float64Array.from(now.bgPBuy);
  let spend: Float64Array = Float64Array.from(now.bgSpend);
  let calibrationCutoff: string | null = null;
  let trainRows = 0;
  const trainParts = parts.length > 1 ? parts.slice(1) : parts;
  const held = parts.length > 1 ? parts[0] : undefined;
  if (trainParts.length > 0 && trainParts.some((p) => p.f.rows.length > 0)) {
    const data = stack(trainParts);
    trainRows = data.nRows;
    const valid = held ? stack([held]) : undefined;
    const clf = train(
      { nRows: data.nRows, columns: data.columns, label: data.bought },
      { ...CLASSIFIER, seed },
      { valid: valid && { nRows: valid.nRows, columns: valid.columns, label: valid.bought } },
    );
    progress('models', 1, 2);
    const reg = train(
      { nRows: data.nRows, columns: data.columns, label: data.spend },
      { ...REGRESSOR, seed: seed + 1 },
      { valid: valid && { nRows: valid.nRows, columns: valid.columns, label: valid.spend } },
    );
    progress('models', 2, 2);
    pActive = clf.predictColumns(now.columns, nNow);
    if (valid && held && opts.calibration !== 'none') {
      calibrationCutoff = isoDay(held.f.cutoff);
      pActive = calibrate(clf, valid, pActive);
    }
    spend = reg.predictColumns(now.columns, nNow);
  }

  const clusters = behaviourClusters(now.columns, nNow, 6, seed);
  const scores: CustomerScore[] = now.rows.map((hi, r) => {
    const rfm = now.rfm[r] as RfmScore;
    const bgSpend = now.bgSpend[r] as number;
    const s = Math.max(0, spend[r] as number);
    // The 12-month value keeps the BG/NBD's shape, scaled by how the boosted model sees the horizon.
    const scale = bgSpend > 1e-9 ? Math.min(Math.max(s / bgSpend, 0.25), 4) : 1;
    return {
      customer: (histories[hi] as CustomerHistory).customer,
      pActive: Math.min(1, Math.max(0, pActive[r] as number)),
      expectedSpend: s,
      clv12: Math.max(s, (now.clv365[r] as number) * scale),
      segment: segmentOf(rfm),
      rfm,
      cluster: clusters[r] as number,
    };
  });
  const segments = summarizeSegments(
    scores.map((s, r) => ({ segment: s.segment, expectedSpend: s.expectedSpend, monetary: now.monetary[r] as number, pActive: s.pActive })),
  );
  return {
    scores,
    segments,
    model: { trainCutoffs: trainParts.map((p) => isoDay(p.f.cutoff)), calibrationCutoff, trainRows, bgnbd: now.bg },
  };
}

function calibrate(clf: GbdtModel, valid: Stacked, p: Float64Array): Float64Array {
  const heldP = clf.predictColumns(valid.columns, valid.nRows);
  const map = fitIsotonic(heldP, valid.bought);
  return p.map((v) => applyIsotonic(map, v));
}
