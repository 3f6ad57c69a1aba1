/**
 * One customer's standing in the newest scored run, for their profile on the dashboard: segment,
 * probability of buying again within the horizon and expected spend. Null when no run has scored them
 * (too new, no sale yet, or no run at all).
 */
import { sql } from 'kysely';
import type { HqDb } from '../../../db/index.ts';
import type { SegmentName } from '../rfm.ts';
import { latestScoreRuns } from './score-read.ts';

export interface CustomerScore {
  customerId: string;
  asOf: string;
  horizonDays: number;
  currency: string;
  segment: SegmentName;
  pActive: number;
  expectedSpendMinor: number;
  clv12Minor: number;
}

export async function customerScore(db: HqDb, customerId: string): Promise<CustomerScore | null> {
  const run = (await latestScoreRuns(db, 15)).find((r) => r.status === 'done');
  if (!run) return null;
  const { rows } = await sql<{
    segment: SegmentName;
    p_active: number;
    expected_spend_minor: string | number;
    clv12_minor: string | number;
  }>`SELECT segment, p_active, expected_spend_minor, clv12_minor FROM customer_scores
      WHERE run_id = ${run.runId} AND customer_id = ${customerId}`.execute(db);
  const r = rows[0];
  if (!r) return null;
  return {
    customerId,
    asOf: run.asOf,
    horizonDays: run.horizonDays,
    currency: run.currency,
    segment: r.segment,
    pActive: Number(r.p_active),
    expectedSpendMinor: Number(r.expected_spend_minor),
    clv12Minor: Number(r.clv12_minor),
  };
}
