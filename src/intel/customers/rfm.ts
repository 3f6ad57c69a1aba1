/**
 * RFM: recency, frequency and monetary value scored 1–5 by quintile among the customers who bought, and
 * the usual named segments read from the recency and frequency scores (the segment map marketers use),
 * each with a one-sentence description for the dashboard.
 */

export interface RfmInput {
  customer: string;
  /** Days since the last purchase; NaN when the customer never bought (only cancellations). */
  recencyDays: number;
  frequency: number;
  monetary: number;
}

export interface RfmScore {
  r: number;
  f: number;
  m: number;
}

export const SEGMENTS = {
  champions: 'Bought recently and often: reward them, ask for reviews, offer early access.',
  'loyal customers': 'Buy regularly: upsell higher-value products and enrol them in loyalty.',
  'potential loyalists': 'Recent customers with a few purchases: offer membership or a loyalty program.',
  'new customers': 'Bought for the first time recently: onboard them and make the second purchase easy.',
  promising: 'Recent first-time buyers a little while ago: build the habit with a timely offer.',
  'need attention': 'Average recency and frequency: a limited-time offer before they slip.',
  'about to sleep': 'Below-average recency and frequency: reactivate with popular products.',
  'at risk': 'Used to buy often but not lately: win them back with a personal message.',
  "can't lose": 'Some of the most frequent buyers, gone quiet: reach out before a competitor does.',
  hibernating: 'Few purchases, long ago: offer relevant products, or let them rest.',
  lost: 'One purchase long ago, or only returns: low priority for spend.',
} as const;

export type SegmentName = keyof typeof SEGMENTS;

/** 1–5 by rank (ties broken by customer id, so the same input gives the same scores). */
function quintiles(values: number[], ids: string[], higherIsBetter: boolean): number[] {
  const idx = values.map((_, i) => i);
  idx.sort((a, b) => {
    const d = (values[a] as number) - (values[b] as number);
    if (d !== 0) return higherIsBetter ? d : -d;
    return (ids[a] as string) < (ids[b] as string) ? -1 : 1;
  });
  const out = new Array<number>(values.length);
  const n = values.length;
  // Equal values share the score of their first place, so a tie never splits across two scores.
  let prevScore = 1;
  for (let k = 0; k < n; k++) {
    const i = idx[k] as number;
    const prev = k > 0 ? (idx[k - 1] as number) : -1;
    const score =
      prev >= 0 && values[prev] === values[i] ? prevScore : Math.min(5, Math.floor((k * 5) / n) + 1);
    out[i] = score;
    prevScore = score;
  }
  return out;
}

/** Scores for the customers who bought; those who never did get r = f = m = 0. */
export function rfmScores(rows: readonly RfmInput[]): RfmScore[] {
  const bought = rows
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => r.frequency > 0 && Number.isFinite(r.recencyDays));
  const ids = bought.map(({ r }) => r.customer);
  const rs = quintiles(
    bought.map(({ r }) => r.recencyDays),
    ids,
    false,
  );
  const fs = quintiles(
    bought.map(({ r }) => r.frequency),
    ids,
    true,
  );
  const ms = quintiles(
    bought.map(({ r }) => r.monetary),
    ids,
    true,
  );
  const out: RfmScore[] = rows.map(() => ({ r: 0, f: 0, m: 0 }));
  bought.forEach(({ i }, k) => {
    out[i] = { r: rs[k] as number, f: fs[k] as number, m: ms[k] as number };
  });
  return out;
}

/** The segment map on (R, F): R 5 and F 1 is new, R 1–2 and F 5 can't lose, and so on. */
export function segmentOf(s: RfmScore): SegmentName {
  const { r, f } = s;
  if (r === 0) return 'lost';
  if (r >= 5 && f >= 4) return 'champions';
  if (r >= 3 && f >= 4) return 'loyal customers';
  if (r >= 4 && f >= 2) return 'potential loyalists';
  if (r === 5) return 'new customers';
  if (r === 4) return 'promising';
  if (r === 3 && f === 3) return 'need attention';
  if (r === 3) return 'about to sleep';
  if (f === 5) return "can't lose";
  if (f >= 3) return 'at risk';
  if (r === 2) return 'hibernating';
  return f === 1 ? 'lost' : 'hibernating';
}

export interface SegmentSummary {
  segment: SegmentName;
  description: string;
  customers: number;
  /** Sum of the customers' expected spend in the horizon. */
  expectedSpend: number;
  /** Sum of their spend so far. */
  historicSpend: number;
  meanPActive: number;
}

export function summarizeSegments(
  rows: readonly { segment: SegmentName; expectedSpend: number; monetary: number; pActive: number }[],
): SegmentSummary[] {
  const by = new Map<SegmentName, SegmentSummary>();
  for (const name of Object.keys(SEGMENTS) as SegmentName[])
    by.set(name, {
      segment: name,
      description: SEGMENTS[name],
      customers: 0,
      expectedSpend: 0,
      historicSpend: 0,
      meanPActive: 0,
    });
  for (const r of rows) {
    const s = by.get(r.segment) as SegmentSummary;
    s.customers++;
    s.expectedSpend += r.expectedSpend;
    s.historicSpend += r.monetary;
    s.meanPActive += r.pActive;
  }
  for (const s of by.values()) if (s.customers > 0) s.meanPActive /= s.customers;
  return [...by.values()];
}
