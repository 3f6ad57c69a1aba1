import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { HqDb } from '../db/index.ts';
import { chainToday, runCustomerScores, type ScoreRunResult } from '../intel/customers/hq/index.ts';
import { addDays } from '../reports/index.ts';

/**
 * The demo's first customer scoring, so the Customers panel is filled on first open: a run as of four
 * weeks ago, then one as of today, the same job the nightly runs (TALLY_CUSTOMERS_NIGHTLY), so the
 * panel has segment movement and who moved where from the start. Does nothing once a run is stored.
 */
export async function scoreDemoCustomers(
  db: HqDb,
  opts: { logger: Logger; now?: Date },
): Promise<ScoreRunResult[]> {
  const { rows } = await sql`SELECT 1 FROM customer_score_runs LIMIT 1`.execute(db);
  if (rows.length > 0) return [];
  const today = await chainToday(db, opts.now);
  const base = { logger: opts.logger, ...(opts.now ? { now: opts.now } : {}) };
  const earlier = await runCustomerScores(db, { ...base, asOf: addDays(today, -28) });
  const latest = await runCustomerScores(db, { ...base, asOf: today });
  return [earlier, latest];
}
