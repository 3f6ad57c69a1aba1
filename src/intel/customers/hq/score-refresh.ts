/**
 * Scores HQ's customers from its own sales and stores the run: lines built at run time (hq-lines.ts),
 * scoreCustomers as of today (the chain's store-local date, so every line is before it), the scores in
 * minor units. One run at a time (a unique index holds one 'running' row); the newest `keepRuns` runs
 * stay. Too few customers, or no history old enough for a training cutoff, stores a
 * 'not_enough_history' run with the reason instead of failing: the panel says so.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { businessDate, conflict, isTallyError, minorDigits } from '../../../core/index.ts';
import { publishCustomerSegments } from '../../../customers/hq/index.ts';
import type { HqDb } from '../../../db/index.ts';
import { type ScoreResult, scoreCustomers } from '../score.ts';
import { linesFromSales, loadCustomerSales, type SaleRow } from './hq-lines.ts';

export const DEFAULT_HORIZON_DAYS = 90;
export const MIN_CUSTOMERS = 50;
export const DEFAULT_KEEP_RUNS = 14;
const STALE_MS = 6 * 3_600_000;
const CHUNK = 5_000;

export interface ScoreRunOptions {
  logger: Logger;
  /** `YYYY-MM-DD`; default today in the chain's time zone (its first store's). */
  asOf?: string;
  horizonDays?: number;
  keepRuns?: number;
  minCustomers?: number;
  now?: Date;
  onProgress?: (step: string, done: number, total: number) => void;
}

export interface ScoreRunResult {
  runId: string;
  asOf: string;
  status: 'done' | 'not_enough_history';
  customers: number;
  lines: number;
  message: string | null;
  ms: number;
}

/** The chain's "today": the business date of its first store's zone (UTC without stores). */
export async function chainToday(db: HqDb, now: Date = new Date()): Promise<string> {
  const { rows } = await sql<{ time_zone: string }>`
    SELECT time_zone FROM stores ORDER BY id LIMIT 1`.execute(db);
  return businessDate(now, rows[0]?.time_zone ?? 'UTC');
}

