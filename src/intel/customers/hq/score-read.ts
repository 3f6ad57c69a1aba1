/**
 * What the dashboard and the briefing read from stored customer scores: the newest run and the one
 * before it, segment sizes and value with their movement, who moved where, and the customers at risk
 * ranked by value. Scoped to stores by each customer's last purchase store; no personal field unless
 * the caller asks for names (the route decides who may).
 */
import { sql } from 'kysely';
import type { HqDb } from '../../../db/index.ts';
import { SEGMENTS, type SegmentName } from '../rfm.ts';

/** Concrete store ids, or every store. */
export type ScoreStoreSet = readonly string[] | 'all';

/** Segments worth the most per customer: a shrink in one of them is worth a morning line. */
export const VALUABLE_SEGMENTS: readonly SegmentName[] = ['champions', 'loyal customers', "can't lose"];
/** Segments whose customers are drifting away and still worth winning back. */
export const AT_RISK_SEGMENTS: readonly SegmentName[] = [
  "can't lose",
  'at risk',
  'about to sleep',
  'need attention',
];

export interface ScoreRunInfo {
  runId: string;
  asOf: string;
  horizonDays: number;
  status: string;
  message: string | null;
  finishedAt: string | null;
  customers: number;
  currency: string;
}

export interface SegmentRow {
  segment: SegmentName;
  description: string;
  customers: number;
  previousCustomers: number | null;
  expectedSpendMinor: number;
  clv12Minor: number;
  meanPActive: number;
}

export interface SegmentFlow {
  from: SegmentName;
  to: SegmentName;
  customers: number;
  expectedSpendMinor: number;
}

export interface CustomerPanel {
  run: ScoreRunInfo | null;
  previous: ScoreRunInfo | null;
  segments: SegmentRow[];
  flows: SegmentFlow[];
}

const storeFilter = (stores: ScoreStoreSet, alias: string) =>
  stores === 'all' ? sql`TRUE` : sql`${sql.ref(`${alias}.last_store_id`)} = ANY(${[...stores]}::text[])`;

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());
const day = (d: Date | string): string =>
  typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);

interface RunRow {
  id: string;
  as_of: Date | string;
  horizon_days: number;
  status: string;
  message: string | null;
  finished_at: Date | string | null;
  customers: number;
  currency: string | null;
}

/** The newest finished runs (done or not enough history), newest first. */
export async function latestScoreRuns(db: HqDb, n = 2): Promise<ScoreRunInfo[]> {
  const { rows } =
    await sql<RunRow>`SELECT id, as_of, horizon_days, status, message, finished_at, customers, currency
    FROM customer_score_runs WHERE status IN ('done', 'not_enough_history')
    ORDER BY started_at DESC LIMIT ${n}`.execute(db);
  return rows.map((r) => ({
    runId: r.id,
    asOf: day(r.as_of),
    horizonDays: r.horizon_days,
    status: r.status,
    message: r.message,
    finishedAt: iso(r.finished_at),
    customers: r.customers,
    currency: r.currency ?? 'EUR',
  }));
}

export async function loadCustomerPanel(db: HqDb, stores: ScoreStoreSet): Promise<CustomerPanel> {
  const runs = await latestScoreRuns(db, 2);
  const run = runs[0] ?? null;
  // The previous scored run: movement compares two runs that both hold scores.
  const done = (await latestScoreRuns(db, 15)).filter((r) => r.status === 'done');
  const now = run?.status === 'done' ? run : null;
  const previous = now ? (done.find((r) => r.runId !== now.runId) ?? null) : null;
  if (!now) return { run, previous: null, segments: [], flows: [] };
  const count = async (runId: string) => {
    const { rows } = await sql<{ segment: SegmentName; n: string; spend: string; clv: string; p: number }>`
      SELECT s.segment, count(*) AS n, sum(s.expected_spend_minor) AS spend, sum(s.clv12_minor) AS clv,
             avg(s.p_active) AS p
        FROM customer_scores s WHERE s.run_id = ${runId} AND ${storeFilter(stores, 's')}
       GROUP BY s.segment`.execute(db);
    return new Map(rows.map((r) => [r.segment, r]));
  };
  const cur = await count(now.runId);
  const prev = previous ? await count(previous.runId) : undefined;
  const segments: SegmentRow[] = (Object.keys(SEGMENTS) as SegmentName[]).map((segment) => {
    const c = cur.get(segment);
    return {
      segment,
      description: SEGMENTS[segment],
      customers: Number(c?.n ?? 0),
      previousCustomers: prev ? Number(prev.get(segment)?.n ?? 0) : null,
      expectedSpendMinor: Number(c?.spend ?? 0),
      clv12Minor: Number(c?.clv ?? 0),
      meanPActive: Number(c?.p ?? 0),
    };
  });
  let flows: SegmentFlow[] = [];
  if (previous) {
    const { rows } = await sql<{ from: SegmentName; to: SegmentName; n: string; spend: string }>`
      SELECT b.segment AS "from", s.segment AS "to", count(*) AS n, sum(s.expected_spend_minor) AS spend
        FROM customer_scores s JOIN customer_scores b ON b.run_id = ${previous.runId} AND b.customer_id = s.customer_id
       WHERE s.run_id = ${now.runId} AND b.segment <> s.segment AND ${storeFilter(stores, 's')}
       GROUP BY b.segment, s.segment ORDER BY count(*) DESC, b.segment, s.segment LIMIT 20`.execute(db);
    flows = rows.map((r) => ({
      from: r.from,
      to: r.to,
      customers: Number(r.n),
      expectedSpendMinor: Number(r.spend),
    }));
  }
  return { run: now, previous, segments, flows };
}

