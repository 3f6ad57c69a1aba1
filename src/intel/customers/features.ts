/**
 * What each customer looks like at a cutoff day, using only invoices before it: RFM, windows of 30/90/180/
 * 365 days, tenure, gaps between purchase days, cancellations, products, trend, and the BG/NBD and
 * Gamma-Gamma outputs fitted on that cutoff's customers. The same function builds the training rows at
 * earlier cutoffs and the rows scored at as-of, so the two never drift apart.
 */
import {
  type BgNbdParams,
  expectedPurchases,
  fitBgNbd,
  pAlive,
  pPurchaseWithin,
  type RfSummary,
} from './bgnbd.ts';
import { expectedValue, fitGammaGamma, type GammaGammaParams } from './gamma-gamma.ts';
import type { CustomerHistory } from './history.ts';
import { customerProductFeatures, productSignals } from './product-signals.ts';
import { type RfmScore, rfmScores } from './rfm.ts';

const WINDOWS = [30, 90, 180, 365] as const;
/** Days a product's repurchase label runs (product-signals.ts). */
const PRODUCT_LAG = 30;

export const FEATURE_NAMES = [
  'recency',
  'frequency',
  'purchase_days',
  'monetary',
  'mean_value',
  'tenure',
  ...WINDOWS.flatMap((w) => [`count_${w}`, `spend_${w}`]),
  'cancels',
  'cancel_rate',
  'cancel_value',
  'products',
  'products_per_invoice',
  'gap_mean',
  'gap_cv',
  'gap_last',
  'recency_over_gap',
  'trend_90',
  'bg_p_alive',
  'bg_p_buy',
  'bg_expected',
  'gg_value',
  'bg_spend',
  'rfm_r',
  'rfm_f',
  'rfm_m',
  'lines_per_invoice',
  'max_value',
  'store',
  'ew_count_30',
  'ew_count_120',
  'ew_spend_120',
  'active_months',
  'product_rate_mean',
  'product_rate_max',
  'product_rate_last',
  'product_popularity',
  'weeks_active_12',
  'weeks_active_26',
  'months_active_6',
  'gap_survival',
] as const;

/** Categorical features (integer codes), for the boosted models. */
export const CATEGORICAL = [FEATURE_NAMES.indexOf('store')];

export interface CutoffFeatures {
  cutoff: number;
  /** Index into the histories of each row (customers with an invoice before the cutoff). */
  rows: number[];
  columns: Float32Array[];
  rfm: RfmScore[];
  /** Per row: recency, frequency, monetary (for segments and summaries). */
  recency: Float64Array;
  frequency: Float64Array;
  monetary: Float64Array;
  bg: BgNbdParams;
  gg: GammaGammaParams;
  /** Per row: BG/NBD × Gamma-Gamma expected spend over 365 days. */
  clv365: Float64Array;
  /** Per row, on horizon days: P(buy) and expected spend from the probabilistic models alone. */
  bgPBuy: Float64Array;
  bgSpend: Float64Array;
}

interface Summary {
  rf: RfSummary | null;
  meanRepeat: number;
}