/** The currency most of the lines were sold in; scores are stored in its minor units. */
function mainCurrency(rows: readonly SaleRow[]): string {
  const n = new Map<string, number>();
  for (const r of rows) n.set(r.currency, (n.get(r.currency) ?? 0) + 1);
  return [...n.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'EUR';
}

/** Last purchase store and time per customer, for the at-risk list. */
function lastPurchases(rows: readonly SaleRow[]): Map<string, { store: string; date: string }> {
  const m = new Map<string, { store: string; date: string }>();
  for (const r of rows) {
    if (r.kind !== 'sale') continue;
    const cur = m.get(r.customerId);
    if (!cur || r.businessDate >= cur.date) m.set(r.customerId, { store: r.storeId, date: r.businessDate });
  }
  return m;
}

export async function runCustomerScores(db: HqDb, o: ScoreRunOptions): Promise<ScoreRunResult> {
  const t0 = performance.now();
  const log = o.logger.child({ module: 'customer-scores' });
  const horizon = o.horizonDays ?? DEFAULT_HORIZON_DAYS;
  const asOf = o.asOf ?? (await chainToday(db, o.now));
  const runId = await startRun(db, asOf, horizon);
  try {
    o.onProgress?.('loading', 0, 1);
    const sales = await loadCustomerSales(db, asOf);
    const lines = linesFromSales(sales);
    const customers = new Set(sales.map((s) => s.customerId)).size;
    o.onProgress?.('loading', 1, 1);
    const finish = async (status: 'done' | 'not_enough_history', message: string | null, extra = {}) => {
      await sql`UPDATE customer_score_runs SET status = ${status}, finished_at = now(), customers = ${customers},
          lines = ${lines.length}, message = ${message}, model = ${JSON.stringify(extra)}::jsonb
        WHERE id = ${runId}`.execute(db);
      const pruned = await pruneRuns(db, o.keepRuns ?? DEFAULT_KEEP_RUNS);
      const ms = Math.round(performance.now() - t0);
      log.info({ runId, asOf, status, customers, lines: lines.length, pruned, ms }, 'customer scores done');
      return { runId, asOf, status, customers, lines: lines.length, message, ms };
    };
    const min = o.minCustomers ?? MIN_CUSTOMERS;
    if (customers < min)
      return await finish(
        'not_enough_history',
        `not enough history: ${customers} customers with purchases before ${asOf}, at least ${min} needed`,
      );
    const result = scoreCustomers(lines, {
      asOf,
      horizonDays: horizon,
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    });
    if (result.model.trainCutoffs.length === 0)
      return await finish(
        'not_enough_history',
        `not enough history: no training cutoff ${horizon} days before ${asOf} with 28 days of sales behind it`,
      );
    const currency = mainCurrency(sales);
    await storeScores(db, runId, result, currency, lastPurchases(sales), o.onProgress);
    await sql`UPDATE customer_score_runs SET currency = ${currency},
        segments = ${JSON.stringify(segmentsMinor(result, currency))}::jsonb WHERE id = ${runId}`.execute(db);
    const moved = await publishRunSegments(db, runId);
    log.info({ runId, moved }, 'customer segments published to tills');
    return await finish('done', null, result.model);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await sql`UPDATE customer_score_runs SET status = 'failed', finished_at = now(), message = ${message}
      WHERE id = ${runId}`
      .execute(db)
      .catch(() => undefined);
    if (isTallyError(err)) log.warn({ runId, err: message }, 'customer scores failed');
    else log.error({ runId, err }, 'customer scores failed');
    throw err;
  }
}

const toMinor = (major: number, scale: number): number => Math.round(major * scale);

/**
 * Gives tills the segments of a stored run: each customer's RFM segment becomes the one their promotions
 * target; only customers whose segment changed are written (and sent). Returns how many moved.
 */
export async function publishRunSegments(db: HqDb, runId: string): Promise<number> {
  const { rows } = await sql<{ customer_id: string; segment: string; as_of: Date | string }>`
    SELECT s.customer_id::text AS customer_id, s.segment, r.as_of
      FROM customer_scores s JOIN customer_score_runs r ON r.id = s.run_id
     WHERE s.run_id = ${runId}`.execute(db);
  const asOf = rows[0]?.as_of;
  if (asOf === undefined) return 0;
  const day = typeof asOf === 'string' ? asOf.slice(0, 10) : asOf.toISOString().slice(0, 10);
  return publishCustomerSegments(
    db,
    rows.map((r) => ({ customerId: r.customer_id, segment: r.segment })),
    day,
  );
}

function segmentsMinor(r: ScoreResult, currency: string) {
  const scale = 10 ** minorDigits(currency);
  return r.segments.map((s) => ({
    segment: s.segment,
    description: s.description,
    customers: s.customers,
    expectedSpendMinor: toMinor(s.expectedSpend, scale),
    historicSpendMinor: toMinor(s.historicSpend, scale),
    meanPActive: s.meanPActive,
  }));
}

async function storeScores(
  db: HqDb,
  runId: string,
  r: ScoreResult,
  currency: string,
  last: Map<string, { store: string; date: string }>,
  onProgress: ScoreRunOptions['onProgress'],
): Promise<void> {
  const scale = 10 ** minorDigits(currency);
  const s = r.scores;
  for (let i = 0; i < s.length; i += CHUNK) {
    const c = s.slice(i, i + CHUNK);
    await sql`
      INSERT INTO customer_scores (run_id, customer_id, p_active, expected_spend_minor, clv12_minor, segment,
        cluster, last_store_id, last_purchase_at)
      SELECT ${runId}::uuid, * FROM unnest(
        ${c.map((x) => x.customer)}::uuid[], ${c.map((x) => x.pActive)}::float8[],
        ${c.map((x) => toMinor(x.expectedSpend, scale))}::bigint[], ${c.map((x) => toMinor(x.clv12, scale))}::bigint[],
        ${c.map((x) => x.segment)}::text[], ${c.map((x) => x.cluster)}::int[],
        ${c.map((x) => last.get(x.customer)?.store ?? null)}::text[],
        ${c.map((x) => last.get(x.customer)?.date ?? null)}::timestamptz[])
    `.execute(db);
    onProgress?.('storing', Math.min(s.length, i + CHUNK), s.length);
  }
}

async function startRun(db: HqDb, asOf: string, horizon: number): Promise<string> {
  await sql`UPDATE customer_score_runs SET status = 'failed', finished_at = now(),
      message = 'abandoned: the run stopped without finishing'
    WHERE status = 'running' AND started_at < ${new Date(Date.now() - STALE_MS)}`.execute(db);
  const id = randomUUID();
  try {
    await sql`INSERT INTO customer_score_runs (id, as_of, horizon_days, status)
      VALUES (${id}, ${asOf}, ${horizon}, 'running')`.execute(db);
  } catch (err) {
    if ((err as { code?: string }).code !== '23505') throw err;
    throw conflict('customer scoring is already running; wait for it to finish', 'customer_score_runs');
  }
  return id;
}

/** Is a scoring run going on now (and not abandoned)? The nightly job skips its turn when one is. */
export async function scoreRunRunning(db: HqDb): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`SELECT id FROM customer_score_runs
    WHERE status = 'running' AND started_at >= ${new Date(Date.now() - STALE_MS)}`.execute(db);
  return rows.length > 0;
}

async function pruneRuns(db: HqDb, keep: number): Promise<number> {
  const r = await sql`DELETE FROM customer_score_runs WHERE status != 'running' AND id NOT IN (
      SELECT id FROM customer_score_runs ORDER BY started_at DESC LIMIT ${Math.max(1, keep)})`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}
