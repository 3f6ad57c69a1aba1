/**
 * The nightly customer scoring inside a running HQ, on the forecast's timer (intel/forecast's nightlyTimer):
 * a chain of unref'd timers aimed at the next local HH:MM. A night is skipped while a run is going on; a
 * failed run is logged and the chain goes on. Too little history is a stored state, not a failure.
 */
import type { Logger } from 'pino';
import type { HqDb } from '../../../db/index.ts';
import { nightlyTimer, parseNightlyAt } from '../../forecast/index.ts';
import {
  runCustomerScores,
  type ScoreRunOptions,
  type ScoreRunResult,
  scoreRunRunning,
} from './score-refresh.ts';

export const DEFAULT_CUSTOMERS_NIGHTLY_AT = '03:00';
/** Env var that moves ('HH:MM') or turns off ('off') the nightly customer scoring of a running HQ. */
export const CUSTOMERS_NIGHTLY_ENV = 'TALLY_CUSTOMERS_NIGHTLY';

export interface CustomersNightlyDeps {
  run: (db: HqDb, o: ScoreRunOptions) => Promise<ScoreRunResult>;
  running: (db: HqDb) => Promise<boolean>;
  now: () => Date;
}

export interface CustomersNightlyHandle {
  next(): Date | undefined;
  stop(): Promise<void>;
}

export function startNightlyCustomerScores(
  db: HqDb,
  o: { at?: string; logger: Logger; deps?: Partial<CustomersNightlyDeps> },
): CustomersNightlyHandle {
  const deps: CustomersNightlyDeps = {
    run: runCustomerScores,
    running: scoreRunRunning,
    now: () => new Date(),
    ...o.deps,
  };
  const log = o.logger.child({ module: 'customers-nightly' });
  const minutes = parseNightlyAt(o.at ?? DEFAULT_CUSTOMERS_NIGHTLY_AT, CUSTOMERS_NIGHTLY_ENV);
  if (minutes === null) {
    log.info('nightly customer scoring is off');
    return { next: () => undefined, stop: async () => undefined };
  }
  const runOnce = async (): Promise<void> => {
    if (await deps.running(db)) {
      log.warn('nightly customer scoring skipped: a run is already going on');
      return;
    }
    const r = await deps.run(db, { logger: o.logger, now: deps.now() });
    log.info(
      { runId: r.runId, status: r.status, customers: r.customers, ms: r.ms },
      'nightly customer scoring finished',
    );
  };
  return nightlyTimer(minutes, deps.now, () =>
    runOnce().catch((err: unknown) => log.error({ err }, 'nightly customer scoring failed')),
  );
}
