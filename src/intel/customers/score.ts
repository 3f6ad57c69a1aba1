/**
 * Scoring customers at an as-of day: every customer's features at earlier cutoffs (every 14 days back
 * from as-of − horizon, so every label ends at or before as-of) train the boosted models (models.ts);
 * the most recent cutoff is held out to stop their rounds and calibrate them; then the customers are
 * scored on their features at as-of, with RFM segments, behaviour clusters and a 12-month value.
 */
import { invalid } from '../../core/index.ts';
import type { BgNbdParams } from './bgnbd.ts';
import { behaviourClusters } from './clusters.ts';
import { featuresAt, labelsAt } from './features.ts';
import { type CustomerHistory, dayOfMs, HistoryBuilder, type TransactionLine } from './history.ts';
import { fitModels } from './models.ts';
import { type RfmScore, type SegmentName, type SegmentSummary, segmentOf, summarizeSegments } from './rfm.ts';

export interface ScoreOptions {
  /** `YYYY-MM-DD`: the first day predicted; every line must be before it. */
  asOf: string;
  horizonDays: number;
  seed?: number;
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
const STEP_DAYS = 14;
const MAX_CUTOFFS = 24;
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
  // Too little history for any earlier cutoff: the probabilistic models answer alone.
  let pActive: Float64Array = Float64Array.from(now.bgPBuy);
  let spend: Float64Array = Float64Array.from(now.bgSpend);
  let calibrationCutoff: string | null = null;
  let trainRows = 0;
  const trainParts = parts.length > 1 ? parts.slice(1) : parts;
  const held = parts.length > 1 ? parts[0] : undefined;
  if (trainParts.some((p) => p.f.rows.length > 0)) {
    const models = fitModels(trainParts, held, seed);
    progress('models', 1, 1);
    trainRows = models.trainRows;
    calibrationCutoff = held ? isoDay(held.f.cutoff) : null;
    pActive = models.pActive(now.columns, nNow);
    spend = models.spend(now.columns, nNow);
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
