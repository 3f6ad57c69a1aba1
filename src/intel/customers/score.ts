/**
 * Scoring customers at an as-of day: the features of every customer at earlier cutoffs (labels ending at
 * or before as-of) train a boosted classifier for "buys within the horizon" and a boosted Tweedie
 * regressor for the spend; the most recent cutoff is held out to stop the rounds and to calibrate the
 * probabilities (isotonic), then the customers are scored on their features at as-of.
 */
import { invalid } from '../../core/index.ts';
import { type GbdtModel, sigmoid, train } from '../forecast/index.ts';
import type { BgNbdParams } from './bgnbd.ts';
import { behaviourClusters } from './clusters.ts';
import { CATEGORICAL, type CutoffFeatures, FEATURE_NAMES, featuresAt, labelsAt } from './features.ts';
import { type CustomerHistory, dayOfMs, HistoryBuilder, type TransactionLine } from './history.ts';
import { applyIsotonic, fitIsotonic } from './isotonic.ts';
import { averageRanks } from './metrics.ts';
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
  /** The probabilistic models' own answers (BG/NBD, × Gamma-Gamma for spend), for explanation. */
  bgPActive: number;
  bgSpend: number;
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
    p.f.columns.forEach((c, j) => {
      (columns[j] as Float32Array).set(c, at);
    });
    bought.set(p.bought, at);
    spend.set(p.spend, at);
    at += p.f.rows.length;
  }
  return { columns, bought, spend, nRows };
}

function trainingCutoffs(histories: readonly CustomerHistory[], asOf: number, horizon: number): number[] {
  let first = Number.POSITIVE_INFINITY;
  for (const h of histories)
    if (h.invoices.length > 0) first = Math.min(first, (h.invoices[0] as { day: number }).day);
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
  numLeaves: Number(process.env.SC_LEAVES ?? 4),
  minDataInLeaf: Number(process.env.SC_MINLEAF ?? 200),
  lambdaL2: 1,
  featureFraction: 0.8,
  baggingFraction: 0.8,
  earlyStoppingRounds: 30,
  categorical: CATEGORICAL,
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
    const logSpend = process.env.SC_SPEND === 'log';
    const rankSpend = process.env.SC_SPEND === 'rank';
    const lab = (x: Float32Array, parts: { f: CutoffFeatures; spend: Float32Array }[]) => {
      if (logSpend) return x.map(Math.log1p);
      if (!rankSpend) return x;
      const out = new Float32Array(x.length);
      let at = 0;
      for (const p of parts) {
        const r = averageRanks(p.spend);
        for (let i = 0; i < r.length; i++) out[at + i] = (r[i] as number) / r.length;
        at += r.length;
      }
      return out;
    };
    const reg = train(
      { nRows: data.nRows, columns: data.columns, label: lab(data.spend, trainParts) },
      logSpend || rankSpend
        ? { ...REGRESSOR, objective: 'squared', seed: seed + 1 }
        : { ...REGRESSOR, seed: seed + 1 },
      {
        valid: valid &&
          held && { nRows: valid.nRows, columns: valid.columns, label: lab(valid.spend, [held]) },
      },
    );
    progress('models', 2, 2);
    pActive = clf.predictColumns(now.columns, nNow);
    if (valid && held && opts.calibration !== 'none') {
      calibrationCutoff = isoDay(held.f.cutoff);
      pActive = calibrate(clf, valid, pActive);
    }
    spend = reg.predictColumns(now.columns, nNow);
    if (logSpend) spend = spend.map(Math.expm1);
    if (rankSpend && valid) {
      const m = fitIsotonic(reg.predictColumns(valid.columns, valid.nRows), valid.spend);
      spend = spend.map((v) => applyIsotonic(m, v) + 1e-6 * v);
    }
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
      bgPActive: now.bgPBuy[r] as number,
      bgSpend,
    };
  });
  const segments = summarizeSegments(
    scores.map((s, r) => ({
      segment: s.segment,
      expectedSpend: s.expectedSpend,
      monetary: now.monetary[r] as number,
      pActive: s.pActive,
    })),
  );
  return {
    scores,
    segments,
    model: {
      trainCutoffs: trainParts.map((p) => isoDay(p.f.cutoff)),
      calibrationCutoff,
      trainRows,
      bgnbd: now.bg,
    },
  };
}

const logit = (p: number) => {
  const q = Math.min(Math.max(p, 1e-4), 1 - 1e-4);
  return Math.log(q / (1 - q));
};

/**
 * The held-out cutoff gives the shape (isotonic map from score to rate); the level comes from all cutoffs
 * pooled (the classifier's own mean there), because the most recent cutoff's base rate carries its season
 * and the target window's is unknown: a logit shift δ makes the calibrated mean on the held-out rows equal
 * the classifier's mean there, and the same δ is applied at as-of.
 */
function calibrate(clf: GbdtModel, valid: Stacked, p: Float64Array): Float64Array {
  const heldP = clf.predictColumns(valid.columns, valid.nRows);
  const map = fitIsotonic(heldP, valid.bought);
  const heldLogit = heldP.map((v) => logit(applyIsotonic(map, v)));
  let delta = 0;
  if (process.env.SC_LEVEL !== 'recent') {
    const target = heldP.reduce((a, b) => a + b, 0) / heldP.length;
    const meanAt = (d: number) => heldLogit.reduce((a, l) => a + sigmoid(l + d), 0) / heldLogit.length;
    let lo = -5;
    let hi = 5;
    for (let k = 0; k < 60; k++) {
      const mid = (lo + hi) / 2;
      if (meanAt(mid) < target) lo = mid;
      else hi = mid;
    }
    delta = (lo + hi) / 2;
  }
  return p.map((v) => sigmoid(logit(applyIsotonic(map, v)) + delta));
}
