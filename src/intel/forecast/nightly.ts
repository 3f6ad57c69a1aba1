/**
 * The nightly forecast refresh inside a running HQ: a chain of unref'd timers (so it never keeps the
 * process alive), each aimed at the next local HH:MM. A night is skipped when a refresh is already running
 * (another process, or the command) or HQ has no sales yet; a failed refresh is logged and the chain goes on.
 */
import type { Logger } from 'pino';
import { invalid } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { defaultAsOf } from './hq-history.ts';
import { type RefreshOptions, type RefreshResult, refreshHqForecasts, refreshRunning } from './hq-refresh.ts';

export const DEFAULT_NIGHTLY_AT = '02:00';
/** Env var that moves ('HH:MM') or turns off ('off') the nightly refresh of a running HQ. */
export const NIGHTLY_ENV = 'TALLY_FORECAST_NIGHTLY';

/** 'HH:MM' (24-hour, local time) → minutes after midnight; 'off' → null. */
export function parseNightlyAt(value: string, field = NIGHTLY_ENV): number | null {
  const v = value.trim().toLowerCase();
  if (v === 'off' || v === 'false' || v === 'none') return null;
  const m = /^(\d{1,2}):(\d{2})$/.exec(v);
  const h = m ? Number(m[1]) : Number.NaN;
  const min = m ? Number(m[2]) : Number.NaN;
  if (!(h >= 0 && h <= 23 && min >= 0 && min <= 59))
    throw invalid(field, `expected HH:MM (local time, e.g. 02:00) or off, got "${value}"`);
  return h * 60 + min;
}

/** The next local instant at `minutes` after midnight strictly after `now`. */
export function nextRunAt(now: Date, minutes: number): Date {
  const next = new Date(now);
  next.setHours(Math.floor(minutes / 60), minutes % 60, 0, 0);
  if (next.getTime() <= now.getTime()) next.setDate(next.getDate() + 1);
  return next;
}

export interface NightlyDeps {
  refresh: (db: HqDb, o: RefreshOptions) => Promise<RefreshResult>;
  running: (db: HqDb) => Promise<boolean>;
  hasSales: (db: HqDb) => Promise<boolean>;
  now: () => Date;
}

const defaultDeps: NightlyDeps = {
  refresh: refreshHqForecasts,
  running: refreshRunning,
  hasSales: async (db) => (await defaultAsOf(db)) !== undefined,
  now: () => new Date(),
};

export interface NightlyHandle {
  /** When the next refresh is due; undefined when turned off or stopped. */
  next(): Date | undefined;
  /** Cancels the timer and waits for a refresh in progress to finish. */
  stop(): Promise<void>;
}

export interface NightlyOptions {
  /** 'HH:MM' local time or 'off' (the CLI passes $TALLY_FORECAST_NIGHTLY); default 02:00. */
  at?: string;
  logger: Logger;
  horizonDays?: number;
  deps?: Partial<NightlyDeps>;
}

export function startNightlyForecasts(db: HqDb, o: NightlyOptions): NightlyHandle {
  const deps = { ...defaultDeps, ...o.deps };
  const log = o.logger.child({ module: 'forecast-nightly' });
  const at = o.at ?? DEFAULT_NIGHTLY_AT;
  const minutes = parseNightlyAt(at, o.at === undefined ? NIGHTLY_ENV : 'forecastNightly');
  if (minutes === null) {
    log.info('nightly forecast refresh is off');
    return { next: () => undefined, stop: async () => undefined };
  }

  const runOnce = async (): Promise<void> => {
    if (await deps.running(db)) {
      log.warn('nightly forecast refresh skipped: a refresh is already running');
      return;
    }
    if (!(await deps.hasSales(db))) {
      log.info('nightly forecast refresh skipped: no sales at HQ yet');
      return;
    }
    log.info('nightly forecast refresh started');
    const r = await deps.refresh(db, {
      logger: o.logger,
      ...(o.horizonDays ? { horizonDays: o.horizonDays } : {}),
    });
    log.info(
      { runId: r.runId, series: r.series, asOf: r.asOf, ms: r.ms },
      'nightly forecast refresh finished',
    );
  };

  const handle = nightlyTimer(minutes, deps.now, () =>
    runOnce().catch((err: unknown) => log.error({ err }, 'nightly forecast refresh failed')),
  );
  log.info({ next: handle.next()?.toISOString() }, 'nightly forecast refresh scheduled');
  return handle;
}

/**
 * A chain of unref'd timers aimed at the next local HH:MM (`minutes` after midnight): each run is awaited
 * before the next is aimed, and `stop` waits for a run in progress. `run` must not throw.
 */
export function nightlyTimer(minutes: number, now: () => Date, run: () => Promise<void>): NightlyHandle {
  let timer: NodeJS.Timeout | undefined;
  let due: Date | undefined;
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();
  const schedule = (): void => {
    if (stopped) return;
    const t = now();
    due = nextRunAt(t, minutes);
    // Timers cap at ~24.8 days; a day is far below that.
    timer = setTimeout(() => {
      inFlight = run().finally(schedule);
    }, due.getTime() - t.getTime());
    timer.unref();
  };
  schedule();
  return {
    next: () => (stopped ? undefined : due),
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
}