/** Features at `cutoff` (a day number) for a horizon of `horizon` days. */
export function featuresAt(
  histories: readonly CustomerHistory[],
  cutoff: number,
  horizon: number,
  bgStart?: BgNbdParams,
): CutoffFeatures {
  const rows: number[] = [];
  histories.forEach((h, i) => {
    if (h.invoices.length > 0 && (h.invoices[0]?.day as number) < cutoff) rows.push(i);
  });
  const n = rows.length;
  const nf = FEATURE_NAMES.length;
  const columns = Array.from({ length: nf }, () => new Float32Array(n).fill(Number.NaN));
  const recency = new Float64Array(n);
  const frequency = new Float64Array(n);
  const monetary = new Float64Array(n);
  const summaries: Summary[] = [];
  // Store codes from every history (not this cutoff's), so a code means one store at every cutoff.
  const storeCode = new Map([...new Set(histories.map((h) => h.store))].sort().map((st, i) => [st, i]));
  const tail = FEATURE_NAMES.indexOf('lines_per_invoice');
  const productAt = FEATURE_NAMES.indexOf('product_rate_mean');
  const signals = productSignals(histories, cutoff, PRODUCT_LAG);
  const seen = new Int32Array(signals.rate.length).fill(-1);
  const set = (f: number, r: number, v: number) => {
    (columns[f] as Float32Array)[r] = v;
  };

  rows.forEach((hi, r) => {
    const h = histories[hi] as CustomerHistory;
    let first = Number.NaN;
    let last = Number.NaN;
    let count = 0;
    let spend = 0;
    let cancels = 0;
    let cancelValue = 0;
    const winCount = [0, 0, 0, 0];
    const winSpend = [0, 0, 0, 0];
    let prev90 = 0;
    let lineCount = 0;
    let ew30 = 0;
    let ew120 = 0;
    let ewSpend = 0;
    const months = new Set<number>();
    const weeks = new Set<number>();
    let maxValue = Number.NaN;
    const days: number[] = [];
    const dayValue: number[] = [];
    let total = 0;
    for (const inv of h.invoices) {
      if (inv.day >= cutoff) break;
      total++;
      if (Number.isNaN(first)) first = inv.day;
      const age = cutoff - inv.day;
      if (inv.cancel) {
        cancels++;
        cancelValue += -inv.value;
      } else {
        count++;
        spend += inv.value;
        lineCount += inv.lines;
        ew30 += Math.exp(-age / 30);
        ew120 += Math.exp(-age / 120);
        if (age <= 365) months.add(Math.floor(age / 30.4));
        if (age < 26 * 7) weeks.add(Math.floor(age / 7));
        if (!(inv.value <= maxValue)) maxValue = inv.value;
        last = inv.day;
        const d = Math.floor(inv.day);
        if (days.length === 0 || days[days.length - 1] !== d) {
          days.push(d);
          dayValue.push(inv.value);
        } else dayValue[dayValue.length - 1]! += inv.value;
      }
      WINDOWS.forEach((w, k) => {
        if (age <= w) {
          if (!inv.cancel) winCount[k]!++;
          winSpend[k]! += inv.value;
        }
      });
      if (age > 90 && age <= 180) prev90 += inv.value;
      ewSpend += inv.value * Math.exp(-age / 120);
    }
    let products = 0;
    for (const d of h.productFirstDays) if (d < cutoff) products++;
    const firstPurchase = days.length > 0 ? (days[0] as number) : Number.NaN;
    const rec = count > 0 ? cutoff - last : Number.NaN;
    recency[r] = rec;
    frequency[r] = count;
    monetary[r] = spend;
    let f = 0;
    set(f++, r, rec);
    set(f++, r, count);
    set(f++, r, days.length);
    set(f++, r, spend);
    set(f++, r, count > 0 ? spend / count : Number.NaN);
    set(f++, r, cutoff - first);
    for (let k = 0; k < WINDOWS.length; k++) {
      set(f++, r, winCount[k] as number);
      set(f++, r, winSpend[k] as number);
    }
    set(f++, r, cancels);
    set(f++, r, cancels / total);
    set(f++, r, cancelValue);
    set(f++, r, products);
    set(f++, r, count > 0 ? products / count : Number.NaN);
    let gapMean = Number.NaN;
    let gapCv = Number.NaN;
    let gapLast = Number.NaN;
    let survival = Number.NaN;
    if (days.length > 1) {
      const gaps = days.slice(1).map((d, k) => d - (days[k] as number));
      // P(a gap longer than the current silence) under the customer's own gaps, smoothed.
      survival = (gaps.filter((g) => g > rec).length + 0.5) / (gaps.length + 1);
      gapMean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
      const v = gaps.reduce((s, g) => s + (g - gapMean) ** 2, 0) / gaps.length;
      gapCv = Math.sqrt(v) / gapMean;
      gapLast = gaps[gaps.length - 1] as number;
    }
    set(f++, r, gapMean);
    set(f++, r, gapCv);
    set(f++, r, gapLast);
    set(f++, r, rec / gapMean);
    set(f++, r, (winSpend[1] as number) - prev90);
    set(tail, r, count > 0 ? lineCount / count : Number.NaN);
    set(tail + 1, r, maxValue);
    set(tail + 2, r, storeCode.get(h.store) as number);
    set(tail + 3, r, ew30);
    set(tail + 4, r, ew120);
    set(tail + 5, r, ewSpend);
    set(tail + 6, r, months.size / Math.min(12, Math.max(1, (cutoff - first) / 30.4)));
    const pf = customerProductFeatures(h, cutoff, signals, seen, r);
    for (let k = 0; k < pf.length; k++) set(productAt + k, r, pf[k] as number);
    let w12 = 0;
    for (const w of weeks) if (w < 12) w12++;
    set(productAt + 4, r, w12);
    set(productAt + 5, r, weeks.size);
    let m6 = 0;
    for (const m of months) if (m < 6) m6++;
    set(productAt + 6, r, m6);
    set(productAt + 7, r, survival);
    const repeatValues = dayValue.slice(1);
    const meanRepeat =
      repeatValues.length > 0 ? repeatValues.reduce((s, v) => s + v, 0) / repeatValues.length : 0;
    summaries.push({
      rf:
        days.length > 0
          ? {
              x: days.length - 1,
              tx: (days[days.length - 1] as number) - firstPurchase,
              T: cutoff - firstPurchase,
            }
          : null,
      meanRepeat,
    });
  });

  const fitted = summaries.flatMap((s) => (s.rf ? [s.rf] : []));
  const bg = fitBgNbd(fitted, bgStart);
  const gg = fitGammaGamma(
    summaries.flatMap((s) => (s.rf && s.rf.x > 0 ? [{ x: s.rf.x, mean: s.meanRepeat }] : [])),
  );
  const clv365 = new Float64Array(n);
  const bgPBuy = new Float64Array(n);
  const bgSpend = new Float64Array(n);
  const base = FEATURE_NAMES.indexOf('bg_p_alive');
  summaries.forEach((s, r) => {
    const rf = s.rf ?? { x: 0, tx: 0, T: 0 };
    const ev = expectedValue(gg, { x: rf.x, mean: s.meanRepeat });
    const pa = s.rf ? pAlive(bg, rf) : Number.NaN;
    const pb = s.rf ? pPurchaseWithin(bg, rf, horizon) : 0;
    const ey = s.rf ? expectedPurchases(bg, rf, horizon) : 0;
    bgPBuy[r] = pb;
    bgSpend[r] = ey * ev;
    clv365[r] = s.rf ? expectedPurchases(bg, rf, 365) * ev : 0;
    set(base, r, pa);
    set(base + 1, r, pb);
    set(base + 2, r, ey);
    set(base + 3, r, ev);
    set(base + 4, r, ey * ev);
  });
  const rfm = rfmScores(
    rows.map((hi, r) => ({
      customer: (histories[hi] as CustomerHistory).customer,
      recencyDays: recency[r] as number,
      frequency: frequency[r] as number,
      monetary: monetary[r] as number,
    })),
  );
  rfm.forEach((s, r) => {
    set(base + 5, r, s.r);
    set(base + 6, r, s.f);
    set(base + 7, r, s.m);
  });
  return { cutoff, rows, columns, rfm, recency, frequency, monetary, bg, gg, clv365, bgPBuy, bgSpend };
}

/** Labels at a cutoff: bought again (a non-cancelled invoice in [cutoff, cutoff + horizon)) and net spend ≥ 0. */
export function labelsAt(
  histories: readonly CustomerHistory[],
  rows: readonly number[],
  cutoff: number,
  horizon: number,
): { bought: Float32Array; spend: Float32Array } {
  const bought = new Float32Array(rows.length);
  const spend = new Float32Array(rows.length);
  rows.forEach((hi, r) => {
    let s = 0;
    for (const inv of (histories[hi] as CustomerHistory).invoices) {
      if (inv.day < cutoff) continue;
      if (inv.day >= cutoff + horizon) break;
      if (!inv.cancel) bought[r] = 1;
      s += inv.value;
    }
    spend[r] = Math.max(0, s);
  });
  return { bought, spend };
}