export interface AtRiskCustomer {
  customerId: string;
  /** The id's first 8 characters: enough to tell customers apart on a screen. */
  shortCode: string;
  segment: SegmentName;
  pActive: number;
  expectedSpendMinor: number;
  clv12Minor: number;
  lastStoreId: string | null;
  lastPurchaseDate: string | null;
  name?: string | null;
}

/** Customers in the at-risk segments of the newest scored run, the most valuable (12-month) first. */
export async function loadAtRiskCustomers(
  db: HqDb,
  o: { stores: ScoreStoreSet; limit: number; withNames: boolean },
): Promise<{ run: ScoreRunInfo | null; customers: AtRiskCustomer[] }> {
  const run = (await latestScoreRuns(db, 15)).find((r) => r.status === 'done') ?? null;
  if (!run) return { run: null, customers: [] };
  const { rows } = await sql<{
    customer_id: string;
    segment: SegmentName;
    p_active: number;
    expected_spend_minor: string;
    clv12_minor: string;
    last_store_id: string | null;
    last_purchase_at: Date | string | null;
    name: string | null;
  }>`SELECT s.customer_id::text AS customer_id, s.segment, s.p_active, s.expected_spend_minor, s.clv12_minor,
            s.last_store_id, s.last_purchase_at, ${o.withNames ? sql`p.name` : sql`NULL::text`} AS name
       FROM customer_scores s LEFT JOIN customer_profiles p ON ${o.withNames ? sql`p.customer_id = s.customer_id` : sql`FALSE`}
      WHERE s.run_id = ${run.runId} AND s.segment = ANY(${[...AT_RISK_SEGMENTS]}::text[]) AND ${storeFilter(o.stores, 's')}
      ORDER BY s.clv12_minor DESC, s.customer_id LIMIT ${o.limit}`.execute(db);
  return {
    run,
    customers: rows.map((r) => ({
      customerId: r.customer_id,
      shortCode: r.customer_id.slice(0, 8),
      segment: r.segment,
      pActive: r.p_active,
      expectedSpendMinor: Number(r.expected_spend_minor),
      clv12Minor: Number(r.clv12_minor),
      lastStoreId: r.last_store_id,
      lastPurchaseDate: r.last_purchase_at === null ? null : day(new Date(r.last_purchase_at)),
      ...(o.withNames ? { name: r.name } : {}),
    })),
  };
}

/** One valuable segment's shrink since the previous run, with those who left it for a worse place. */
export interface SegmentShrink {
  segment: SegmentName;
  before: number;
  now: number;
  /** Former members now in an at-risk segment: the ones a campaign can still win back. */
  atRisk: number;
  atRiskClv12Minor: number;
  currency: string;
  asOf: string;
}

/** Pure: which valuable segments shrank by more than `threshold` (a share) and by at least `minCustomers`. */
export function segmentShrinks(
  panel: CustomerPanel,
  threshold = 0.1,
  minCustomers = 3,
): Omit<SegmentShrink, 'atRisk' | 'atRiskClv12Minor'>[] {
  if (!panel.run || !panel.previous) return [];
  const out: Omit<SegmentShrink, 'atRisk' | 'atRiskClv12Minor'>[] = [];
  for (const s of panel.segments) {
    if (!VALUABLE_SEGMENTS.includes(s.segment) || s.previousCustomers === null) continue;
    const lost = s.previousCustomers - s.customers;
    if (lost >= minCustomers && lost > threshold * s.previousCustomers)
      out.push({
        segment: s.segment,
        before: s.previousCustomers,
        now: s.customers,
        currency: panel.run.currency,
        asOf: panel.run.asOf,
      });
  }
  return out;
}

/** The shrinks with their former members now at risk and those members' 12-month value. */
export async function loadSegmentShrinks(db: HqDb, stores: ScoreStoreSet): Promise<SegmentShrink[]> {
  const panel = await loadCustomerPanel(db, stores);
  const shrinks = segmentShrinks(panel);
  if (!panel.run || !panel.previous) return [];
  const out: SegmentShrink[] = [];
  for (const s of shrinks) {
    const { rows } = await sql<{ n: string; clv: string | null }>`
      SELECT count(*) AS n, sum(s.clv12_minor) AS clv
        FROM customer_scores s JOIN customer_scores b ON b.run_id = ${panel.previous.runId} AND b.customer_id = s.customer_id
       WHERE s.run_id = ${panel.run.runId} AND b.segment = ${s.segment}
         AND s.segment = ANY(${[...AT_RISK_SEGMENTS]}::text[]) AND ${storeFilter(stores, 's')}`.execute(db);
    out.push({ ...s, atRisk: Number(rows[0]?.n ?? 0), atRiskClv12Minor: Number(rows[0]?.clv ?? 0) });
  }
  return out;
}

/** The latest segment of each customer in the newest scored run (for tills' promotions). */
export async function latestSegments(
  db: HqDb,
  customerIds: readonly string[],
): Promise<Map<string, SegmentName>> {
  const run = (await latestScoreRuns(db, 15)).find((r) => r.status === 'done');
  if (!run || customerIds.length === 0) return new Map();
  const { rows } = await sql<{ customer_id: string; segment: SegmentName }>`
    SELECT customer_id::text AS customer_id, segment FROM customer_scores
     WHERE run_id = ${run.runId} AND customer_id = ANY(${[...customerIds]}::uuid[])`.execute(db);
  return new Map(rows.map((r) => [r.customer_id, r.segment]));
}
