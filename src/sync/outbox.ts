import type { Logger } from 'pino';
import { type Clock, systemClock } from '../core/clock.ts';
import type { Ledger } from '../sales/ledger.ts';
import { API_PREFIX, encodeBatch, type IngestBatch, type IngestResult, ingestResultSchema } from './wire.ts';

/**
 * Ships the ledger to HQ: events HQ does not hold yet (seq > acked), oldest first, in gzip batches.
 * HQ stores each event once, so resending is always safe; the till only moves its mark to what HQ says
 * it holds. The ledger itself is never trimmed: the mark is all that "sent" means here.
 */
export interface OutboxStatus {
  pending: number;
  oldestAgeSeconds: number;
  ackedUpTo: number;
  lastSeq: number;
  lastSyncAt: string | null;
  lastError: string | null;
}

export interface OutboxOptions {
  ledger: Ledger;
  hqUrl: string;
  token: string;
  logger: Logger;
  clock?: Clock;
  fetch?: typeof fetch;
  batchSize?: number;
  /** Wait between polls when nothing is pending; an append wakes the loop sooner. */
  idleMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  random?: () => number;
}

export interface Outbox {
  /** Sends one batch; resolves with how many events went and how far the mark moved. */
  sendBatch(): Promise<{ sent: number; ackedUpTo: number; result?: IngestResult }>;
  /** Sends until nothing is pending or a send fails; never throws, the status says what happened. */
  flush(): Promise<OutboxStatus>;
  status(): OutboxStatus;
  /** Runs the background loop: send, back off on failure, idle when empty. */
  start(): void;
  stop(): Promise<void>;
  /** Ship soon: called when a sale commits. */
  wake(): void;
}

export class SyncError extends Error {
  readonly kind: 'network' | 'unauthorized' | 'server' | 'refused' | 'stalled';
  constructor(kind: SyncError['kind'], message: string) {
    super(message);
    this.name = 'SyncError';
    this.kind = kind;
  }
}

/** Exponential backoff with equal jitter, so a fleet of tills does not reconnect in lockstep. */
export function backoffMs(failures: number, min: number, max: number, random: () => number): number {
  const ceiling = Math.min(max, min * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function createOutbox(opts: OutboxOptions): Outbox {
  const { ledger, logger } = opts;
  const clock = opts.clock ?? systemClock;
  const doFetch = opts.fetch ?? fetch;
  const batchSize = opts.batchSize ?? 500;
  const idleMs = opts.idleMs ?? 2_000;
  const minBackoff = opts.minBackoffMs ?? 1_000;
  const maxBackoff = opts.maxBackoffMs ?? 60_000;
  const random = opts.random ?? Math.random;
  const url = `${opts.hqUrl.replace(/\/$/, '')}${API_PREFIX}/ingest`;
  let lastError: string | null = null;
  let running = false;
  let loopDone: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let interrupt: (() => void) | undefined;
  let woken = false;
  // One send at a time: the loop and a manual flush would otherwise post the same batch twice.
  let lock: Promise<unknown> = Promise.resolve();

  const status = (): OutboxStatus => {
    const s = ledger.outboxStats();
    const oldest = s.oldestPendingAt ? Date.parse(s.oldestPendingAt) : undefined;
    return {
      pending: s.pending,
      oldestAgeSeconds: oldest === undefined ? 0 : Math.max(0, (clock.now().getTime() - oldest) / 1000),
      ackedUpTo: s.ackedUpTo,
      lastSeq: s.lastSeq,
      lastSyncAt: s.lastSyncAt ?? null,
      lastError,
    };
  };

  const post = async (batch: IngestBatch): Promise<IngestResult> => {
    let res: Response;
    try {
      res = await doFetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          authorization: `Bearer ${opts.token}`,
        },
        body: encodeBatch(batch),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      throw new SyncError('network', `cannot reach HQ at ${url}: ${cause ?? (err as Error).message}`);
    }
    if (res.status === 401) {
      throw new SyncError('unauthorized', 'HQ refused the terminal token (401); re-enroll this terminal');
    }
    if (res.status >= 500) throw new SyncError('server', `HQ answered ${res.status}`);
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      throw new SyncError('refused', `HQ refused the batch with ${res.status}: ${text.slice(0, 300)}`);
    }
    const parsed = ingestResultSchema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) throw new SyncError('server', 'HQ answered with a body that is not an IngestResult');
    return parsed.data;
  };

  const sendOnce = async (): Promise<{ sent: number; ackedUpTo: number; result?: IngestResult }> => {
    const acked = ledger.ackedUpTo();
    const events = ledger.range(acked + 1, batchSize);
    if (events.length === 0) return { sent: 0, ackedUpTo: acked };
    const before = status();
    const batch: IngestBatch = {
      terminalId: ledger.terminalId,
      events,
      outbox: { pending: before.pending, oldestAgeSeconds: before.oldestAgeSeconds },
    };
    const result = await post(batch);
    const lastSent = events[events.length - 1]!.seq;
    // Only what this till sent and HQ confirms: a heldUpTo beyond our own ledger (a wiped till reusing
    // its terminal id) must not make us skip events we have not sent.
    const held = Math.min(result.heldUpTo, lastSent);
    if (held > acked) ledger.markAcked(held);
    if (result.rejected.length > 0) {
      logger.error(
        { rejected: result.rejected.slice(0, 10), count: result.rejected.length },
        'HQ rejected events',
      );
    }
    if (result.heldUpTo > lastSent) {
      logger.error(
        { heldUpTo: result.heldUpTo, lastSent },
        'HQ holds more events for this terminal than its ledger has; was the data folder replaced?',
      );
    }
    if (held <= acked) {
      throw new SyncError(
        'stalled',
        `HQ holds up to seq ${result.heldUpTo} but the oldest unsent is ${acked + 1}; gaps: ${JSON.stringify(result.gaps)}`,
      );
    }
    lastError = null;
    const after = status();
    logger.info(
      {
        sent: events.length,
        accepted: result.accepted,
        duplicates: result.duplicates,
        ackedUpTo: after.ackedUpTo,
        pending: after.pending,
        oldestAgeSeconds: after.oldestAgeSeconds,
      },
      'outbox batch sent',
    );
    return { sent: events.length, ackedUpTo: after.ackedUpTo, result };
  };

  const sendBatch = (): Promise<{ sent: number; ackedUpTo: number; result?: IngestResult }> => {
    const run = lock.then(sendOnce, sendOnce);
    lock = run.catch(() => undefined);
    return run.catch((err: unknown) => {
      lastError = err instanceof Error ? err.message : String(err);
      throw err;
    });
  };

  /** Waits `ms`; stop() always cuts it short, a new event only when `wakeable` (not during backoff). */
  const pause = (ms: number, wakeable: boolean): Promise<void> =>
    new Promise((resolve) => {
      if (!running || (wakeable && woken)) {
        woken = false;
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      timer.unref();
      function done(): void {
        clearTimeout(timer);
        interrupt = undefined;
        wakeUp = undefined;
        resolve();
      }
      interrupt = done;
      if (wakeable) wakeUp = done;
    });

  const loop = async (): Promise<void> => {
    let failures = 0;
    while (running) {
      try {
        const r = await sendBatch();
        failures = 0;
        if (r.sent > 0) continue;
        await pause(idleMs, true);
      } catch (err) {
        failures++;
        const s = status();
        if (err instanceof SyncError && err.kind === 'unauthorized') {
          logger.error(
            { pending: s.pending, oldestAgeSeconds: s.oldestAgeSeconds },
            'HQ refused this terminal token: re-enroll the terminal (tally terminal --token …); sales stay in the ledger meanwhile',
          );
          await pause(maxBackoff, false);
          continue;
        }
        const delay = backoffMs(failures, minBackoff, maxBackoff, random);
        logger.warn(
          { err: lastError, pending: s.pending, oldestAgeSeconds: s.oldestAgeSeconds, retryInMs: delay },
          'outbox cannot ship; will retry',
        );
        // Not wakeable: a busy till must not turn backoff into a hot retry loop against a failing HQ.
        await pause(delay, false);
      }
    }
  };

  const unsubscribe = ledger.onAppend(() => {
    if (wakeUp) wakeUp();
    else woken = true;
  });

  return {
    sendBatch,
    status,
    async flush() {
      try {
        while ((await sendBatch()).sent > 0) {
          // keep going until empty
        }
      } catch {
        // lastError is set; the status carries it to the caller
      }
      return status();
    },
    start() {
      if (running) return;
      running = true;
      loopDone = loop();
    },
    async stop() {
      running = false;
      unsubscribe();
      interrupt?.();
      await loopDone;
      await lock;
    },
    wake() {
      if (wakeUp) wakeUp();
      else woken = true;
    },
  };
}
